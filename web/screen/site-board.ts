/**
 * The key-site status board: per site type, how many sites are green, amber and red (红黄绿灯).
 * Counted in the browser from `GET /api/sites`, whose per-site `status` is the server's rule
 * (server/domain/site-status.ts), so the board and the map markers always agree.
 */
import type { SiteGrade } from '../../server/domain/site-status';
import { streetInScope } from './ticker';
import type { WallLevel } from './tour';

/** The site properties the board reads. */
export interface BoardSite {
  type: string;
  street: string | null;
  status: SiteGrade;
}

/** One row of the board. The three counts are disjoint: green + amber + red = total. */
export interface BoardRow {
  type: string;
  name: string;
  total: number;
  green: number;
  amber: number;
  red: number;
}

/**
 * Rows for `types` in the given order (a type without sites still gets its zero row), counting
 * only sites in `scope` (a district's or a street's) when one is given.
 */
export function siteBoard(
  sites: readonly BoardSite[], types: readonly { code: string; name: string }[], scope: { level: WallLevel; code: string } | null = null,
): BoardRow[] {
  const rows = new Map<string, BoardRow>(types.map((t) => [t.code, { type: t.code, name: t.name, total: 0, green: 0, amber: 0, red: 0 }]));
  for (const site of sites) {
    const row = rows.get(site.type);
    if (!row || (scope !== null && !streetInScope(site.street, scope))) continue;
    row.total++;
    row[site.status]++;
  }
  return [...rows.values()];
}
