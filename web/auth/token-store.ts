/**
 * The signed-in token for this browser tab (sessionStorage: gone when the tab closes, never sent
 * to other sites) and the fetch every API call goes through, which adds it as a bearer token.
 */

const KEY = 'civgrid.token';
const LOGIN = '/login';

function storage(): Storage | null {
  return typeof sessionStorage === 'undefined' ? null : sessionStorage;
}

/** The stored token, or null when not signed in. */
export function storedToken(): string | null {
  return storage()?.getItem(KEY) ?? null;
}

/** Keeps `token` for this tab. */
export function storeToken(token: string): void {
  storage()?.setItem(KEY, token);
}

/** Signs out of this tab. */
export function clearToken(): void {
  storage()?.removeItem(KEY);
}

/** `init` with `Authorization: Bearer <token>` added when a token is stored and none is set already. */
export function withToken(init: RequestInit = {}): RequestInit {
  const token = storedToken();
  if (!token) return init;
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
}

/**
 * A URL for EventSource, which cannot send headers: the server takes `access_token` on the live
 * feed only. Without a stored token the URL is unchanged.
 */
export function withAccessToken(url: string): string {
  const token = storedToken();
  if (!token) return url;
  return `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`;
}

/** Where the sign-in page sends the user back to after signing in (same-site paths only). */
export function returnPath(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith(LOGIN) ? next : '/';
}

/**
 * `fetch` with the stored token. A read refused with 401 means this server wants a token to
 * read (or the stored one expired): the token is dropped and the page goes to sign-in, coming
 * back here afterwards. Refused writes are left to the caller, which shows the message.
 */
export async function authorizedFetch(url: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(url, withToken(init));
  const method = (init?.method ?? 'GET').toUpperCase();
  if (res.status === 401 && method === 'GET' && typeof location !== 'undefined' && location.pathname !== LOGIN) {
    clearToken();
    location.assign(`${LOGIN}?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
  return res;
}
