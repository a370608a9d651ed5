/** Who is asking: the client address used for rate limits and audit, honest about proxies (SPEC `TRUST_PROXY`). */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { isIP } from 'node:net';

/** What `clientIp` answers when there is no socket (`app.request()` in tests, other runtimes). */
export const NO_SOCKET = 'local';

/**
 * With `trustProxy`, the last `X-Forwarded-For` entry: the one our own proxy appended, the only one
 * a client cannot forge (entries before it are whatever the client sent). Otherwise the socket's address.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const last = c.req.header('X-Forwarded-For')?.split(',').pop()?.trim();
    if (last && isIP(unbracket(last))) return normalise(unbracket(last));
  }
  try {
    const address = getConnInfo(c).remote.address;
    return address ? normalise(address) : NO_SOCKET;
  } catch {
    // No Node socket behind this request.
    return NO_SOCKET;
  }
}

/**
 * The unit a rate limit counts: an IPv4 address, or the /64 of an IPv6 one, since one subscriber
 * routinely holds a whole /64 and could otherwise take a fresh address for every request.
 */
export function rateLimitKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  return expandIPv6(ip).slice(0, 4).join(':') + '::/64';
}

const unbracket = (ip: string) => ip.replace(/^\[(.*)\]$/, '$1');

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is the IPv4 client. */
function normalise(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1]! : ip.toLowerCase();
}

function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.toLowerCase().split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (`::1.2.3.4`) stands for two groups; the /64 never reaches it, so two placeholders do.
  const count = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array<string>(8 - count(left) - count(right)).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}
