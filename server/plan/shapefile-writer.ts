/**
 * A minimal ESRI Shapefile writer for one Point or Polygon layer (.shp, .shx, .dbf), enough for
 * exporting grid plans that GIS tools and our own importer read back, and for building test
 * fixtures (GBK text, null shapes). MultiPolygons are written as one multi-ring Polygon record.
 */
import type { MultiPolygon, Point, Polygon, Position } from 'geojson';
import iconv from 'iconv-lite';

/** A dBASE field: C = text, N = number (integers here). */
export type DbfField = { name: string; type: 'C' | 'N'; length: number };
/** Geometries a record may carry; null writes a null shape. */
export type ShpGeometry = Point | Polygon | MultiPolygon;
/** One feature to write. */
export type ShpRecord = { geometry: ShpGeometry | null; properties: Record<string, string | number | null> };
/** Text encoding of the DBF (declare it in a .cpg beside it). */
export type DbfEncoding = 'utf8' | 'gbk';
export type DbfOptions = { encoding?: DbfEncoding; /** "last update" stamped in the header; fix it for reproducible files. */ date?: Date };

const SHAPE_TYPE = { Point: 1, Polygon: 5, MultiPolygon: 5 } as const;

const encode = (text: string, encoding: DbfEncoding): Buffer => (encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8'));

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

function pointsOf(g: ShpGeometry): Position[] {
  return g.type === 'Point' ? [g.coordinates] : shpRings(g).flat();
}

function boxOf(points: Position[]): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
  return [minX, minY, maxX, maxY];
}

function shapeContent(g: ShpGeometry | null): Buffer {
  if (!g) return Buffer.alloc(4); // shape type 0: null shape
  if (g.type === 'Point') {
    const buf = Buffer.alloc(20);
    buf.writeInt32LE(SHAPE_TYPE.Point, 0);
    buf.writeDoubleLE(g.coordinates[0], 4);
    buf.writeDoubleLE(g.coordinates[1], 12);
    return buf;
  }
  const rings = shpRings(g);
  const points = rings.flat();
  const buf = Buffer.alloc(44 + 4 * rings.length + 16 * points.length);
  buf.writeInt32LE(SHAPE_TYPE.Polygon, 0);
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

function header(shapeType: number, bytes: number, box: number[]): Buffer {
  const buf = Buffer.alloc(100);
  buf.writeInt32BE(9994, 0);
  buf.writeInt32BE(bytes / 2, 24); // lengths count 16-bit words
  buf.writeInt32LE(1000, 28);
  buf.writeInt32LE(shapeType, 32);
  box.forEach((v, i) => buf.writeDoubleLE(v, 36 + 8 * i));
  return buf;
}

/** Writes a dBASE III table; text, field names included (≤ 10 bytes), in `encoding` (default UTF-8). */
function buildDbf(fields: DbfField[], rows: ShpRecord['properties'][], opts: DbfOptions = {}): Buffer {
  const encoding = opts.encoding ?? 'utf8';
  const date = opts.date ?? new Date();
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((sum, f) => sum + f.length, 0);
  const head = Buffer.alloc(headerLength);
  head.writeUInt8(0x03, 0);
  head.writeUInt8(date.getUTCFullYear() - 1900, 1);
  head.writeUInt8(date.getUTCMonth() + 1, 2);
  head.writeUInt8(date.getUTCDate(), 3);
  head.writeUInt32LE(rows.length, 4);
  head.writeUInt16LE(headerLength, 8);
  head.writeUInt16LE(recordLength, 10);
  head.writeUInt8(encoding === 'gbk' ? 0x4d : 0x00, 29); // language driver: 0x4D = GB2312/CP936
  fields.forEach((field, i) => {
    const name = encode(field.name, encoding);
    if (name.length > 10) throw new Error(`DBF field name ${field.name} is over 10 bytes in ${encoding}`);
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
      const bytes = encode(value === null || value === undefined ? '' : String(value), encoding);
      if (bytes.length > field.length) throw new Error(`${field.name}=${value} is over ${field.length} bytes`);
      bytes.copy(record, field.type === 'N' ? at + field.length - bytes.length : at);
      at += field.length;
    }
    return record;
  });
  return Buffer.concat([head, ...records, Buffer.from([0x1a])]);
}

/** The .shp, .shx and .dbf of one layer; its shape type is that of the first non-null geometry. */
export function buildShapefile(records: ShpRecord[], fields: DbfField[], opts: DbfOptions = {}): { shp: Buffer; shx: Buffer; dbf: Buffer } {
  const shapes = records.map((r) => r.geometry).filter((g): g is ShpGeometry => g !== null);
  const shapeType = shapes.length ? SHAPE_TYPE[shapes[0].type] : 0;
  const all = shapes.flatMap(pointsOf);
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
    shp: Buffer.concat([header(shapeType, offset, box), ...shp]),
    shx: Buffer.concat([header(shapeType, 100 + 8 * records.length, box), ...shx]),
    dbf: buildDbf(fields, records.map((r) => r.properties), opts),
  };
}
