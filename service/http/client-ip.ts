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


const unbracket = (ip: string) => ip.replace(/^\[(.*)\]$/, '$1');

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is the IPv4 client. */
function normalise(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1]! : ip.toLowerCase();
}
