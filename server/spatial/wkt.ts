/**
 * A minimal reader for WKT coordinate-system text (the content of ESRI/OGC `.prj` files).
 *
 * Only the tree structure is parsed here; interpreting it as a CRS lives in `prj.ts`, so that
 * the tokenizer can stay ignorant of which keywords matter.
 */

/** One `KEYWORD[arg, arg, …]` node; arguments are quoted strings, numbers, bare words or nodes. */
export interface WktNode {
  keyword: string;
  args: WktValue[];
}

/** An argument of a WKT node. Bare words (WKT2 enums like `north`) are kept as strings. */
export type WktValue = string | number | WktNode;

/**
 * Parses one WKT node (WKT1 or WKT2; `[` and `(` brackets alike).
 * @throws Error naming the position when the text is not well-formed WKT.
 */
export function parseWkt(text: string): WktNode {
  let pos = 0;
  const src = text.replace(/^\uFEFF/, '');

  const fail = (what: string): never => {
    throw new Error(`malformed WKT at character ${pos}: ${what}`);
  };
  const skipSpace = () => {
    while (pos < src.length && /\s/.test(src[pos])) pos++;
  };

  const readNode = (): WktNode => {
    skipSpace();
    const start = pos;
    while (pos < src.length && /[A-Za-z0-9_]/.test(src[pos])) pos++;
    const keyword = src.slice(start, pos).toUpperCase();
    if (!keyword) fail('expected a keyword');
    skipSpace();
    const open = src[pos];
    if (open !== '[' && open !== '(') fail(`expected "[" after ${keyword}`);
    const close = open === '[' ? ']' : ')';
    pos++;
    const args: WktValue[] = [];
    for (;;) {
      skipSpace();
      if (src[pos] === close) {
        pos++;
        return { keyword, args };
      }
      args.push(readValue());
      skipSpace();
      if (src[pos] === ',') pos++;
      else if (src[pos] !== close) fail(`expected "," or "${close}" in ${keyword}`);
    }
  };

  const readValue = (): WktValue => {
    const ch = src[pos];
    if (ch === undefined) return fail('unexpected end of text');
    if (ch === '"') {
      // WKT escapes a quote inside a string by doubling it.
      let out = '';
      pos++;
      for (;;) {
        if (pos >= src.length) fail('unterminated string');
        if (src[pos] === '"') {
          if (src[pos + 1] === '"') {
            out += '"';
            pos += 2;
            continue;
          }
          pos++;
          return out;
        }
        out += src[pos++];
      }
    }
    if (/[-+.\d]/.test(ch)) {
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(pos));
      if (!m) return fail('bad number');
      pos += m[0].length;
      return Number(m[0]);
    }
    const wordStart = pos;
    while (pos < src.length && /[A-Za-z0-9_]/.test(src[pos])) pos++;
    const word = src.slice(wordStart, pos);
    if (!word) return fail(`unexpected character "${ch}"`);
    skipSpace();
    if (src[pos] === '[' || src[pos] === '(') {
      pos = wordStart;
      return readNode();
    }
    return word;
  };

  const node = readNode();
  skipSpace();
  if (pos < src.length) fail('trailing text after the root node');
  return node;
}

/** The direct children of `node` whose keyword is one of `keywords`. */
export function wktChildren(node: WktNode, ...keywords: string[]): WktNode[] {
  return node.args.filter(
    (a): a is WktNode => typeof a === 'object' && keywords.includes(a.keyword),
  );
}

/** The first direct child with one of `keywords`, or undefined. */
export function wktChild(node: WktNode, ...keywords: string[]): WktNode | undefined {
  return wktChildren(node, ...keywords)[0];
}

/** Depth-first search for the first node (including `node`) with one of `keywords`. */
export function wktFind(node: WktNode, ...keywords: string[]): WktNode | undefined {
  if (keywords.includes(node.keyword)) return node;
  for (const a of node.args) {
    if (typeof a === 'object') {
      const hit = wktFind(a, ...keywords);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** The node's name, i.e. its first argument when that is a string. */
export function wktName(node: WktNode | undefined): string {
  const first = node?.args[0];
  return typeof first === 'string' ? first : '';
}
