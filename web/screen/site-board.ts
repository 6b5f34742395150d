/**
 * The key-site status board: per site type, how many sites are fine, have open issues, or have
 * overdue ones. Counted in the browser from `GET /api/sites`, whose per-site `status` is the
 * server's rule (overdue outranks open), so the board and the map markers always agree.
 */

/** The site properties the board reads. */
export interface BoardSite {
  type: string;
  street: string | null;
  status: 'ok' | 'open' | 'overdue';
}

/** One row of the board. The three counts are disjoint: ok + open + overdue = total. */
export interface BoardRow {
  type: string;
  name: string;
  total: number;
  ok: number;
  /** Sites with open issues, none overdue. */
  open: number;
  /** Sites with at least one overdue issue. */
  overdue: number;
}

/**
 * Rows for `types` in the given order (a type without sites still gets its zero row), counting
 * only sites in `street` when one is given.
 */
export function siteBoard(sites: readonly BoardSite[], types: readonly { code: string; name: string }[], street: string | null = null): BoardRow[] {
  const rows = new Map<string, BoardRow>(types.map((t) => [t.code, { type: t.code, name: t.name, total: 0, ok: 0, open: 0, overdue: 0 }]));
  for (const site of sites) {
    const row = rows.get(site.type);
    if (!row || (street !== null && site.street !== street)) continue;
    row.total++;
    row[site.status]++;
  }
  return [...rows.values()];
}
