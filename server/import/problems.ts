/** One reason a file was rejected, located as precisely as the format allows. */
export type ImportProblem = {
  /** 0-based position of the feature/row in the file; absent for file-level problems. */
  index?: number;
  id?: string;
  field?: string;
  code: string;
  reason: string;
};

/** Keeps the first `limit` problems in full and counts the rest, so a broken 1 GB file can't exhaust memory. */
export class ProblemList<P = ImportProblem> {
  readonly items: P[] = [];
  count = 0;
  constructor(private readonly limit = 100) {}

  add(problem: P): void {
    this.count++;
    if (this.items.length < this.limit) this.items.push(problem);
  }

  /** Counts problems that were found in bulk but not itemised. */
  addUnlisted(n: number): void {
    this.count += n;
  }

  get more(): number {
    return this.count - this.items.length;
  }
}

/** Formats one problem as a line for the CLI: `file: feature #12 (id X), field category: reason`. */
export function formatProblem(file: string, p: ImportProblem): string {
  const where = [
    p.index !== undefined ? `feature #${p.index}` : null,
    p.id !== undefined ? `(id ${p.id})` : null,
    p.field ? `field ${p.field}` : null,
  ].filter(Boolean);
  return `${file}: ${where.length ? where.join(' ') + ': ' : ''}${p.reason} [${p.code}]`;
}
