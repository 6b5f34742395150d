/**
 * The caller's address for rate limits and the audit log: the socket's as @hono/node-server sees
 * it, or — only when that socket is a proxy the operator named (CIVGRID_TRUSTED_PROXIES) — the
 * address the proxies recorded in `X-Forwarded-For`. Anyone can send that header, so honouring
 * it from anyone else would let a caller pick the address its limits are kept under.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { BlockList, isIP } from 'node:net';

/** One trusted proxy: an address, or a network in CIDR notation. */
export type ProxyEntry = { address: string; prefix: number | null; family: 'ipv4' | 'ipv6' };

/** At most this many `X-Forwarded-For` hops are looked at; a longer chain is someone's invention. */
const MAX_HOPS = 20;

/** Parses `10.0.0.1`, `10.0.0.0/8` or `fd00::/8`; a string says what is wrong. */
export function parseProxyEntry(text: string): ProxyEntry | string {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  const version = isIP(address);
  if (!version || rest.length) return `${text} is not an IP address or a CIDR network like 10.0.0.0/8`;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) return { address, prefix: null, family };
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return `${text}: the prefix length must be 0–${max}`;
  return { address, prefix: Number(prefixText), family };
}

/** The remote address of the socket, without the IPv4-mapped prefix; `unknown` outside node-server. */
export function socketAddress(c: Context): string {
  try {
    return plain(getConnInfo(c).remote.address ?? '') ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The client address function for `trusted` proxies: the socket's address, unless the socket is a
 * trusted proxy; then `X-Forwarded-For` is read from the right (each proxy appends the address it
 * was called from) past every trusted proxy, and the first other address is the client's.
 */
export function clientAddress(trusted: readonly ProxyEntry[]): (c: Context) => string {
  if (!trusted.length) return socketAddress;
  const list = new BlockList();
  for (const e of trusted) {
    if (e.prefix === null) list.addAddress(e.address, e.family);
    else list.addSubnet(e.address, e.prefix, e.family);
  }
  const isTrusted = (address: string) => list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  return (c) => {
    let address = socketAddress(c);
    if (address === 'unknown' || !isTrusted(address)) return address;
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').slice(-MAX_HOPS).reverse();
    for (const hop of hops) {
      const next = plain(hop.trim());
      // A hop that is no address was written by the client, not by a proxy: the last proxy is as far as we can see.
      if (next === null) return address;
      address = next;
      if (!isTrusted(address)) return address;
    }
    return address;
  };
}

/** An IP address as text without brackets or the IPv4-mapped prefix, or null when it is none. */
function plain(text: string): string | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const unmapped = /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(bare) ? bare.slice(7) : bare;
  return isIP(unmapped) ? unmapped : null;
}
