/** The caller's address as @hono/node-server sees the socket (no proxy headers are trusted). */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The remote address of the socket, without the IPv4-mapped prefix; `unknown` outside node-server. */
export function socketAddress(c: Context): string {
  try {
    const address = getConnInfo(c).remote.address ?? 'unknown';
    return address.startsWith('::ffff:') ? address.slice(7) : address;
  } catch {
    return 'unknown';
  }
}
