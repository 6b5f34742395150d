/**
 * Everything the security middleware needs, in one object on AppDeps: the user store, the read
 * mode, CORS and CSP origins, body and rate limits, and how to tell a client's address.
 */
import type { Context } from 'hono';
import type { Principal, UserStore } from '../auth/users.ts';
import type { BucketSpec } from './rate-limit.ts';

/** `open`: reads need no token; `token`: every request but health and sign-in needs one. */
export type ReadMode = 'open' | 'token';

/** The security settings and state the app is built with (AppDeps.security). */
export type SecurityDeps = {
  users: UserStore;
  reads: ReadMode;
  /** Origins allowed to call the API from a browser on another origin; empty = CORS closed. */
  corsOrigins: readonly string[];
  /** Extra origins for img-src/connect-src, e.g. an online basemap's tile server. */
  cspExtraOrigins: readonly string[];
  /** Who may frame the app (CSP frame-ancestors); empty = nobody. */
  frameAncestors: readonly string[];
  /** Largest JSON request body; imports stream under their own cap instead. */
  jsonMaxBytes: number;
  /** Writes per token (or per address when anonymous). */
  writeLimit: BucketSpec;
  /** Sign-in checks per token (per address without one), and failed token presentations per address. */
  signInLimit: BucketSpec;
  /** The client's address for rate limits and the audit log. */
  clientIp: (c: Context) => string;
  /**
   * Tests only: who a request without a token acts as, so route tests need not carry tokens.
   * Servers never set it (server/index.ts has no way to), so anonymous means no role at all.
   */
  anonymous?: Principal;
};

/** JSON bodies: 1 MB. */
const JSON_MAX_BYTES = 1024 * 1024;

/** Defaults for everything but the user store; `server/env.ts` overrides them from the environment. */
export function securityDefaults(users: UserStore, overrides: Partial<SecurityDeps> = {}): SecurityDeps {
  return {
    users,
    reads: 'open',
    corsOrigins: [],
    cspExtraOrigins: [],
    frameAncestors: [],
    jsonMaxBytes: JSON_MAX_BYTES,
    // A planner dragging vertices or a feed catching up stays far below this; a runaway script does not.
    writeLimit: { burst: 100, perSecond: 20 },
    // Tokens are 256-bit, so this is not what stops guessing; it stops a misconfigured client hammering.
    signInLimit: { burst: 20, perSecond: 20 / 60 },
    clientIp: () => 'unknown',
    ...overrides,
  };
}
