import Assembler from 'stream-json/assembler.js';
import { JsonSyntaxError, tokenBatches, type Token } from './json-tokens.ts';
import { ReaderError } from './types.ts';

/** What to pick out of a JSON document's top level. */
export type WalkOptions = {
  /** Top-level members whose array items are streamed; the first one met wins. A top-level array is always streamed. */
  streamKeys: readonly string[];
  /** Top-level members that are small and wanted whole (e.g. `type`, `crs`); all others are skipped unassembled. */
  keep: readonly string[];
};

const VALUE_STARTS = new Set<Token['name']>([
  'startObject', 'startArray', 'stringValue', 'numberValue', 'nullValue', 'trueValue', 'falseValue',
]);

/**
 * A token consumer that knows only the top level of the document: it assembles the items of one
 * streamed array (one at a time, so memory stays bounded by the largest item) and the `keep`
 * members, and skips everything else by depth counting. It is stream-json's pick + streamArray,
 * done by hand so one pass can also see the members beside the array and count items exactly.
 */
export class TopLevelWalker {
  /** 'object' | 'array' | 'scalar' once the first token is seen. */
  topKind?: 'object' | 'array' | 'scalar';
  /** Which member is (or was) streamed; '' for a top-level array. */
  streamedKey?: string;
  streamState: 'before' | 'in' | 'after' = 'before';
  /** Streamed items completed so far: the index of the item being read. */
  itemCount = 0;
  /** The `keep` members seen so far. */
  readonly members: Record<string, unknown> = {};
  /** True once the top-level value has closed. */
  complete = false;

  private depth = 0;
  private itemDepth = 0;
  private key?: string;
  private asm?: Assembler;
  private asmKey?: string;
  private items: unknown[] = [];

  constructor(private readonly options: WalkOptions) {}

  /** Feeds one token. */
  consume(token: Token): void {
    if (this.asm) {
      this.asm.consume(token);
      if (this.asm.done) this.finishValue();
      return;
    }
    const name = token.name;
    if (name === 'keyValue') {
      if (this.depth === 1) this.key = token.value;
      return;
    }
    if (VALUE_STARTS.has(name) && this.startValue(token)) return;
    if (name === 'startObject' || name === 'startArray') this.depth++;
    else if (name === 'endObject' || name === 'endArray') {
      if (this.streamState === 'in' && this.depth === this.itemDepth) this.streamState = 'after';
      if (--this.depth === 0) this.complete = true;
    }
  }

  /** Takes the items completed since the last call. */
  drain(): unknown[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  /** Handles the first token of a value; true when it went to an assembler (no depth change here). */
  private startValue(token: Token): boolean {
    if (this.depth === 0) {
      this.topKind = token.name === 'startObject' ? 'object' : token.name === 'startArray' ? 'array' : 'scalar';
      if (this.topKind === 'array') this.beginStream('', 1);
      if (this.topKind === 'scalar') this.complete = true;
      return false;
    }
    if (this.streamState === 'in' && this.depth === this.itemDepth) return this.assemble(token);
    if (this.depth !== 1 || this.topKind !== 'object' || this.key === undefined) return false;
    const { streamKeys, keep } = this.options;
    if (this.streamState === 'before' && token.name === 'startArray' && streamKeys.includes(this.key)) {
      this.beginStream(this.key, 2);
      return false;
    }
    if (!keep.includes(this.key)) return false;
    this.asmKey = this.key;
    return this.assemble(token);
  }

  private beginStream(key: string, itemDepth: number): void {
    this.streamedKey = key;
    this.streamState = 'in';
    this.itemDepth = itemDepth;
  }

  private assemble(token: Token): true {
    this.asm = new Assembler();
    this.asm.consume(token);
    if (this.asm.done) this.finishValue();
    return true;
  }

  private finishValue(): void {
    const value = this.asm!.current;
    this.asm = undefined;
    if (this.asmKey !== undefined) {
      this.members[this.asmKey] = value;
      this.asmKey = undefined;
    } else {
      this.items.push(value);
      this.itemCount++;
    }
  }
}

/**
 * Streams the items of a JSON file's top-level array or of its first `streamKeys` member, in
 * batches (one per read chunk, to keep async overhead off the per-item path); `first` is the
 * 0-based index of the batch's first item. On a syntax error the file is replayed (see
 * tokenBatches), still delivering the items before the error that the failing chunk held, then a
 * ReaderError names the exact byte and the index of the item being read. A truncated file gives
 * a ReaderError too. `onEnd` sees the walker after the last token, e.g. to check members that
 * followed the array.
 */
export async function* streamItems(
  path: string,
  options: WalkOptions,
  onEnd?: (walker: TopLevelWalker) => void,
): AsyncGenerator<{ first: number; items: unknown[] }> {
  let walker = new TopLevelWalker(options);
  let fineFrom = Infinity;
  let delivered = 0;
  for (;;) {
    try {
      for await (const batch of tokenBatches(path, fineFrom)) {
        const first = walker.itemCount;
        for (const token of batch) walker.consume(token);
        // During a replay, items before `delivered` were delivered by the fast pass already.
        const items = walker.drain().slice(Math.max(0, delivered - first));
        if (!items.length) continue;
        yield { first: walker.itemCount - items.length, items };
        delivered = walker.itemCount;
      }
      break;
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      if (err.exact) throw new ReaderError(path, err.message, itemAt(walker));
      walker = new TopLevelWalker(options);
      fineFrom = err.byte;
    }
  }
  if (!walker.complete) {
    throw new ReaderError(path, 'unexpected end of file: the JSON document is truncated', itemAt(walker));
  }
  onEnd?.(walker);
}

/**
 * Reads only as far as needed to learn the document's shape: up to the chunk where the first
 * `streamKeys` array starts (or the end). The `keep` members met before it are in `members`;
 * for a small file that chunk is the whole file, so members after the array are there too.
 * A syntax error after the array has started is left for the streaming pass to report, so
 * that the items before it are still delivered.
 */
export async function scanTopLevel(path: string, options: WalkOptions): Promise<TopLevelWalker> {
  const walker = new TopLevelWalker(options);
  try {
    for await (const batch of tokenBatches(path)) {
      for (const token of batch) walker.consume(token);
      walker.drain();
      if (walker.streamState !== 'before' || walker.complete) return walker;
    }
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    const { error, walker: replayed } = await replayTo(path, options, err);
    if (replayed.streamState === 'before') throw error;
    return replayed;
  }
  if (walker.topKind === undefined) throw new ReaderError(path, 'the file holds no JSON object or array');
  throw new ReaderError(path, 'unexpected end of file: the JSON document is truncated');
}

/** Replays the file up to the failing chunk, then through it character by character. */
async function replayTo(
  path: string,
  options: WalkOptions,
  fast: JsonSyntaxError,
): Promise<{ error: ReaderError; walker: TopLevelWalker }> {
  const walker = new TopLevelWalker(options);
  let located = fast;
  try {
    for await (const batch of tokenBatches(path, fast.byte)) {
      for (const token of batch) walker.consume(token);
      walker.drain();
    }
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    located = err;
  }
  return { error: new ReaderError(path, located.message, itemAt(walker)), walker };
}

/** The index of the item being read, when the walker is inside the streamed array. */
function itemAt(walker: TopLevelWalker): { index?: number } {
  return walker.streamState === 'in' ? { index: walker.itemCount } : {};
}
