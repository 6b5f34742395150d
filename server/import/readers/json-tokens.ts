import { createReadStream } from 'node:fs';
import { jsonParser, type Token } from 'stream-json/core/parser.js';

export type { Token };

/** Read size of the fast pass; also the span that is replayed character by character on error. */
const CHUNK_BYTES = 64 * 1024;

/** A JSON syntax error at `byte` (exact when `exact`, else the start of the chunk holding it). */
export class JsonSyntaxError extends Error {
  constructor(
    readonly byte: number,
    readonly exact: boolean,
    readonly detail: string,
  ) {
    super(`invalid JSON near byte ${byte}: ${detail}`);
  }
}

// The tokenizer returns a stream-chain `Many` box (or `none` when it has nothing yet).
const unbox = (out: unknown): Token[] => (out as { values?: Token[] }).values ?? [];

const detailOf = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).replace(/^Parser (cannot parse input: |has )/, '');

/**
 * Streams a UTF-8 JSON file as packed stream-json tokens, one batch per read chunk, so callers
 * can hold a bounded amount of the document. The raw tokenizer is used instead of a stream-chain
 * pipeline: it lets us drive it synchronously, count bytes and replay.
 *
 * A syntax error in the fast pass throws an inexact JsonSyntaxError (tokens of the failing chunk
 * are lost, because the tokenizer throws instead of returning them). To pin it down, call again
 * with `fineFrom` = that error's byte: chunks from there on are fed one character at a time, so
 * the error is exact and every token before it is delivered. No final flush is done: callers
 * detect truncation from the structure (the top-level value never closed).
 */
export async function* tokenBatches(path: string, fineFrom = Infinity): AsyncGenerator<Token[]> {
  const tokenize = jsonParser({ streamValues: false });
  // Non-fatal decoder: invalid bytes become U+FFFD inside strings; a leading BOM is dropped.
  const decoder = new TextDecoder('utf-8');
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    const start = offset;
    offset += chunk.length;
    const text = decoder.decode(chunk, { stream: true });
    if (offset <= fineFrom) {
      try {
        yield unbox(tokenize(text));
      } catch (err) {
        throw new JsonSyntaxError(start, false, detailOf(err));
      }
      continue;
    }
    // Replay: character by character, so the throw happens at the offending character.
    let byte = start + (start === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0);
    try {
      for (const ch of text) {
        yield unbox(tokenize(ch));
        byte += Buffer.byteLength(ch);
      }
    } catch (err) {
      throw new JsonSyntaxError(byte, true, detailOf(err));
    }
  }
}
