import { streamItems, type TopLevelWalker, type WalkOptions } from './json-walker.ts';
import { ReaderError, asId, isPlainObject, type FeatureSource, type RawFeature } from './types.ts';

export const RECORDS_WALK: WalkOptions = { streamKeys: ['categories'], keep: [] };

/**
 * Opens a JSON file of plain records (the categories taxonomy): a top-level array of objects or
 * `{"categories": [...]}`, streamed item by item, geometry null. Trees are flattened in pre-order:
 * a record's `children` array becomes records of their own whose `parent` is the enclosing
 * record's `code` (an explicit `parent` is kept). `head` is the caller's scan of the top level.
 */
export function openJsonRecords(path: string, head: TopLevelWalker): FeatureSource {
  if (head.streamState === 'before') {
    throw new ReaderError(path, 'expected a JSON array of records or an object with a "categories" array');
  }
  return { format: 'json', features: records(path) };
}

async function* records(path: string): AsyncGenerator<RawFeature> {
  let index = 0;
  // Lazy: each record is yielded (and `index` advanced) before its children are visited.
  function* flatten(node: unknown, parent: unknown): Generator<Record<string, unknown>> {
    if (!isPlainObject(node)) {
      throw new ReaderError(path, `expected a record object, found ${JSON.stringify(node)?.slice(0, 60)}`, { index });
    }
    const { children, ...record } = node;
    if (parent !== undefined && record.parent === undefined) record.parent = parent;
    yield record;
    if (children === undefined || children === null) return;
    if (!Array.isArray(children)) throw new ReaderError(path, '"children" must be an array', { index: index - 1 });
    for (const child of children) yield* flatten(child, record.code);
  }
  for await (const { items } of streamItems(path, RECORDS_WALK)) {
    for (const item of items) {
      for (const properties of flatten(item, undefined)) {
        yield { index: index++, id: asId(properties.id), geometry: null, properties };
      }
    }
  }
}
