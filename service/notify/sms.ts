/** SMS delivery: turns SMS_URL into a sender (Twilio, SMSFactor, or the log) with errors sorted into retry / give up. */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { isGsm7, smsSegments } from '../../shared/gsm7.js';
import type { Logger } from '../log.js';
import { DeliveryError } from './delivery-error.js';

/** Hands one SMS to a provider. Throws `DeliveryError` when it could not. */
export interface SmsSender {
  readonly name: string;
  /** `to` is E.164 (`+33612345678`). Resolves once the provider accepted the message. */
  send(to: string, body: string): Promise<{ providerId?: string }>;
}

export interface SmsSenderOptions {
  /** Replaces the global fetch, for tests. */
  fetch?: typeof fetch;
  /** How long one provider call may take, answer body included. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The sender `SMS_URL` describes; unset, empty or `log:` gives the logging sender.
 * - `twilio://ACCOUNT_SID:AUTH_TOKEN@?from=+33…` (or `messagingServiceSid=MG…`)
 * - `smsfactor://API_TOKEN@?sender=CABINET` (`sender` optional)
 * - `&base=http://127.0.0.1:8080` on either: another API host (tests, regional endpoints).
 * Throws an Error with one line naming the problem (never the secret) when the URL is malformed,
 * so the config module can stop the service at start.
 */
export function createSmsSender(url: string | undefined, log: Logger, options: SmsSenderOptions = {}): SmsSender {
  const trimmed = url?.trim() ?? '';
  if (trimmed === '') return logSender(log);
  const parsed = parseSmsUrl(trimmed);
  const http: Http = { fetch: options.fetch ?? globalThis.fetch, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  switch (parsed.scheme) {
    case 'log':
      allowOnly(parsed, []);
      return logSender(log);
    case 'twilio':
      return twilioSender(parsed, http);
    case 'smsfactor':
      return smsFactorSender(parsed, http);
    default:
      throw configError(`unknown provider "${parsed.scheme}:"; expected twilio://, smsfactor:// or log:`);
  }
}

/**
 * `+33612345678` → `+33 6** ** ** 78`: enough for an operator to tell two patients apart in the logs,
 * not enough to call them.
 */
export function maskPhone(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  const national = phone ? String(phone.nationalNumber) : e164.replace(/\D/g, '');
  if (national.length < 4) return '***';
  const masked = national[0] + '*'.repeat(national.length - 3) + national.slice(-2);
  // Pairs from the right, as French numbers are read; a lone leading digit joins the next pair.
  const groups: string[] = [];
  for (let end = masked.length; end > 0; end -= 2) groups.unshift(masked.slice(Math.max(0, end - 2), end));
  if (groups.length > 1 && groups[0]!.length === 1) groups.splice(0, 2, groups[0]! + groups[1]!);
  return (phone ? `+${phone.countryCallingCode} ` : '') + groups.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Logging sender

function logSender(log: Logger): SmsSender {
  return {
    name: 'log',
    async send(to, body) {
      // The body may name the patient or the practice they called: only its size is logged.
      const { encoding, segments } = smsSegments(body);
      log.info('sms_logged', { to: maskPhone(to), length: [...body].length, encoding, segments });
      return {};
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Twilio Programmable Messaging, "Create a Message resource":
// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
// Error codes: https://www.twilio.com/docs/api/errors (e.g. https://www.twilio.com/docs/api/errors/21610)

// Twilio error codes that are about the moment, not about the message.
const TWILIO_TRANSIENT_CODES = new Set(['20429', '20500', '20503', '30001']);

function twilioSender(url: ParsedSmsUrl, http: Http): SmsSender {
  allowOnly(url, ['from', 'messagingServiceSid', 'base']);
  const accountSid = url.user;
  const authToken = url.password;
  if (!accountSid || !authToken) throw configError('twilio:// needs ACCOUNT_SID:AUTH_TOKEN before the @ (twilio://AC…:TOKEN@?from=+33…)');
  const from = url.params.get('from');
  const messagingServiceSid = url.params.get('messagingServiceSid');
  if (!from && !messagingServiceSid) throw configError('twilio:// needs ?from=+33… (a Twilio number or sender ID) or ?messagingServiceSid=MG…');
  if (from && !/^\+[1-9]\d{6,14}$/.test(from) && !isAlphanumericSender(from)) {
    throw configError('twilio:// from= must be an E.164 number (+33…) or a sender ID of 3 to 11 letters and digits');
  }
  if (messagingServiceSid && !/^MG\w+$/.test(messagingServiceSid)) throw configError('twilio:// messagingServiceSid= must start with MG');
  const endpoint = `${baseUrl(url, 'https://api.twilio.com')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
  const authorization = 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64');

  return {
    name: 'twilio',
    async send(to, body) {
      const form = new URLSearchParams({ To: to, Body: body });
      if (from) form.set('From', from);
      if (messagingServiceSid) form.set('MessagingServiceSid', messagingServiceSid);
      const res = await call(http, 'twilio', endpoint, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
      if (res.status >= 200 && res.status < 300) {
        const sid = field(res.json, 'sid');
        return typeof sid === 'string' ? { providerId: sid } : {};
      }
      const code = field(res.json, 'code');
      const providerCode = code === undefined || code === null ? `http_${res.status}` : String(code);
      const transient = res.status === 408 || res.status === 429 || res.status >= 500 || TWILIO_TRANSIENT_CODES.has(providerCode);
      const message = field(res.json, 'message');
      throw new DeliveryError(
        hideRecipient(`twilio: ${res.status} ${providerCode}${typeof message === 'string' ? ` ${message}` : ''}`, to),
        !transient,
        providerCode,
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// SMSFactor (a French gateway used by French answering and appointment services), "Campaign" send:
// https://dev.smsfactor.com/it/api/sms/invio/campagna-sms (POST /send, JSON body, Bearer token; page in English);
// request statuses: https://dev.smsfactor.com/en/api/sms/getting-started; result format with the filter
// counters (invalid, blacklisted, npai, not_allowed, flood, country_limit): https://dev.smsfactor.com/en/api/sms/send/send-list

// Request statuses (field `status` of every answer) that retrying the same request cannot fix.
const SMSFACTOR_PERMANENT_STATUS: Record<string, string> = {
  '-1': 'authentication refused',
  '-2': 'request rejected (XML error)',
  '-4': 'request rejected (bad delay)',
  '-5': 'resource not found',
  '-6': 'request rejected (JSON error)',
  '-7': 'request rejected (data error)',
};
// Counters of recipients filtered out before sending. A single recipient filtered out means nothing was sent.
const SMSFACTOR_FILTERS: { counter: string; permanent: boolean; what: string }[] = [
  { counter: 'invalid', permanent: true, what: 'invalid number' },
  { counter: 'blacklisted', permanent: true, what: 'number blacklisted (the recipient answered STOP)' },
  { counter: 'npai', permanent: true, what: 'number known as no longer in service (NPAI)' },
  { counter: 'not_allowed', permanent: true, what: 'destination country not allowed on this account' },
  { counter: 'duplicated', permanent: true, what: 'duplicate recipient' },
  { counter: 'flood', permanent: false, what: 'held by the anti-flood filter' },
  { counter: 'country_limit', permanent: false, what: 'monthly limit for this country reached' },
];

function smsFactorSender(url: ParsedSmsUrl, http: Http): SmsSender {
  allowOnly(url, ['sender', 'base']);
  const token = url.user;
  if (!token) throw configError('smsfactor:// needs the API token before the @ (smsfactor://TOKEN@?sender=CABINET)');
  if (url.password !== undefined) throw configError('smsfactor:// takes the API token alone before the @, without ":"');
  const sender = url.params.get('sender');
  if (sender !== undefined && !isAlphanumericSender(sender)) {
    throw configError('smsfactor:// sender= must be 3 to 11 letters, digits or spaces, with at least one letter');
  }
  const endpoint = `${baseUrl(url, 'https://api.smsfactor.com')}/send`;

  return {
    name: 'smsfactor',
    async send(to, body) {
      const message: Record<string, string | number> = {
        text: body,
        // "alert" is the transactional route: no STOP mention required, sent at any hour (marketing is not).
        pushtype: 'alert',
        // Without it, characters outside GSM-7 would be dropped or replaced by the gateway.
        unicode: isGsm7(body) ? 0 : 1,
      };
      if (sender !== undefined) message.sender = sender;
      const res = await call(http, 'smsfactor', endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ sms: { message, recipients: { gsm: [{ value: to.replace(/^\+/, '') }] } } }),
      });
      const fail = (what: string, permanent: boolean, providerCode: string): never => {
        throw new DeliveryError(hideRecipient(`smsfactor: ${what}`, to), permanent, providerCode);
      };
      if (res.status === 408 || res.status === 429 || res.status >= 500) fail(`HTTP ${res.status}`, false, `http_${res.status}`);
      const status = Number(field(res.json, 'status'));
      if (Number.isNaN(status)) {
        if (res.status >= 400) fail(`HTTP ${res.status}`, true, `http_${res.status}`);
        fail(`HTTP ${res.status} without a readable status`, false, 'bad_response');
      }
      const details = field(res.json, 'details') ?? field(res.json, 'message');
      const said = typeof details === 'string' ? ` (${details})` : '';
      if (status < 0 && status !== -8) {
        const permanentWhat = SMSFACTOR_PERMANENT_STATUS[String(status)];
        if (permanentWhat) fail(permanentWhat + said, true, String(status));
        // -3 (no credits left) clears once someone buys credits; -99 is the gateway's own failure.
        fail(`status ${status}${said}`, false, String(status));
      }
      if (res.status >= 400) fail(`HTTP ${res.status}${said}`, true, `http_${res.status}`);
      // -8: the campaign is held for moderation and will be sent; the docs ask not to retry it.
      const sent = field(res.json, 'sent');
      if (typeof sent === 'number' && sent < 1) {
        for (const filter of SMSFACTOR_FILTERS) {
          const count = field(res.json, filter.counter);
          if (typeof count === 'number' && count > 0) fail(filter.what, filter.permanent, filter.counter);
        }
        fail('not sent, no filter named', false, 'not_sent');
      }
      const ticket = field(res.json, 'ticket');
      return ticket === undefined || ticket === null ? {} : { providerId: String(ticket) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface Http {
  fetch: typeof fetch;
  timeoutMs: number;
}

interface ProviderAnswer {
  status: number;
  json: unknown;
}

/** One provider call; every way it can fail without an answer becomes a transient DeliveryError. */
async function call(http: Http, provider: string, url: string, init: RequestInit): Promise<ProviderAnswer> {
  try {
    // The signal also covers reading the body: a provider that stalls mid-answer times out too.
    const res = await http.fetch(url, { ...init, signal: AbortSignal.timeout(http.timeoutMs) });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new DeliveryError(`${provider}: no answer within ${http.timeoutMs} ms`, false, 'timeout');
    }
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    const code = (cause as { code?: unknown } | null)?.code;
    throw new DeliveryError(`${provider}: network error${typeof code === 'string' ? ` (${code})` : ''}`, false, 'network');
  }
}

function field(json: unknown, key: string): unknown {
  return typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[key] : undefined;
}

/** Providers echo the number they refused ("The 'To' number +336… is not valid"); errors end up in logs. */
function hideRecipient(message: string, to: string): string {
  const digits = to.replace(/\D/g, '');
  const phone = parsePhoneNumberFromString(to);
  const forms = [to, digits, phone ? `0${phone.nationalNumber}` : ''].filter((f) => f.length >= 6);
  let out = message;
  for (const form of forms) out = out.split(form).join(maskPhone(to));
  return out;
}

// ---------------------------------------------------------------------------------------------
// SMS_URL parsing. WHATWG URL refuses credentials without a host (`twilio://SID:TOKEN@?…`) and reads
// `+` in a query as a space (`from=+33…`), so the URL is split by hand.

interface ParsedSmsUrl {
  scheme: string;
  user?: string;
  password?: string;
  params: Map<string, string>;
}

const SMS_URL_SHAPE = /^([a-z][a-z0-9+.-]*):(?:\/\/([^/?#]*))?\/?(?:\?([^#]*))?$/i;

function parseSmsUrl(url: string): ParsedSmsUrl {
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

function allowOnly(url: ParsedSmsUrl, keys: string[]): void {
  for (const key of url.params.keys()) {
    if (!keys.includes(key)) {
      throw configError(`${url.scheme}: unknown parameter "${key}"${keys.length ? ` (known: ${keys.join(', ')})` : ''}`);
    }
  }
}

function baseUrl(url: ParsedSmsUrl, fallback: string): string {
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

function isAlphanumericSender(value: string): boolean {
  return /^[A-Za-z0-9 ]{3,11}$/.test(value) && /[A-Za-z]/.test(value);
}

function configError(problem: string): Error {
  return new Error(`SMS_URL: ${problem}`);
}
