/**
 * Twilio Programmable Messaging, "Create a Message resource":
 * https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 * Error codes: https://www.twilio.com/docs/api/errors (e.g. https://www.twilio.com/docs/api/errors/21610)
 */
import { DeliveryError } from '../delivery-error.js';
import { call, field, hideRecipient, type Http, type SmsSender } from './sender.js';
import { allowOnly, baseUrl, configError, isAlphanumericSender, type ParsedSmsUrl } from './url.js';

// Twilio error codes that are about the moment, not about the message.
const TWILIO_TRANSIENT_CODES = new Set(['20429', '20500', '20503', '30001']);

/** `twilio://ACCOUNT_SID:AUTH_TOKEN@?from=+33…` or `?messagingServiceSid=MG…`, optional `&base=`. */
export function twilioSender(url: ParsedSmsUrl, http: Http): SmsSender {
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
