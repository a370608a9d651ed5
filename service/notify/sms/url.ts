/**
 * Reading SMS_URL. WHATWG URL refuses credentials without a host (`twilio://SID:TOKEN@?…`) and reads
 * `+` in a query as a space (`from=+33…`), so the URL is split by hand.
 */

export interface ParsedSmsUrl {
  scheme: string;
  user?: string;
  password?: string;
  params: Map<string, string>;
}

const SMS_URL_SHAPE = /^([a-z][a-z0-9+.-]*):(?:\/\/([^/?#]*))?\/?(?:\?([^#]*))?$/i;

export function parseSmsUrl(url: string): ParsedSmsUrl {
  const match = SMS_URL_SHAPE.exec(url);
  if (!match) throw configError('not a provider URL; expected e.g. twilio://SID:TOKEN@?from=+33… or smsfactor://TOKEN@?sender=CABINET');
  const [, scheme = '', authority = '', query = ''] = match;
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const host = at === -1 ? authority : authority.slice(at + 1);
  if (host !== '') throw configError(`put nothing between the @ and the ?; to reach another API host use ?base=https://…`);
  const colon = userinfo.indexOf(':');
  const user = decode(colon === -1 ? userinfo : userinfo.slice(0, colon), 'credentials');
  const password = colon === -1 ? undefined : decode(userinfo.slice(colon + 1), 'credentials');
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq), 'query');
    const value = decode(eq === -1 ? '' : pair.slice(eq + 1), 'query');
    if (params.has(key)) throw configError(`parameter "${key}" given twice`);
    params.set(key, value);
  }
  const parsed: ParsedSmsUrl = { scheme: scheme.toLowerCase(), params };
  if (user !== '') parsed.user = user;
  if (password !== undefined) parsed.password = password;
  return parsed;
}

function decode(part: string, where: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw configError(`bad %-escape in the ${where}`);
  }
}

/** Refuses any parameter but `keys`, so a misspelt one is caught at start rather than at the first patient. */
export function allowOnly(url: ParsedSmsUrl, keys: string[]): void {
  for (const key of url.params.keys()) {
    if (!keys.includes(key)) {
      throw configError(`${url.scheme}: unknown parameter "${key}"${keys.length ? ` (known: ${keys.join(', ')})` : ''}`);
    }
  }
}

/** The API host: `base=` when given (tests, regional endpoints, a proxy), else the provider's own. */
export function baseUrl(url: ParsedSmsUrl, fallback: string): string {
  const base = url.params.get('base');
  if (base === undefined) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw configError(`${url.scheme}: base= is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw configError(`${url.scheme}: base= must be http:// or https://`);
  if (parsed.username || parsed.password || parsed.search || parsed.hash) throw configError(`${url.scheme}: base= takes a scheme, host and optional path only`);
  return parsed.href.replace(/\/+$/, '');
}

export function isAlphanumericSender(value: string): boolean {
  return /^[A-Za-z0-9 ]{3,11}$/.test(value) && /[A-Za-z]/.test(value);
}

/** The one-line error that stops the service at start; it names the problem, never the secret. */
export function configError(problem: string): Error {
  return new Error(`SMS_URL: ${problem}`);
}
