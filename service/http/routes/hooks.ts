/**
 * SMS providers' delivery reports (docs/sms.md, "Delivery reports"): Twilio's status callbacks, signed with the account's
 * auth token, and SMSFactor's DLR webhook, which is not signed and so is reached only through a secret in its path. No
 * session and no CSRF token: the signature or the secret is the check. Neither the recipient nor the body is logged.
 */
import * as z from 'zod/mini';
import type { AppEnv, Deps } from '../../context.js';
import type { Sealer } from '../../crypto.js';
import { recordSmsReport } from '../../domain/delivery-reports.js';
import { ApiProblem, notFound } from '../../errors.js';
import { isTwilioSignature, smsFactorReport, TWILIO_STATUS_PATH, twilioAuthToken, twilioReport, twilioStatusUrl } from '../../notify/sms/index.js';
import { jsonBodyLimit } from '../body.js';
import { component, declareRoutes, errorSchema } from '../define.js';

/** What the SMSFactor path's secret signs: useless as any other token the service hands out. */
const SMSFACTOR_PURPOSE = 'sms_report';
const SMSFACTOR_PAYLOAD = 'smsfactor';
// Reports are a few hundred bytes; Twilio adds parameters over time, hence the margin.
const REPORT_MAX_BYTES = 16 * 1024;

/** The URL to enter in SMSFactor's dashboard as the DLR webhook; its last segment is the secret. */
export const smsFactorReportUrl = (publicUrl: string, sealer: Sealer) =>
  `${publicUrl.replace(/\/+$/, '')}/v1/hooks/smsfactor/dlr/${sealer.sign(SMSFACTOR_PURPOSE, SMSFACTOR_PAYLOAD)}`;

const twilioStatusSchema = component(
  'TwilioStatusCallback',
  z.object({
    MessageSid: z.string().check(z.describe('The message, as `sid` in the answer that accepted it')),
    MessageStatus: z.string().check(z.describe('`delivered`, `undelivered` and `failed` are recorded; `queued`, `sending`, `sent`… are not')),
    ErrorCode: z.optional(z.string().check(z.describe('Why it was not delivered: https://www.twilio.com/docs/api/errors'))),
  }),
);

const reportUrlsSchema = component(
  'DeliveryReportUrls',
  z.object({
    /** Sent with each message; nothing to enter at Twilio. */
    twilio: z.string(),
    /** To enter in SMSFactor's dashboard as the DLR webhook. Secret: it is what authenticates SMSFactor's reports. */
    smsfactor: z.string(),
  }),
);

export function hookRoutes(deps: Deps) {
  const { app, route } = declareRoutes<AppEnv>(deps);
  const authToken = twilioAuthToken(deps.config.smsUrl);
  // Twilio signs the URL it was given, not the one a proxy in front of the service forwards.
  const twilioUrl = twilioStatusUrl(deps.config.publicUrl);

  route(
    {
      method: 'post',
      path: TWILIO_STATUS_PATH,
      summary: 'Twilio’s status callback for an SMS',
      description:
        'Twilio posts here each status change of a message it accepted (the URL is sent with the message). The `X-Twilio-Signature` ' +
        'header must be Twilio’s signature of this URL and the parameters; other parameters Twilio sends are signed too and otherwise ignored.',
      headers: { 'X-Twilio-Signature': { description: 'HMAC-SHA1 of the URL and the sorted parameters, keyed by the auth token, in base64', schema: z.string() } },
      body: { schema: twilioStatusSchema, maxBytes: REPORT_MAX_BYTES, form: true, validate: false },
      responses: {
        204: { description: 'Received (recorded when it reports delivered or undelivered)' },
        403: { description: 'The signature is not Twilio’s for this URL and these parameters', schema: errorSchema },
        404: { description: '`SMS_URL` does not name Twilio: no auth token to check the signature with', schema: errorSchema },
      },
    },
    async (c) => {
      if (!authToken) throw notFound('SMS_URL does not name Twilio');
      // The raw body, not the form reader's fields: the signature covers every value of every parameter.
      const params = new URLSearchParams(await c.req.text());
      if (!isTwilioSignature(authToken, twilioUrl, params, c.req.header('X-Twilio-Signature') ?? '')) {
        throw new ApiProblem(403, 'invalid_signature', 'X-Twilio-Signature is not Twilio’s signature of this request');
      }
      const sid = params.get('MessageSid');
      const report = twilioReport(params.get('MessageStatus') ?? '', params.get('ErrorCode') || undefined);
      if (sid && report) await recordSmsReport(deps, 'twilio', sid, report);
      return c.body(null, 204);
    },
  );

  app.use('/v1/hooks/smsfactor/dlr/:token', jsonBodyLimit(REPORT_MAX_BYTES));
  route(
    {
      method: 'post',
      path: '/v1/hooks/smsfactor/dlr/:token',
      summary: 'SMSFactor’s delivery report (DLR webhook)',
      description:
        'SMSFactor posts here the delivery report of each SMS: a JSON object `{date, status, destination, message_id, campaign_id, country_code}`, ' +
        '`campaign_id` being the `ticket` that accepted the message and `status` 3 for delivered, 2, 4–7, 9, 11 or 12 for not delivered. ' +
        'The body is read whatever its `Content-Type` (a form is read too). `token` is the secret `GET /v1/hooks` gives; any other is 404.',
      responses: {
        204: { description: 'Received (recorded when it reports delivered or not delivered)' },
        404: { description: 'Not the secret of this service', schema: errorSchema },
      },
      errors: [413],
    },
    async (c) => {
      if (!deps.sealer.verify(SMSFACTOR_PURPOSE, SMSFACTOR_PAYLOAD, c.req.param('token'))) throw notFound();
      const fields = reportFields(await c.req.text());
      const ticket = fields.campaign_id;
      const report = smsFactorReport(fields.status);
      if ((typeof ticket === 'string' || typeof ticket === 'number') && String(ticket) !== '' && report) {
        await recordSmsReport(deps, 'smsfactor', String(ticket), report);
      }
      return c.body(null, 204);
    },
  );

  route(
    {
      method: 'get',
      path: '/v1/hooks',
      summary: 'The URLs the SMS providers post their delivery reports to',
      description: 'SMSFactor’s holds a secret: it is entered once in SMSFactor’s dashboard (docs/sms.md, "Delivery reports").',
      session: ['admin'],
      responses: { 200: { description: 'The URLs', schema: reportUrlsSchema } },
    },
    (c) => c.json({ twilio: twilioUrl, smsfactor: smsFactorReportUrl(deps.config.publicUrl, deps.sealer) }),
  );

  return app;
}

/** A report's fields: SMSFactor documents a JSON body, but a form (or a JSON body labelled otherwise) is read as well. */
function reportFields(body: string): Record<string, unknown> {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // Not JSON: a form, or nothing usable.
  }
  return Object.fromEntries(new URLSearchParams(body));
}
