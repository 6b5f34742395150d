/**
 * The one way the web app talks to the server: `getJson` either resolves with the parsed body or
 * rejects with an `ApiError`, so every caller has exactly one failure shape to show.
 */

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

/** Query parameters; undefined values are left out so callers can pass optional filters as-is. */
export type Query = Record<string, string | number | undefined>;

/** Builds `path?query` relative to the page's origin (the server serves both app and API). */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
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
 * GETs a JSON resource. Rejects with `ApiError` for network failures, non-2xx answers (using the
 * server's error envelope when present) and bodies that are not JSON; aborts pass through as-is
 * so callers can tell a cancelled request from a failed one.
 */
export async function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  const url = apiUrl(path, query);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('network', `请求 ${url} 没有得到响应`);
  }
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
