import { createApp, type AppDeps } from '../../server/app.ts';
import type { Role } from '../../server/auth/roles.ts';
import { UserStore, type Principal } from '../../server/auth/users.ts';
import type { Database } from '../../server/db/database.ts';
import { loadScoring } from '../../server/kpi/score.ts';
import { loadSiteStatusRule } from '../../server/kpi/site-status-config.ts';
import { EventBus } from '../../server/live/bus.ts';
import { loadScreenConfig } from '../../server/routes/screen-config.ts';
import { securityDefaults, type SecurityDeps } from '../../server/security/config.ts';
import { join } from 'node:path';
import { readEnv } from '../../server/env.ts';
import { photoSettings } from '../../server/media/photo-service.ts';
import { MediaStore } from '../../server/media/store.ts';
import { freshDb, importCity } from './db.ts';
import { FIXTURE_NOW } from './fixture-clock.ts';
import { FIXTURE_SCORING } from './server-process.ts';

export { FIXTURE_NOW };

/**
 * Who requests without a token act as in route tests: an admin, so tests of what routes do need
 * no tokens. Tests of authentication pass `{ anonymous: undefined }` to get the server's real
 * behaviour (no token, no role).
 */
export const TEST_ADMIN: Principal = { id: 0, name: 'test-admin', role: 'admin', tokenPrefix: 'cg_test', expiresAt: null };

/** Limits no test reaches by accident; rate-limit tests set their own. */
const UNLIMITED = { burst: 1_000_000, perSecond: 1_000_000 };

export type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

export type TestApp = {
  app: ReturnType<typeof createApp>;
  db: Database;
  deps: AppDeps;
  users: UserStore;
  cleanup: () => Promise<void>;
  /** Issues a real token with `role` (name defaults to the role). */
  tokenFor: (role: Role, name?: string) => Promise<string>;
  /** `app.request` sending `Authorization: Bearer <token>` (other headers kept). */
  as: (token: string) => Fetch;
};

/** The security settings of test apps: test-admin for tokenless requests, no rate limits, address 127.0.0.1. */
export function testSecurity(users: UserStore, overrides: Partial<SecurityDeps> = {}): SecurityDeps {
  return securityDefaults(users, { anonymous: TEST_ADMIN, writeLimit: UNLIMITED, signInLimit: UNLIMITED, clientIp: () => '127.0.0.1', ...overrides });
}

/**
 * The API over a fresh database holding the fixture city (tests/fixtures/city), with a pinned
 * clock. Requests without a token act as {@link TEST_ADMIN}; `security` overrides the test
 * security settings (e.g. `{ anonymous: undefined, reads: 'token' }`).
 */
export async function cityApp(overrides: Partial<AppDeps> = {}, security: Partial<SecurityDeps> = {}): Promise<TestApp> {
  const { db, dir, cleanup } = await freshDb();
  await importCity(db);
  // The product's photo rules (close needs an 整改后 photo) with a media store beside the test database.
  const photos = photoSettings(readEnv({}), await MediaStore.open(join(dir, 'media')));
  const users = new UserStore(db, () => FIXTURE_NOW);
  const deps: AppDeps = {
    db, version: 'test', importMaxBytes: 64 * 1024,
    scoring: loadScoring(FIXTURE_SCORING), siteStatus: loadSiteStatusRule(), screen: loadScreenConfig(), bus: new EventBus(), now: () => FIXTURE_NOW,
    security: testSecurity(users, security), photos, ...overrides,
  };
  const app = createApp(deps);
  return {
    app, db, deps, users, cleanup,
    tokenFor: async (role, name = role) => (await users.add({ name, role, createdBy: 'test' })).token,
    as: (token) => (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return Promise.resolve(app.request(path, { ...init, headers }));
    },
  };
}
