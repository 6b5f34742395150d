/**
 * A minimal ESRI Shapefile writer for polygon layers (.shp, .shx, .dbf with UTF-8 text), enough
 * for exporting grid plans that GIS tools and our own importer read back.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** A dBASE field: C = text, N = number (integers here). */
export type DbfField = { name: string; type: 'C' | 'N'; length: number };
/** One feature to write. */
export type ShpRecord = { geometry: Polygon | MultiPolygon; properties: Record<string, string | number | null> };

const POLYGON = 5;

/** Shoelace sum: positive for a clockwise ring in x-east/y-north axes. */
const clockwise = (ring: Position[]): boolean =>
  ring.reduce((sum, [x1, y1], i) => {
    const [x2, y2] = ring[(i + 1) % ring.length];
    return sum + (x2 - x1) * (y2 + y1);
  }, 0) > 0;

/** Shapefile rings: shells clockwise, holes counter-clockwise (the reverse of RFC 7946). */
function shpRings(g: Polygon | MultiPolygon): Position[][] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.flatMap((rings) => rings.map((ring, i) => (clockwise(ring) === (i === 0) ? ring : [...ring].reverse())));
}

function boxOf(points: Position[]): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
  return [minX, minY, maxX, maxY];
}

function shapeContent(g: Polygon | MultiPolygon): Buffer {
  const rings = shpRings(g);
  const points = rings.flat();
  const buf = Buffer.alloc(44 + 4 * rings.length + 16 * points.length);
  buf.writeInt32LE(POLYGON, 0);
  boxOf(points).forEach((v, i) => buf.writeDoubleLE(v, 4 + 8 * i));
  buf.writeInt32LE(rings.length, 36);
  buf.writeInt32LE(points.length, 40);
  let start = 0;
  rings.forEach((ring, i) => {
    buf.writeInt32LE(start, 44 + 4 * i);
    start += ring.length;
  });
  const at = 44 + 4 * rings.length;
  points.forEach(([x, y], i) => {
    buf.writeDoubleLE(x, at + 16 * i);
    buf.writeDoubleLE(y, at + 16 * i + 8);
  });
  return buf;
}

function header(bytes: number, box: number[]): Buffer {
  const buf = Buffer.alloc(100);
  buf.writeInt32BE(9994, 0);
  buf.writeInt32BE(bytes / 2, 24); // lengths count 16-bit words
  buf.writeInt32LE(1000, 28);
  buf.writeInt32LE(POLYGON, 32);
  box.forEach((v, i) => buf.writeDoubleLE(v, 36 + 8 * i));
  return buf;
}

/** Writes a dBASE III table with UTF-8 text (declare it with a .cpg saying UTF-8). */
export function buildDbf(fields: DbfField[], rows: ShpRecord['properties'][], now = new Date()): Buffer {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((sum, f) => sum + f.length, 0);
  const head = Buffer.alloc(headerLength);
  head.writeUInt8(0x03, 0);
  head.writeUInt8(now.getUTCFullYear() - 1900, 1);
  head.writeUInt8(now.getUTCMonth() + 1, 2);
  head.writeUInt8(now.getUTCDate(), 3);
  head.writeUInt32LE(rows.length, 4);
  head.writeUInt16LE(headerLength, 8);
  head.writeUInt16LE(recordLength, 10);
  fields.forEach((field, i) => {
    const name = Buffer.from(field.name, 'utf8');
    if (name.length > 10) throw new Error(`DBF field name ${field.name} is over 10 bytes`);
    name.copy(head, 32 + 32 * i);
    head.write(field.type, 32 + 32 * i + 11, 'latin1');
    head.writeUInt8(field.length, 32 + 32 * i + 16);
  });
  head.writeUInt8(0x0d, headerLength - 1);
  const records = rows.map((row) => {
    const record = Buffer.alloc(recordLength, 0x20);
    let at = 1;
    for (const field of fields) {
      const value = row[field.name];
      const bytes = Buffer.from(value === null || value === undefined ? '' : String(value), 'utf8');
      if (bytes.length > field.length) throw new Error(`${field.name}=${value} is over ${field.length} bytes`);
      bytes.copy(record, field.type === 'N' ? at + field.length - bytes.length : at);
      at += field.length;
    }
    return record;
  });
  return Buffer.concat([head, ...records, Buffer.from([0x1a])]);
}

/** The .shp, .shx and .dbf of one polygon layer. */
export function buildShapefile(records: ShpRecord[], fields: DbfField[]): { shp: Buffer; shx: Buffer; dbf: Buffer } {
  const all = records.flatMap((r) => shpRings(r.geometry).flat());
  const box = all.length ? boxOf(all) : [0, 0, 0, 0];
  const shp: Buffer[] = [];
  const shx: Buffer[] = [];
  let offset = 100;
  records.forEach((r, i) => {
    const content = shapeContent(r.geometry);
    const head = Buffer.alloc(8);
    head.writeInt32BE(i + 1, 0);
    head.writeInt32BE(content.length / 2, 4);
    shp.push(head, content);
    const entry = Buffer.alloc(8);
    entry.writeInt32BE(offset / 2, 0);
    entry.writeInt32BE(content.length / 2, 4);
    shx.push(entry);
    offset += 8 + content.length;
  });
  return {
    shp: Buffer.concat([header(offset, box), ...shp]),
    shx: Buffer.concat([header(100 + 8 * records.length, box), ...shx]),
    dbf: buildDbf(fields, records.map((r) => r.properties)),
  };
}
