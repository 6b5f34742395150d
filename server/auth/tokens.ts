/**
 * Bearer tokens: 32 random bytes, shown once, stored only as their SHA-256. A token looks like
 * `cg_<43 base64url chars>`; the prefix makes a leaked token easy to recognise in logs and
 * secret scanners.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'cg_';
/** `cg_` + base64url of 32 bytes. */
const SHAPE = /^cg_[A-Za-z0-9_-]{43}$/;
/** Characters of the token kept in clear to name it (`user list`, audit); 8 of 43 random ones reveal nothing useful. */
const VISIBLE = PREFIX.length + 8;

/** A new random token. */
export function newToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** True when `text` has the shape of a token this server issues (cheap check before hashing). */
export function looksLikeToken(text: string): boolean {
  return SHAPE.test(text);
}

/** SHA-256 of the token as hex: what the database stores. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The visible start of a token, e.g. `cg_AbCdEfGh`, for listing without revealing it. */
export function tokenPrefix(token: string): string {
  return token.slice(0, VISIBLE);
}

/** Compares two hex digests in constant time, so response timing says nothing about how much matched. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
