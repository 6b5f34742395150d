import type { ImportKind } from '../import/kind.ts';
import type { ImportProgress } from '../import/pipeline.ts';

/** What the generator is building, in the order it builds it. */
export type GenerateStage = 'regions' | 'grids' | 'sites' | 'issues';

/** Progress of the generator: a stage starting, or (issues) how many are written so far. */
export type GenerateProgress = { stage: GenerateStage; done?: number; total?: number };

/** A count as the terminal shows it, with thousands separators. */
export const count = (n: number) => n.toLocaleString('en-US');
const percent = (done: number, total: number) => `${total > 0 ? Math.floor((done / total) * 100) : 100} %`;

/**
 * Turns the generator's and the import pipeline's progress into terminal lines for the first
 * start, which would otherwise be silent for half a minute: one line when a stage starts, and
 * running counts of the long stages at most every `everyMs`.
 */
export class DemoProgress {
  private stage = '';
  private printedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly log: (line: string) => void,
    private readonly clock: () => number = () => performance.now(),
    private readonly everyMs = 3_000,
  ) {}

  /** Feed of {@link generateDemo}'s `onProgress`. */
  readonly generating = (p: GenerateProgress): void => {
    if (p.done === undefined || p.total === undefined) this.start(`generate ${p.stage}`, `generating ${p.total === undefined ? '' : `${count(p.total)} `}${p.stage}…`);
    else this.running(`generate ${p.stage}`, `generating ${p.stage}: ${percent(p.done, p.total)} (${count(p.done)} of ${count(p.total)})`);
  };

  /** A feed for {@link runImport}'s `onProgress` while importing `total` records of `kind`. */
  importing(kind: ImportKind, total: number): (p: ImportProgress) => void {
    this.start(`import ${kind}`, `importing ${count(total)} ${kind}…`);
    return (p) => {
      if (p.stage === 'reading') this.running(`import ${kind}`, `importing ${kind}: ${percent(p.features, total)} read (${count(p.features)} of ${count(total)})`);
      else if (p.stage === 'checking') this.start(`check ${kind}`, `importing ${kind}: checking ${count(p.features)} records…`);
      else this.start(`merge ${kind}`, `importing ${kind}: writing ${count(p.features)} records…`);
    };
  }

  /** A new stage: always printed. */
  private start(stage: string, line: string): void {
    this.stage = stage;
    this.printedAt = this.clock();
    this.log(line);
  }

  /** A running count: printed when `everyMs` passed since the stage's last line. */
  private running(stage: string, line: string): void {
    const now = this.clock();
    if (stage === this.stage && now - this.printedAt < this.everyMs) return;
    this.stage = stage;
    this.printedAt = now;
    this.log(line);
  }
}
