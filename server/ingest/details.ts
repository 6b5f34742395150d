import type { IssueDetail } from '../queries/issues.ts';

type Wanted = { id: string; reportedAt: number; resolve: (d: IssueDetail | undefined) => void; reject: (e: unknown) => void };

/**
 * The answers to freshly ingested reports: each is the stored issue, read back. A batch's reports
 * are settled together, so the issues asked for in one turn of the event loop are read together —
 * one read per batch instead of one per report, each a scan of the issues and their events (at
 * 10 M issues under load, over a second each, and 30 of them per batch).
 */
export class FreshDetails {
  private wanted: Wanted[] = [];

  /** `read`: the issues `ids`, every one reported at or after `from`. */
  constructor(private readonly read: (ids: string[], from: Date) => Promise<Map<string, IssueDetail>>) {}

  /** Issue `id`, reported at `reportedAt` (epoch ms); undefined if it is not stored. */
  get(id: string, reportedAt: number): Promise<IssueDetail | undefined> {
    return new Promise((resolve, reject) => {
      if (!this.wanted.length) setImmediate(() => this.flush());
      this.wanted.push({ id, reportedAt, resolve, reject });
    });
  }

  private flush(): void {
    const wanted = this.wanted;
    this.wanted = [];
    const from = new Date(Math.min(...wanted.map((w) => w.reportedAt)));
    this.read([...new Set(wanted.map((w) => w.id))], from).then(
      (found) => wanted.forEach((w) => w.resolve(found.get(w.id))),
      (err: unknown) => wanted.forEach((w) => w.reject(err)),
    );
  }
}
