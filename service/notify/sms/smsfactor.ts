/**
 * SMSFactor (a French gateway used by French answering and appointment services), "Campaign" send:
 * https://dev.smsfactor.com/it/api/sms/invio/campagna-sms (POST /send, JSON body, Bearer token; page in English);
 * request statuses: https://dev.smsfactor.com/en/api/sms/getting-started; result format with the filter
 * counters (invalid, blacklisted, npai, not_allowed, flood, country_limit): https://dev.smsfactor.com/en/api/sms/send/send-list
 * Delivery reports (a "DLR" webhook set up once for the account, not per message):
 * https://dev.smsfactor.com/it/api/sms/webhook/notifica-di-ricezione, https://dev.smsfactor.com/it/api/sms/webhook/creare-webhook
 */
import { isGsm7 } from '../../../shared/gsm7.js';
import { DeliveryError } from '../delivery-error.js';
import { call, field, hideRecipient, type DeliveryReport, type Http, type SmsSender } from './sender.js';
import { allowOnly, baseUrl, configError, isAlphanumericSender, type ParsedSmsUrl } from './url.js';

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

/** `smsfactor://API_TOKEN@?sender=CABINET`, `sender` and `base=` optional. */
export function smsFactorSender(url: ParsedSmsUrl, http: Http): SmsSender {
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

// A delivery report's `status` when the SMS will not arrive. 0 (not sent yet) and 1 (sent, no receipt yet) say nothing new.
const SMSFACTOR_UNDELIVERED: Record<number, string> = {
  2: 'not delivered',
  4: 'not allowed',
  5: 'invalid destination',
  6: 'invalid sender',
  7: 'route not available',
  9: 'rejected',
  11: 'network error',
  12: 'expired',
};
const SMSFACTOR_DELIVERED = 3;

/** A delivery report's numeric `status` (sent as a number or a string) as a report; undefined when it tells nothing final. */
export function smsFactorReport(status: unknown): DeliveryReport | undefined {
  const code = typeof status === 'number' ? status : typeof status === 'string' && /^\d+$/.test(status) ? Number(status) : NaN;
  if (code === SMSFACTOR_DELIVERED) return { status: 'delivered' };
  const what = SMSFACTOR_UNDELIVERED[code];
  return what ? { status: 'failed', error: `smsfactor: ${what} (${code})` } : undefined;
}
