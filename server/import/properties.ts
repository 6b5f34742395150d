/**
 * Property-name mapping for imports: canonical names (README's *Properties*), their Chinese and English aliases,
 * and the user's `--map target=source` overrides, which win over aliases.
 */
export type PropertyAliases = Record<string, readonly string[]>;

/** Parses `--map` pairs like `code=GRID_ID` into target → source. Throws on a malformed pair. */
export function parseMapPairs(pairs: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new Error(`--map expects target=source, got "${pair}"`);
    map[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return map;
}

/** A property name as the picker compares it: case-, space-, dash- and underscore-insensitive. */
export const normalisePropertyName = (name: string) => name.trim().toLowerCase().replace(/[\s_\-]+/g, '');
const normalise = normalisePropertyName;

/**
 * For each canonical property, the normalised names that may carry it, in order of preference:
 * the `--map` override first, then the canonical name, then its aliases.
 */
export function propertyCandidates(aliases: PropertyAliases, overrides: Record<string, string> = {}): Map<string, string[]> {
  const candidates = new Map<string, string[]>();
  for (const [target, names] of Object.entries(aliases)) {
    const list = [target, ...names].map(normalise);
    const override = overrides[target];
    candidates.set(target, override ? [normalise(override), ...list] : list);
  }
  return candidates;
}

/**
 * Builds a function that picks canonical properties out of a raw property bag: per property, the
 * first candidate name (see {@link propertyCandidates}) with a value that is not empty.
 * Lookup is case-, space- and underscore-insensitive so `Reported At`, `reported_at` and `REPORTEDAT` agree.
 */
export function makePropertyPicker(aliases: PropertyAliases, overrides: Record<string, string> = {}) {
  const candidates = propertyCandidates(aliases, overrides);
  return (props: Record<string, unknown>): Record<string, unknown> => {
    const byName = new Map<string, unknown>();
    for (const [k, v] of Object.entries(props)) {
      const key = normalise(k);
      if (!byName.has(key)) byName.set(key, v);
    }
    const out: Record<string, unknown> = {};
    for (const [target, names] of candidates) {
      for (const name of names) {
        const v = byName.get(name);
        if (v !== undefined && v !== null && v !== '') {
          out[target] = v;
          break;
        }
      }
    }
    return out;
  };
}

/** Checks that every `--map` target is a property this kind knows, so typos fail loudly. */
export function unknownMapTargets(aliases: PropertyAliases, overrides: Record<string, string>): string[] {
  return Object.keys(overrides).filter((t) => !(t in aliases));
}
