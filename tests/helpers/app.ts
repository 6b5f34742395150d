import { createApp, type AppDeps } from '../../server/app.ts';
import type { Database } from '../../server/db/database.ts';
import { loadScoring } from '../../server/kpi/score.ts';
import { EventBus } from '../../server/live/bus.ts';
import { freshDb, importCity } from './db.ts';

/** "Now" for the fixture city: its issues are from Sep–Nov 2026, so every answer below is fixed. */
export const FIXTURE_NOW = new Date('2026-11-25T04:00:00Z');

export type TestApp = { app: ReturnType<typeof createApp>; db: Database; deps: AppDeps; cleanup: () => Promise<void> };

/** The API over a fresh database holding the fixture city (tests/fixtures/city), with a pinned clock. */
export async function cityApp(overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const { db, cleanup } = await freshDb();
  await importCity(db);
  const deps: AppDeps = {
    db, version: 'test', importGate: () => true, importMaxBytes: 64 * 1024,
    scoring: loadScoring(), bus: new EventBus(), now: () => FIXTURE_NOW, ...overrides,
  };
  return { app: createApp(deps), db, deps, cleanup };
}
