/**
 * `npm run user -- add --name 张三 --role viewer|operator|planner|admin [--expires 90d]`
 * `npm run user -- list`
 * `npm run user -- revoke ID` or `npm run user -- revoke --name 张三` (every token of that name)
 *
 * Works on CIVGRID_DB directly, or through the running server that holds it (with the token from
 * CIVGRID_TOKEN or the admin token file). `add` prints the new token once; only its hash is kept.
 */
import { parseArgs } from 'node:util';
import { parseExpiry } from '../server/auth/expiry.ts';
import { callServer, HandoffError } from '../server/auth/handoff.ts';
import { isRole, ROLES } from '../server/auth/roles.ts';
import { UserStore } from '../server/auth/users.ts';
import { serverClock } from '../server/clock.ts';
import { Database, isLockError } from '../server/db/database.ts';
import { migrate } from '../server/db/migrations.ts';
import { readEnv } from '../server/env.ts';
import { restrictNewFiles } from '../server/file-modes.ts';

// The files it writes (database, WAL, backups, generated data) are private: 0600 in 0700 folders.
restrictNewFiles();

const USAGE = `usage: npm run user -- add --name NAME --role ${ROLES.join('|')} [--expires 90d|12h|2w|YYYY-MM-DD]
       npm run user -- list
       npm run user -- revoke ID | --name NAME`;

/** A user as both the store and the API describe it (dates as text from the API). */
type Listed = { id: number; name: string; role: string; tokenPrefix: string; active: boolean; createdAt: string | Date; expiresAt: string | Date | null; revokedAt: string | Date | null };

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, role: { type: 'string' }, expires: { type: 'string' }, help: { type: 'boolean' } } });
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
})();
const [command, arg] = positionals;
if (values.help) fail(USAGE, 0);
if (!command || !['add', 'list', 'revoke'].includes(command)) fail(USAGE);

const env = readEnv();
// The server's clock, so a token's expiry means the same to this tool and to the server.
const now = serverClock(env.CIVGRID_TEST_NOW);
const stamp = (d: string | Date | null) => (d === null ? '—' : new Date(d).toISOString().slice(0, 16).replace('T', ' ') + 'Z');

try {
  if (command === 'add') await add();
  else if (command === 'list') print(await withStore((s) => s.list(), () => callServer<Listed[]>(env.dbPath, 'GET', '/api/users')));
  else await revoke();
} catch (err) {
  if (err instanceof HandoffError) fail(err.message, 1);
  throw err;
}

async function add() {
  if (!values.name || !values.role) fail(`add needs --name and --role\n${USAGE}`);
  const role = values.role;
  if (!isRole(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  if (values.expires !== undefined) {
    try {
      parseExpiry(values.expires, now());
    } catch (err) {
      fail((err as Error).message);
    }
  }
  const { token, user } = await withStore(
    async (s) => s.add({ name: values.name!, role, expiresAt: values.expires ? parseExpiry(values.expires, now()) : null, createdBy: 'cli' }),
    () => callServer<{ token: string; user: Listed }>(env.dbPath, 'POST', '/api/users', { name: values.name, role, expires: values.expires }),
  );
  console.error(`token ${user.id} for ${user.name} (${user.role}), expires ${stamp(user.expiresAt)}. It is shown only now:`);
  console.log(token);
}

async function revoke() {
  const target = values.name !== undefined ? { name: values.name } : /^\d+$/.test(arg ?? '') ? { id: Number(arg) } : fail(`revoke needs a token ID or --name\n${USAGE}`);
  const revoked = await withStore(
    (s) => s.revoke(target, 'cli'),
    async () => {
      if ('id' in target) return [await callServer<Listed>(env.dbPath, 'DELETE', `/api/users/${target.id}`)];
      // The API revokes by id: revoke each active token of that name.
      const all = await callServer<Listed[]>(env.dbPath, 'GET', '/api/users');
      const mine = all.filter((u) => u.name === target.name && u.active && u.revokedAt === null);
      return Promise.all(mine.map((u) => callServer<Listed>(env.dbPath, 'DELETE', `/api/users/${u.id}`)));
    },
  );
  if (!revoked.length) fail('nothing to revoke: no such active token', 1);
  for (const u of revoked) console.log(`revoked token ${u.id} (${u.name}, ${u.role}, ${u.tokenPrefix}…)`);
}

/** Runs `local` on the database, or `remote` against the server that holds it. */
async function withStore<T>(local: (s: UserStore) => Promise<T>, remote: () => Promise<T>): Promise<T> {
  let db: Database;
  try {
    db = await Database.open(env.dbPath);
  } catch (err) {
    if (isLockError(err)) return remote();
    throw err;
  }
  try {
    await migrate(db);
    return await local(new UserStore(db, now));
  } finally {
    await db.close();
  }
}

function print(users: Listed[]) {
  if (!users.length) {
    console.log('no tokens issued yet (the server creates an admin token on first start)');
    return;
  }
  console.log(['id', 'name', 'role', 'token', 'state', 'created', 'expires'].join('\t'));
  for (const u of users) {
    const state = u.revokedAt ? `revoked ${stamp(u.revokedAt)}` : u.active ? 'active' : 'expired';
    console.log([u.id, u.name, u.role, `${u.tokenPrefix}…`, state, stamp(u.createdAt), stamp(u.expiresAt)].join('\t'));
  }
}
