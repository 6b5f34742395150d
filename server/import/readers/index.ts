import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { openCsv } from './csv.ts';
import { sniffFileEncoding } from './encoding.ts';
import { openGeoJson } from './geojson.ts';
import { RECORDS_WALK, openJsonRecords } from './json-records.ts';
import { scanTopLevel } from './json-walker.ts';
import { openNdjson } from './ndjson.ts';
import { openShapefileZip } from './shapefile.ts';
import { ReaderError, type FeatureSource, type OpenOptions } from './types.ts';

export { ReaderError, type FeatureSource, type OpenOptions, type RawFeature } from './types.ts';

const BY_EXTENSION: Record<string, FeatureSource['format'] | 'json-or-geojson'> = {
  '.geojson': 'json-or-geojson',
  '.json': 'json-or-geojson',
  '.ndjson': 'ndjson',
  '.geojsonl': 'ndjson',
  '.jsonl': 'ndjson',
  '.csv': 'csv',
  '.zip': 'shapefile',
};

/**
 * Opens a data file as a stream of raw features. The format comes from `opts.format` or the
 * extension; a .json/.geojson file is a FeatureCollection (geojson) or plain records (json: a
 * top-level array or `{"categories": [...]}`), told apart by reading its top level. Format-level
 * problems (syntax, structure, unsafe or oversized archives) throw ReaderError, here or while
 * iterating `features`; nothing is validated against domain rules or reprojected.
 */
export async function openFeatureSource(path: string, opts: OpenOptions = {}): Promise<FeatureSource> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new ReaderError(path, 'no such file');
  const format = opts.format ?? BY_EXTENSION[extname(path).toLowerCase()];
  // JSON text is UTF-8 by definition; a GBK export would otherwise import as mojibake.
  if ((format === 'geojson' || format === 'json' || format === 'ndjson' || format === 'json-or-geojson') &&
    (await sniffFileEncoding(path)) !== 'utf8') {
    throw new ReaderError(path, 'the file is not valid UTF-8: JSON text must be UTF-8 (re-save a GBK export as UTF-8)');
  }
  switch (format) {
    case 'ndjson':
      return openNdjson(path);
    case 'csv':
      return openCsv(path, opts);
    case 'shapefile':
      return openShapefileZip(path, opts);
    case 'geojson':
      return openGeoJson(path);
    case 'json':
      return openJsonRecords(path, await scanTopLevel(path, RECORDS_WALK));
    case 'json-or-geojson': {
      const head = await scanTopLevel(path, { streamKeys: ['features', 'categories'], keep: ['type', 'crs'] });
      if (head.topKind === 'array' || head.streamedKey === 'categories') return openJsonRecords(path, head);
      if (head.topKind === 'object' && !('type' in head.members) && head.streamedKey === undefined) {
        throw new ReaderError(path, 'expected a GeoJSON FeatureCollection, a JSON array of records or an object with a "categories" array');
      }
      return openGeoJson(path, head);
    }
    default:
      throw new ReaderError(path, `unknown file type "${extname(path)}": expected .geojson, .json, .ndjson, .csv or .zip`);
  }
}
