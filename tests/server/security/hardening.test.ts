import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import type { Database } from '../../../server/db/database.ts';
import { clientAddress, parseProxyEntry, type ProxyEntry } from '../../../server/security/client-ip.ts';
import { RateLimiter } from '../../../server/security/rate-limit.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';

type ErrorBody = { error: { code: string; message: string; details?: unknown } };
const json = { 'content-type': 'application/json' };

let t: TestApp;
beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

describe('security headers', () => {
  it('every answer, errors included, carries CSP, nosniff, frame and referrer policies', async () => {
    for (const path of ['/api/health', '/api/nothing-here', '/api/regions?level=province']) {
      const res = await t.app.request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("worker-src 'self' blob:");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('lets configured origins frame the app and load tiles', async () => {
    const framed = await cityApp({}, { frameAncestors: ['https://portal.example.gov.cn'], cspExtraOrigins: ['https://t0.tianditu.gov.cn'] });
    try {
      const res = await framed.app.request('/api/health');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain('frame-ancestors https://portal.example.gov.cn');
      expect(csp).toMatch(/img-src [^;]*https:\/\/t0\.tianditu\.gov\.cn/);
      expect(csp).toMatch(/connect-src [^;]*https:\/\/t0\.tianditu\.gov\.cn/);
      expect(res.headers.get('x-frame-options')).toBeNull();
    } finally {
      await framed.cleanup();
    }
  });
});

describe('CORS', () => {
  it('is closed by default: no Access-Control headers for another origin', async () => {
    const res = await t.app.request('/api/health', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await t.app.request('/api/issues', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers configured origins only', async () => {
    const open = await cityApp({}, { corsOrigins: ['https://screen.example.gov.cn'] });
    try {
      const ok = await open.app.request('/api/health', { headers: { origin: 'https://screen.example.gov.cn' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://screen.example.gov.cn');
      const preflight = await open.app.request('/api/issues', {
        method: 'OPTIONS', headers: { origin: 'https://screen.example.gov.cn', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
      const other = await open.app.request('/api/health', { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await open.cleanup();
    }
  });
});

describe('body limits', () => {
  const big = (bytes: number) => JSON.stringify({ name: 'x'.repeat(bytes) });

  it('refuses JSON bodies over 1 MB on every write route with 413 too_large', async () => {
    for (const [method, path] of [['POST', '/api/issues'], ['POST', '/api/plans'], ['PUT', '/api/plans/1/grids/X'], ['POST', '/api/users']] as const) {
      const res = await t.app.request(path, { method, headers: json, body: big(1024 * 1024 + 10) });
      expect(res.status, path).toBe(413);
      expect(((await res.json()) as ErrorBody).error.code).toBe('too_large');
    }
  });

  it('counts a chunked body without Content-Length too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(256 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await t.app.request('/api/plans', { method: 'POST', headers: json, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('leaves imports to their own streamed cap', async () => {
    const res = await t.app.request('/api/import/issues?filename=big.csv', { method: 'POST', body: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/import limit of 65536 bytes/);
  });
});

describe('rate limits', () => {
  it('a token bucket refills at its rate and says when to come back', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 2, perSecond: 0.5 }, () => now);
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterS: 2 });
    expect(limiter.take('b')).toEqual({ ok: true });
    now = 2000;
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a').ok).toBe(false);
  });

  it('writes beyond the burst get 429 with Retry-After, per token', async () => {
    const limited = await cityApp({}, { anonymous: undefined, writeLimit: { burst: 3, perSecond: 0.01 } });
    try {
      const [a, b] = [await limited.tokenFor('planner', 'a'), await limited.tokenFor('planner', 'b')];
      const create = (token: string, name: string) => limited.as(token)('/api/plans', { method: 'POST', headers: json, body: JSON.stringify({ name }) });
      for (let i = 0; i < 3; i++) expect((await create(a, `a${i}`)).status).toBe(201);
      const refused = await create(a, 'a3');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await refused.json()) as ErrorBody).error.code).toBe('rate_limited');
      expect((await create(b, 'b0')).status).toBe(201);
      expect((await limited.as(a)('/api/plans')).status).toBe(200);
    } finally {
      await limited.cleanup();
    }
  });

  it('bad tokens are limited per address, and never hold up a valid token from that address', async () => {
    const limited = await cityApp({}, { anonymous: undefined, signInLimit: { burst: 3, perSecond: 0.01 } });
    try {
      const [good, other] = [await limited.tokenFor('viewer', 'a'), await limited.tokenFor('viewer', 'b')];
      const bad = `cg_${'B'.repeat(43)}`;
      for (let i = 0; i < 3; i++) expect((await limited.as(bad)('/api/stats/summary')).status).toBe(401);
      const blocked = await limited.as(bad)('/api/stats/summary');
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await limited.as('not-even-a-token')('/api/stats/summary')).status).toBe(429);
      // Someone else behind the same address (NAT, a proxy) still gets in.
      expect((await limited.as(good)('/api/stats/summary')).status).toBe(200);
      expect((await limited.as(good)('/api/auth/me')).status).toBe(200);
      expect((await limited.as(other)('/api/stats/summary')).status).toBe(200);
    } finally {
      await limited.cleanup();
    }
  });

  it('sign-in checks are limited per address without a token and per token with one', async () => {
    const limited = await cityApp({}, { anonymous: undefined, signInLimit: { burst: 3, perSecond: 0.01 } });
    try {
      const [a, b] = [await limited.tokenFor('viewer', 'a'), await limited.tokenFor('viewer', 'b')];
      const anonymous = [];
      for (let i = 0; i < 4; i++) anonymous.push((await limited.app.request('/api/auth/me')).status);
      expect(anonymous).toEqual([401, 401, 401, 429]);
      const checks = [];
      for (let i = 0; i < 4; i++) checks.push((await limited.as(a)('/api/auth/me')).status);
      expect(checks).toEqual([200, 200, 200, 429]);
      expect((await limited.as(b)('/api/auth/me')).status).toBe(200);
    } finally {
      await limited.cleanup();
    }
  });
});

describe('client address behind a proxy', () => {
  const bad = `cg_${'B'.repeat(43)}`;
  /** A request arriving on a socket from `socket`, as @hono/node-server hands it over. */
  const from = (app: TestApp, socket: string, forwardedFor?: string) => app.app.request(
    '/api/stats/summary',
    { headers: { authorization: `Bearer ${bad}`, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) } },
    { incoming: { socket: { remoteAddress: socket } } },
  );

  it('X-Forwarded-For names the client only when the socket is a trusted proxy', async () => {
    const behind = await cityApp({}, {
      anonymous: undefined, signInLimit: { burst: 2, perSecond: 0.01 },
      clientIp: clientAddress([parseProxyEntry('10.0.0.0/24') as ProxyEntry]),
    });
    try {
      // Through the proxy: two people, two addresses, two buckets.
      for (let i = 0; i < 2; i++) expect((await from(behind, '10.0.0.7', '198.51.100.1, 203.0.113.5')).status).toBe(401);
      expect((await from(behind, '10.0.0.7', '203.0.113.5')).status).toBe(429);
      expect((await from(behind, '10.0.0.7', '203.0.113.6')).status).toBe(401);
      // Past several proxies: the nearest address that is no trusted proxy.
      expect((await from(behind, '10.0.0.7', '203.0.113.5, 10.0.0.9')).status).toBe(429);
      // From anywhere else the header is the caller's own invention: the socket counts.
      for (let i = 0; i < 2; i++) expect((await from(behind, '192.0.2.9', `203.0.113.${100 + i}`)).status).toBe(401);
      expect((await from(behind, '192.0.2.9', '203.0.113.200')).status).toBe(429);
      expect((await from(behind, '::ffff:192.0.2.9')).status).toBe(429);
    } finally {
      await behind.cleanup();
    }
  });

  it('no proxy is trusted by default', async () => {
    const direct = await cityApp({}, { anonymous: undefined, signInLimit: { burst: 1, perSecond: 0.01 }, clientIp: clientAddress([]) });
    try {
      expect((await from(direct, '10.0.0.7', '203.0.113.5')).status).toBe(401);
      expect((await from(direct, '10.0.0.7', '203.0.113.6')).status).toBe(429);
    } finally {
      await direct.cleanup();
    }
  });
});

describe('internal errors', () => {
  it('answer 500 internal without stack, SQL or file paths', async () => {
    const sql = 'SELECT secret_column FROM users WHERE token_hash = $hash';
    const failing = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop === 'all' || prop === 'one') {
          return async () => {
            const err = new Error(`Binder Error: Referenced column "secret_column" not found\nLINE 1: ${sql}`);
            err.stack = `${err.message}\n    at readRows (/work/main/server/db/database.ts:101:20)`;
            throw err;
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as Database;
    const app = createApp({ ...t.deps, db: failing });
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const res = await app.request('/api/stats/summary');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal server error' } });
      for (const leak of ['SELECT', 'secret_column', 'Binder', 'database.ts', ' at ', '/work/']) expect(text).not.toContain(leak);
    } finally {
      console.error = original;
    }
    expect(logged.length).toBe(1);
  });
});
