/** Which photos of an issue a panel compares: its first 整改前 and its latest 整改后 (the closure's evidence). */
export function comparedPair<P extends { kind: string }>(photos: readonly P[]): { before: P | null; after: P | null; others: P[] } {
  const before = photos.find((p) => p.kind === 'before') ?? null;
  const after = photos.filter((p) => p.kind === 'after').at(-1) ?? null;
  return { before, after, others: photos.filter((p) => p !== before && p !== after) };
}
