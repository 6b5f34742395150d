import { basename } from 'node:path';

/** One feature as found in the file: no property mapping, no CRS conversion, no domain checks. */
export type RawFeature = {
  /** 0-based position in file order (after blank lines are skipped and category trees flattened). */
  index: number;
  id?: string | number;
  geometry: unknown | null;
  properties: Record<string, unknown>;
};

/** An opened input file: what the pipeline needs to know up front, then the features one by one. */
export type FeatureSource = {
  format: 'geojson' | 'ndjson' | 'csv' | 'json' | 'shapefile';
  /** Raw CRS declarations for the CRS module to interpret; the readers never transform coordinates. */
  crsHint?: { geojsonCrs?: unknown; prj?: string };
  /** Text encoding used to decode the file ('utf8' or 'gbk'), for CSV and Shapefile DBF. */
  encoding?: string;
  features: AsyncIterable<RawFeature>;
};

/** Options of `openFeatureSource`. */
export type OpenOptions = {
  /** Overrides detection by extension. */
  format?: FeatureSource['format'];
  /** Forces the text encoding of a CSV file or a Shapefile's DBF (ignoring .cpg and sniffing). */
  encoding?: 'utf8' | 'gbk';
  /** CSV column holding longitude, when it has none of the usual names. */
  lonField?: string;
  /** CSV column holding latitude, when it has none of the usual names. */
  latField?: string;
  /** Zip-bomb guard: most bytes the Shapefile entries may inflate to. Default 2 GiB. */
  maxUnzippedBytes?: number;
};

/**
 * A format-level problem (broken syntax, wrong structure, unsafe archive). `index` is the 0-based
 * feature index and `line` the 1-based text line, when the format lets us know them.
 */
export class ReaderError extends Error {
  readonly file: string;
  readonly index?: number;
  readonly line?: number;
  readonly reason: string;

  /** A specific problem code for the report; default `unreadable`. */
  readonly code?: string;

  constructor(file: string, reason: string, where: { index?: number; line?: number; code?: string } = {}) {
    const at = [
      where.line !== undefined ? `line ${where.line}` : '',
      where.index !== undefined ? `feature ${where.index}` : '',
    ].filter(Boolean);
    super(`${basename(file)}: ${reason}${at.length ? ` (${at.join(', ')})` : ''}`);
    this.name = 'ReaderError';
    this.file = file;
    this.reason = reason;
    this.index = where.index;
    this.line = where.line;
    this.code = where.code;
  }
}

/** A JSON object that is not an array (what GeoJSON calls an object). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A usable feature id: a string or a finite number, else undefined. */
export function asId(value: unknown): string | number | undefined {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return undefined;
}

/**
 * Checks that `value` is a GeoJSON Feature and returns it as a RawFeature. Geometry is passed on
 * untouched (the validator judges it); the id comes from `feature.id`, else `properties.id`.
 */
export function toRawFeature(
  value: unknown,
  index: number,
  fail: (reason: string) => never,
): RawFeature {
  if (!isPlainObject(value) || value.type !== 'Feature') {
    const what = isPlainObject(value) ? `an object of type ${JSON.stringify(value.type)}` : JSON.stringify(value);
    return fail(`expected a GeoJSON Feature, found ${String(what).slice(0, 60)}`);
  }
  const props = value.properties ?? {};
  if (!isPlainObject(props)) return fail('Feature "properties" must be an object or null');
  return {
    index,
    id: asId(value.id) ?? asId(props.id),
    geometry: value.geometry ?? null,
    properties: props,
  };
}
