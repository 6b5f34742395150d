/**
 * The one way the web app talks to the server: every call goes through the typed client `api` and
 * `call`, which either resolves with the parsed body or rejects with an `ApiError`, so every caller
 * has exactly one failure shape to show.
 */
import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from '../../server/app';
import { authorizedFetch } from '../auth/token-store';

/** Why a request failed: no answer at all, an error status, or a body that is not what we expect. */
export type ApiErrorKind = 'network' | 'http' | 'invalid';

/** Every failure of `getJson`. `code` is the server's `error.code` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server's error envelope: `{ "error": { "code", "message", "details"? } }`. */
function serverError(body: unknown): { code: string; message: string } | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const err = (body as { error: unknown }).error;
  if (typeof err !== 'object' || err === null) return null;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : null;
}

/**
 * The typed RPC client over the server's own route types (`hc<AppType>`): paths, parameters and
 * answers are checked against the server at compile time. `fetch` is looked up per call so tests
 * can stub it; the signed-in token (web/auth) rides along as a bearer token.
 */
export const api = hc<AppType>(typeof location === 'undefined' ? 'http://localhost' : location.origin, {
  fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = relative(input);
    try {
      return await authorizedFetch(url, init);
    } catch (err) {
      if (init?.signal?.aborted) throw err;
      throw new ApiError('network', `请求 ${url} 没有得到响应`);
    }
  },
});

/** Requests go to the page's own origin; a relative URL keeps logs and tests readable. */
function relative(input: RequestInfo | URL): string {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  return `${url.pathname}${url.search}`;
}

/**
 * Awaits a typed client call and returns its JSON body. Rejects with `ApiError` for network
 * failures, non-2xx answers (using the server's error envelope when present) and bodies that are
 * not JSON; aborts pass through as-is so callers can tell a cancelled request from a failed one.
 */
export async function call<T>(request: Promise<ClientResponse<T>>, signal?: AbortSignal): Promise<T> {
  let res: ClientResponse<T>;
  try {
    res = await request;
  } catch (err) {
    if (signal?.aborted || err instanceof ApiError) throw err;
    throw new ApiError('network', '请求没有得到响应');
  }
  const url = relative(res.url || 'http://localhost/');
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
    throw new ApiError(res.ok ? 'invalid' : 'http', `服务器返回了无法解析的内容（${url}，HTTP ${res.status}）`, res.status);
  }
  if (!res.ok) {
    const err = serverError(body);
    throw new ApiError('http', err?.message ?? `请求失败（${url}，HTTP ${res.status}）`, res.status, err?.code ?? null);
  }
  return body as T;
}
