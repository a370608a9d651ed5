/**
 * Twilio Programmable Messaging, "Create a Message resource":
 * https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 * Error codes: https://www.twilio.com/docs/api/errors (e.g. https://www.twilio.com/docs/api/errors/21610)
 * Status callbacks and their signature: https://www.twilio.com/docs/usage/webhooks/webhooks-security, checked as
 * twilio-node's `validateRequest` does (src/webhooks/webhooks.ts).
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../crypto.js';
import { DeliveryError } from '../delivery-error.js';
import { call, field, hideRecipient, type DeliveryReport, type Http, type SmsSender } from './sender.js';
import { allowOnly, baseUrl, configError, isAlphanumericSender, type ParsedSmsUrl } from './url.js';

// Twilio error codes that are about the moment, not about the message.
const TWILIO_TRANSIENT_CODES = new Set(['20429', '20500', '20503', '30001']);

/** Where Twilio posts a message's status changes, under the service's public URL. */
export const TWILIO_STATUS_PATH = '/v1/hooks/twilio/status';

/** The status callback's full URL: what each message gives Twilio, and so what Twilio signs. */
export const twilioStatusUrl = (publicUrl: string) => publicUrl.replace(/\/+$/, '') + TWILIO_STATUS_PATH;

/**
 * `twilio://ACCOUNT_SID:AUTH_TOKEN@?from=+33…` or `?messagingServiceSid=MG…`, optional `&base=`. With `statusCallback`,
 * each message asks Twilio to post its status changes there (delivered, undelivered…).
 */
export function twilioSender(url: ParsedSmsUrl, http: Http, statusCallback?: string): SmsSender {
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
      if (statusCallback) form.set('StatusCallback', statusCallback);
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

/**
 * Twilio's `X-Twilio-Signature`: HMAC-SHA1 keyed by the auth token over the URL Twilio was given, followed by each POST
 * parameter's name and value, sorted by name (a name sent twice: its distinct values sorted), in base64.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  let signed = url;
  for (const name of [...new Set(params.keys())].sort()) {
    for (const value of [...new Set(params.getAll(name))].sort()) signed += name + value;
  }
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

/**
 * Whether `signature` is Twilio's for a request to `url` with these parameters, compared in constant time. Twilio signs
 * the URL sometimes with the scheme's default port (`:443`) and sometimes without, so both forms are accepted, as its SDK does.
 */
export function isTwilioSignature(authToken: string, url: string, params: URLSearchParams, signature: string): boolean {
  const parsed = new URL(url);
  const withoutPort = new URL(parsed);
  withoutPort.port = '';
  // WHATWG URL drops a default port it is given, so the one with the port is written by hand.
  const defaultPort = parsed.protocol === 'https:' ? ':443' : ':80';
  const withPort = parsed.port ? parsed.href : `${parsed.protocol}//${parsed.host}${defaultPort}${parsed.pathname}${parsed.search}`;
  return [...new Set([url, withoutPort.href, withPort])].some((form) => safeEqual(twilioSignature(authToken, form, params), signature));
}

/**
 * A status callback's `MessageStatus` (and `ErrorCode`) as a delivery report: `delivered`, or `undelivered` / `failed`
 * (the carrier or Twilio gave up). The steps before (`queued`, `sending`, `sent`…) report nothing new.
 * https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
 */
export function twilioReport(messageStatus: string, errorCode: string | undefined): DeliveryReport | undefined {
  if (messageStatus === 'delivered') return { status: 'delivered' };
  if (messageStatus === 'undelivered' || messageStatus === 'failed') {
    return { status: 'failed', error: `twilio: ${messageStatus}${errorCode ? ` ${errorCode}` : ''}` };
  }
  return undefined;
}
