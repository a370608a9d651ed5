/** SMS delivery: turns SMS_URL into a sender (Twilio, SMSFactor, or the log) with errors sorted into retry / give up. */
import type { Logger } from '../../log.js';
import { logSender } from './log.js';
import type { Http, SmsSender } from './sender.js';
import { smsFactorSender } from './smsfactor.js';
import { twilioSender, twilioStatusUrl } from './twilio.js';
import { allowOnly, configError, parseSmsUrl } from './url.js';

export { maskPhone, type DeliveryReport, type SmsSender } from './sender.js';
export { isTwilioSignature, TWILIO_STATUS_PATH, twilioReport, twilioStatusUrl } from './twilio.js';
export { smsFactorReport } from './smsfactor.js';

export interface SmsSenderOptions {
  /** Replaces the global fetch, for tests. */
  fetch?: typeof fetch;
  /** How long one provider call may take, answer body included. */
  timeoutMs?: number;
  /** The service's public URL (PUBLIC_URL): Twilio is asked to post each message's delivery status under it. */
  publicUrl?: string;
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
      return twilioSender(parsed, http, options.publicUrl === undefined ? undefined : twilioStatusUrl(options.publicUrl));
    case 'smsfactor':
      return smsFactorSender(parsed, http);
    default:
      throw configError(`unknown provider "${parsed.scheme}:"; expected twilio://, smsfactor:// or log:`);
  }
}

/** Twilio's auth token when `SMS_URL` names Twilio: it signs the status callbacks (http/routes/hooks.ts checks them). */
export function twilioAuthToken(url: string | undefined): string | undefined {
  const trimmed = url?.trim() ?? '';
  if (trimmed === '') return undefined;
  const parsed = parseSmsUrl(trimmed);
  return parsed.scheme === 'twilio' ? parsed.password : undefined;
}
