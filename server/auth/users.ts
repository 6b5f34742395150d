/**
 * Users and their tokens in the `users` table (one row per issued token), and the check of a
 * presented token. Only hashes are stored; the token itself is returned once, by `add`.
 */
import type { Database } from '../db/database.ts';
import { sqlTimestamp } from '../db/sql-time.ts';
import { isRole, type Role } from './roles.ts';
import { hashToken, looksLikeToken, newToken, sameDigest, tokenPrefix } from './tokens.ts';

/** Who a request acts as, once its token checked out. */
export type Principal = { id: number; name: string; role: Role; tokenPrefix: string; expiresAt: Date | null };

/** A row of `user list`: the principal plus its history. */
export type UserRecord = Principal & {
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  revokedBy: string | null;
  /** Neither revoked nor expired at the time of listing. */
  active: boolean;
};

/** Why a presented token was refused; `malformed` and `unknown` are indistinguishable to callers. */
export type TokenRefusal = 'malformed' | 'unknown' | 'expired' | 'revoked';
/** The outcome of checking a presented token. */
export type Verification = { ok: true; principal: Principal } | { ok: false; reason: TokenRefusal };

type Row = {
  id: number; name: string; role: string; token_prefix: string; token_hash: string; created_at: Date;
  created_by: string; expires_at: Date | null; revoked_at: Date | null; revoked_by: string | null;
};

/** Names are shown in the audit log and the UI; control characters would forge log lines. */
const NAME = /^[^\p{C}]{1,64}$/u;
/** A verified token is re-read from the database at most this often, and after any write to the users. */
const CACHE_MS = 30_000;
const CACHE_MAX = 1_000;

/** Timestamps cross into SQL as naive UTC text, like every other table. */

/** The users table and token verification for one database. */
export class UserStore {
  private readonly cache = new Map<string, { row: Row; at: number; version: number }>();

  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Issues a token for a new user (or another token for an existing name) and returns it once.
   * `beforeSave` runs with the token before the row is written (e.g. to store it in a file first).
   */
  async add(
    input: { name: string; role: Role; expiresAt?: Date | null; createdBy: string },
    beforeSave?: (token: string) => Promise<void>,
  ): Promise<{ user: UserRecord; token: string }> {
    const name = input.name.trim();
    if (!NAME.test(name)) throw new Error('a user name is 1–64 printable characters');
    if (!isRole(input.role)) throw new Error(`unknown role ${String(input.role)}`);
    const token = newToken();
    await beforeSave?.(token);
    const row = await this.db.transaction(['users'], (tx) => tx.one<Row>(
      `INSERT INTO users (name, role, token_prefix, token_hash, created_at, created_by, expires_at)
       VALUES ($name, $role, $prefix, $hash, $now, $by, $expires) RETURNING *`,
      {
        name, role: input.role, prefix: tokenPrefix(token), hash: hashToken(token), now: sqlTimestamp(this.now()),
        by: input.createdBy, expires: input.expiresAt ? sqlTimestamp(input.expiresAt) : null,
      },
    ));
    return { user: this.record(row!), token };
  }

  /** Every token ever issued, newest first. */
  async list(): Promise<UserRecord[]> {
    const rows = await this.db.all<Row>('SELECT * FROM users ORDER BY id DESC');
    return rows.map((r) => this.record(r));
  }

  /**
   * Revokes token `id`, or every active token of the user named `name`. Returns what was revoked
   * (empty when nothing matched or everything was already revoked).
   */
  async revoke(target: { id: number } | { name: string }, by: string): Promise<UserRecord[]> {
    const where = 'id' in target ? 'id = $key' : 'name = $key';
    const rows = await this.db.transaction(['users'], (tx) => tx.all<Row>(
      `UPDATE users SET revoked_at = $now, revoked_by = $by WHERE ${where} AND revoked_at IS NULL RETURNING *`,
      { key: 'id' in target ? target.id : target.name, now: sqlTimestamp(this.now()), by },
    ));
    return rows.map((r) => this.record(r));
  }

  /** Checks a presented token: shape, then hash (compared in constant time), then revocation and expiry. */
  async verify(token: string): Promise<Verification> {
    if (!looksLikeToken(token)) return { ok: false, reason: 'malformed' };
    const hash = hashToken(token);
    const row = await this.lookup(token, hash);
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revoked_at) return { ok: false, reason: 'revoked' };
    if (row.expires_at && row.expires_at.getTime() <= this.now().getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, principal: principalOf(row) };
  }

  private async lookup(token: string, hash: string): Promise<Row | undefined> {
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < CACHE_MS && this.db.version.unchangedSince(hit.version, 'users')) return hit.row;
    const version = this.db.version.current;
    // Found by the public prefix, then matched on the hash in constant time: the database index
    // never sees a secret-dependent comparison.
    const candidates = await this.db.all<Row>('SELECT * FROM users WHERE token_prefix = $prefix', { prefix: tokenPrefix(token) });
    const row = candidates.find((r) => sameDigest(r.token_hash, hash));
    if (row) {
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(hash, { row, at: Date.now(), version });
    }
    return row;
  }

  private record(r: Row): UserRecord {
    const expired = r.expires_at !== null && r.expires_at.getTime() <= this.now().getTime();
    return {
      ...principalOf(r), createdAt: r.created_at, createdBy: r.created_by,
      revokedAt: r.revoked_at, revokedBy: r.revoked_by, active: !r.revoked_at && !expired,
    };
  }
}

function principalOf(r: Row): Principal {
  if (!isRole(r.role)) throw new Error(`users row ${r.id} has unknown role ${r.role}`);
  return { id: r.id, name: r.name, role: r.role, tokenPrefix: r.token_prefix, expiresAt: r.expires_at };
}
