import { open } from 'node:fs/promises';
import { scanTopLevel, streamItems, type TopLevelWalker, type WalkOptions } from './json-walker.ts';
import { ReaderError, isPlainObject, toRawFeature, type FeatureSource, type RawFeature } from './types.ts';

/** Bytes read from the end of the file to find top-level members written after `features`. */
const TAIL_BYTES = 64 * 1024;

// After the features array: either more members (`, "key"`) or the end of the collection.
const AFTER_ARRAY = /\s*(?:(,)\s*"|\}\s*$)/y;

const WALK: WalkOptions = { streamKeys: ['features'], keep: ['type', 'crs'] };

/**
 * Opens a GeoJSON FeatureCollection for streaming. The features array is never held whole:
 * items are assembled one at a time (see TopLevelWalker).
 *
 * The legacy top-level `crs` member must be known before the first feature is converted, yet it
 * may be written before or after `features`. So opening reads the head of the file up to where
 * `features` starts, and, when `crs` or `type` was not there, the last 64 KB, whose members after
 * the features array are recovered by `trailingMembers`. Should a `crs` still appear after the
 * features (trailing members larger than 64 KB), the stream ends with a ReaderError rather than
 * letting features through in the wrong CRS. `head` is the caller's scan, when it already did one.
 */
export async function openGeoJson(path: string, head?: TopLevelWalker): Promise<FeatureSource> {
  const scan = head ?? (await scanTopLevel(path, WALK));
  const members = { ...scan.members };
  if (!scan.complete && (!('crs' in members) || !('type' in members))) {
    const tail = await trailingMembers(path);
    for (const key of WALK.keep) if (!(key in members) && tail && key in tail) members[key] = tail[key];
  }
  if (scan.topKind !== 'object' || members.type !== 'FeatureCollection') {
    const found = scan.topKind === 'object' ? `an object of type ${JSON.stringify(members.type)}` : `a JSON ${scan.topKind}`;
    throw new ReaderError(path, `expected a GeoJSON FeatureCollection, found ${found}`);
  }
  if (scan.streamedKey !== 'features') {
    throw new ReaderError(path, 'the FeatureCollection has no "features" array');
  }
  const crsKnown = 'crs' in members;
  return {
    format: 'geojson',
    crsHint: crsKnown ? { geojsonCrs: members.crs } : {},
    features: features(path, crsKnown),
  };
}

async function* features(path: string, crsKnown: boolean): AsyncGenerator<RawFeature> {
  const checkEnd = (walker: TopLevelWalker) => {
    if (!crsKnown && 'crs' in walker.members) {
      throw new ReaderError(path, 'a "crs" member follows "features" too far from the end of the file to be read first; move it before "features" or declare the CRS');
    }
  };
  for await (const { first, items } of streamItems(path, WALK, checkEnd)) {
    for (let i = 0; i < items.length; i++) {
      const index = first + i;
      yield toRawFeature(items[i], index, (reason) => {
        throw new ReaderError(path, reason, { index });
      });
    }
  }
}

/**
 * The top-level members that follow the `features` array, from the last TAIL_BYTES of the file,
 * or undefined when the end of that array is not within them. The end of the array is the first
 * `]` whose remainder parses as `{` + remainder (`,"crs":{…},"type":"…"}`); a `]` inside a
 * feature cannot qualify, as its remainder still closes the features array and the collection,
 * which leaves brackets unbalanced.
 */
async function trailingMembers(path: string): Promise<Record<string, unknown> | undefined> {
  const file = await open(path, 'r');
  let text: string;
  try {
    const { size } = await file.stat();
    const length = Math.min(size, TAIL_BYTES);
    const { buffer } = await file.read({ buffer: Buffer.alloc(length), position: size - length });
    text = buffer.toString('utf8');
  } finally {
    await file.close();
  }
  for (let at = text.indexOf(']'); at !== -1; at = text.indexOf(']', at + 1)) {
    AFTER_ARRAY.lastIndex = at + 1;
    const after = AFTER_ARRAY.exec(text);
    if (!after) continue;
    if (after[1] === undefined) return {};
    try {
      const parsed: unknown = JSON.parse(`{${text.slice(AFTER_ARRAY.lastIndex - 1)}`);
      if (isPlainObject(parsed)) return parsed;
    } catch {
      // not the end of the features array; try the next bracket
    }
  }
  return undefined;
}
