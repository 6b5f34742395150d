import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { TestApp } from '../../helpers/app.ts';

export type SseMessage = { event: string; id?: string; data: string };

/** The app on a real HTTP server on a free port, so SSE goes through @hono/node-server as in production. */
export async function listen(app: TestApp['app']): Promise<{ url: string; close: () => Promise<void> }> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      (server as import('node:http').Server).closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/**
 * An open event stream: `next(pred)` resolves with the first message (in arrival order, from
 * where the previous call stopped) that matches, or rejects after `timeoutMs`.
 */
export async function openStream(url: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  if (!res.ok || !res.body) throw new Error(`${url} → ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const seen: SseMessage[] = [];
  let buffer = '';
  let cursor = 0;
  // A read that lost a race against the timeout is kept, or its chunk would be dropped.
  let pending: ReturnType<typeof reader.read> | undefined;

  const parse = (block: string) => {
    const msg: SseMessage = { event: 'message', data: '' };
    const data: string[] = [];
    let fields = 0;
    for (const line of block.split('\n')) {
      const at = line.indexOf(':');
      if (at <= 0) continue;
      const [name, value] = [line.slice(0, at), line.slice(at + 1).replace(/^ /, '')];
      if (name === 'event') (msg.event = value), fields++;
      else if (name === 'id') (msg.id = value), fields++;
      else if (name === 'data') data.push(value), fields++;
    }
    msg.data = data.join('\n');
    if (fields > 0) seen.push(msg);
  };

  async function next(pred: (m: SseMessage) => boolean = () => true, timeoutMs = 3000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (cursor < seen.length) {
        const m = seen[cursor++];
        if (pred(m)) return m;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for an SSE message');
      let timer: ReturnType<typeof setTimeout> | undefined;
      pending ??= reader.read();
      const chunk = await Promise.race([
        pending,
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left))),
      ]);
      clearTimeout(timer);
      if (chunk === 'timeout') continue;
      pending = undefined;
      if (chunk.done) throw new Error('stream ended');
      buffer += chunk.value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  return { res, next, close: () => abort.abort() };
}

/** Polls `check` until it is true or `timeoutMs` passes. */
export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}
