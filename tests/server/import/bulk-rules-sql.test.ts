/**
 * The rules the bulk path runs as SQL (server/import/bulk/sql.ts) against the TypeScript rules
 * they are generated from, over the same rows: the issue time rules of the workflow and the
 * geometry step on a plain point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { issueTimesOkSql, plainPointOkSql } from '../../../server/import/bulk/sql.ts';
import { prepareGeometry } from '../../../server/import/geometry-step.ts';
import { MINUTE } from '../../../server/domain/time.ts';
import { EVENT_TIMES, issueTimeProblems, type EventTime, type IssueTimes } from '../../../server/domain/workflow.ts';
import { WGS84 } from '../../../server/spatial/crs.ts';
import { freshDb } from '../../helpers/db.ts';

let db: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await freshDb());
});
afterAll(async () => cleanup());

const FIELDS = [...EVENT_TIMES, 'deadline'] as const;
const NOW = Date.UTC(2026, 10, 2, 1, 0, 0);
const SKEW = 5 * MINUTE;

/** Every combination of a few telling values per time: absent, early, equal, later, the last allowed, one ms past it. */
function timeRows(): IssueTimes[] {
  const values = [undefined, NOW - 2 * MINUTE, NOW - MINUTE, NOW + SKEW, NOW + SKEW + 1];
  let rows: IssueTimes[] = [{}];
  for (const f of FIELDS) rows = rows.flatMap((r) => values.map((v) => (v === undefined ? r : { ...r, [f]: v })));
  return rows;
}

describe('bulk rules as SQL', () => {
  it('judges issue times exactly as issueTimeProblems does', async () => {
    const rows = timeRows();
    expect(rows.length).toBe(5 ** FIELDS.length);
    const column = (f: EventTime | 'deadline') => `t_${f}`;
    const sql = issueTimesOkSql(column, '$latest');
    const values = rows.map((r, i) => `(${i}, ${FIELDS.map((f) => r[f] ?? 'NULL').join(', ')})`).join(', ');
    const verdicts = await db.all<{ i: number; ok: boolean }>(
      `SELECT i, ${sql} AS ok FROM (VALUES ${values}) AS t(i, ${FIELDS.map(column).join(', ')}) ORDER BY i`,
      { latest: NOW + SKEW },
    );
    const expected = rows.map((r, i) => ({ i, ok: issueTimeProblems(r, NOW, SKEW).length === 0 }));
    expect(verdicts).toEqual(expected);
    // Both answers occur, for each kind of problem.
    expect(expected.filter((v) => v.ok).length).toBeGreaterThan(100);
    expect(verdicts.find((v) => !v.ok)).toBeDefined();
  });

  it('passes a plain point exactly when the geometry step finds nothing to report', async () => {
    const edges = [-181, -180, 0, 2.999999, 3, 25, 53.99, 54, 54.000001, 72.999999, 73, 102.7, 136, 136.000001, 180, 180.5];
    const points = edges.flatMap((lon) => edges.map((lat) => [lon, lat] as const));
    const values = points.map(([lon, lat], i) => `(${i}, ${lon}::DOUBLE, ${lat}::DOUBLE)`).join(', ');
    const verdicts = await db.all<{ i: number; ok: boolean }>(
      `SELECT i, ${plainPointOkSql('lon', 'lat')} AS ok FROM (VALUES ${values}) AS t(i, lon, lat) ORDER BY i`,
    );
    const step = { allowed: ['Point'], crs: WGS84 };
    const expected = points.map(([lon, lat], i) => ({ i, ok: prepareGeometry({ type: 'Point', coordinates: [lon, lat] }, step).problems.length === 0 }));
    expect(verdicts).toEqual(expected);
    expect(expected.filter((v) => v.ok).length).toBeGreaterThan(10);
  });
});
