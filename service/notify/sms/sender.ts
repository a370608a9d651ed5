/** What every SMS sender shares: its interface, the provider call and its failures, and the masking of numbers in logs. */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { DeliveryError } from '../delivery-error.js';

/** Hands one SMS to a provider. Throws `DeliveryError` when it could not. */
export interface SmsSender {
  readonly name: string;
  /** `to` is E.164 (`+33612345678`). Resolves once the provider accepted the message. */
  send(to: string, body: string): Promise<{ providerId?: string }>;
}

/** What a provider reported of an SMS it had accepted, once it knows: on the handset, or never going to be. */
export interface DeliveryReport {
  status: 'delivered' | 'failed';
  /** The provider's reason for a failure, as the console shows it. */
  error?: string;
}

export interface Http {
  fetch: typeof fetch;
  timeoutMs: number;
}

export interface ProviderAnswer {
  status: number;
  json: unknown;
}

/** One provider call; every way it can fail without an answer becomes a transient DeliveryError. */
export async function call(http: Http, provider: string, url: string, init: RequestInit): Promise<ProviderAnswer> {
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

export function field(json: unknown, key: string): unknown {
  return typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[key] : undefined;
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

/** Providers echo the number they refused ("The 'To' number +336… is not valid"); errors end up in logs. */
export function hideRecipient(message: string, to: string): string {
  const digits = to.replace(/\D/g, '');
  const phone = parsePhoneNumberFromString(to);
  const forms = [to, digits, phone ? `0${phone.nationalNumber}` : ''].filter((f) => f.length >= 6);
  let out = message;
  for (const form of forms) out = out.split(form).join(maskPhone(to));
  return out;
}
