/**
 * A patient's rights, for admins (GDPR art. 15 and 17): `POST /v1/patients/export` answers everything held about a
 * phone number or an email address; `POST /v1/patients/erase` deletes it, once the same number or address is typed
 * again. The same lookups as `permanence export` and `permanence erase` (domain/retention.ts), audited there.
 */
import * as z from 'zod/mini';
import type { AppEnv, Deps } from '../../context.js';
import { erasePatient, patientRecord, type Patient } from '../../domain/retention.js';
import { ApiProblem, invalid } from '../../errors.js';
import { CALLBACK_STATES, CONFIRM_CHANNELS, OUTCOMES, URGENCIES } from '../../../shared/callback.js';
import { LANGS } from '../../../shared/i18n.js';
import { parsePhone } from '../../../shared/phone.js';
import { instantSchema } from '../../../shared/schemas.js';
import { component, declareRoutes } from '../define.js';

/** Whose data: a number as typed (any way `parsePhone` reads) or an address; one of the two. Blank is the same as absent. */
const who = {
  phone: z.optional(z.string().check(z.trim(), z.maxLength(30))),
  email: z.optional(z.union([z.literal(''), z.email().check(z.maxLength(254))])),
};

const patientLookupSchema = component('PatientLookup', z.strictObject(who));
const patientEraseSchema = component(
  'PatientErase',
  z.strictObject({
    ...who,
    /** The same number or address typed a second time: erasure cannot be undone. */
    confirm: z.string().check(z.trim(), z.minLength(1), z.maxLength(254)),
  }),
);

const patientRecordSchema = component(
  'PatientRecord',
  z.object({
    exportedAt: instantSchema,
    /** Every request from this number, or that gave this address, in every practice and state, oldest first. */
    requests: z.array(
      z.object({
        ref: z.string(),
        practice: z.string(),
        name: z.string(),
        phone: z.string(),
        email: z.nullable(z.string()),
        reason: z.string(),
        urgency: z.enum(URGENCIES),
        preferredWindow: z.nullable(z.object({ from: instantSchema, to: instantSchema })),
        confirmBy: z.enum(CONFIRM_CHANNELS),
        lang: z.enum(LANGS),
        state: z.enum(CALLBACK_STATES),
        outcome: z.nullable(z.enum(OUTCOMES)),
        createdAt: instantSchema,
        dueAt: instantSchema,
        closedAt: z.nullable(instantSchema),
        /** The calls made, with the operator's note and name. */
        calls: z.array(z.object({ at: instantSchema, outcome: z.enum(OUTCOMES), note: z.nullable(z.string()), by: z.nullable(z.string()) })),
        messagesForPractitioner: z.array(z.object({ at: instantSchema, body: z.string(), by: z.nullable(z.string()), readAt: z.nullable(instantSchema) })),
        /** Who did what on the request, from the audit log. */
        history: z.array(z.object({ at: instantSchema, action: z.string(), by: z.nullable(z.string()) })),
      }),
    ),
    /** What was written to the patient or about their requests; `content` is null once delivered (the text is not kept). */
    messagesSent: z.array(
      z.object({
        at: instantSchema,
        channel: z.enum(['email', 'sms']),
        purpose: z.string(),
        state: z.enum(['pending', 'sent', 'dead']),
        content: z.nullable(z.union([z.object({ subject: z.string(), text: z.string(), html: z.string() }), z.object({ body: z.string() })])),
      }),
    ),
  }),
);

const patientErasedSchema = component('PatientErased', z.object({ erased: z.int() }));

/** The patient a body names, or 400 naming the field: one of a valid number or an address, not both. */
function patientOf(body: { phone?: string | undefined; email?: string | undefined }): Patient {
  const phone = body.phone || undefined;
  const email = body.email || undefined;
  if (phone && email) throw invalid({ email: 'invalid' }, 'Give a phone number or an email address, not both');
  if (email) return { email: email.toLowerCase() };
  if (!phone) throw invalid({ phone: 'required' }, 'Give a phone number or an email address');
  const parsed = parsePhone(phone);
  if (!parsed) throw invalid({ phone: 'invalid_phone' });
  return { phone: parsed.e164 };
}

/** Whether `typed` names the same patient again: the same number however written, the same address in any case. */
function confirms(patient: Patient, typed: string): boolean {
  if ('email' in patient) return typed.trim().toLowerCase() === patient.email;
  return parsePhone(typed)?.e164 === patient.phone;
}

export function patientRoutes(deps: Deps) {
  const { app, route } = declareRoutes<AppEnv>(deps);

  route(
    {
      method: 'post',
      path: '/v1/patients/export',
      summary: 'Everything held about a patient',
      description:
        'The right of access: every request from this phone number, or that gave this email address, in every practice, ' +
        'with the calls, the messages taken and what was sent. Audited as `export` (how many requests, never whose).',
      session: ['admin'],
      body: { schema: patientLookupSchema, maxBytes: 4 * 1024 },
      responses: { 200: { description: 'The patient’s record (empty lists when nothing is held)', schema: patientRecordSchema } },
    },
    async (c) => {
      const record = await patientRecord(deps.store, patientOf(c.req.valid('json')), c.get('user').email, deps.now());
      return c.json(record satisfies z.infer<typeof patientRecordSchema>);
    },
  );

  route(
    {
      method: 'post',
      path: '/v1/patients/erase',
      summary: 'Erase a patient’s data',
      description:
        'Deletes every request from this phone number, or that gave this email address, in every practice, with its calls, ' +
        'messages and what was sent to the patient; irreversible. `confirm` must name the same number or address again ' +
        '(400 `confirmation_mismatch` otherwise, and nothing is erased). Audited as `erase` (how many, never whose).',
      session: ['admin'],
      body: { schema: patientEraseSchema, maxBytes: 4 * 1024 },
      responses: { 200: { description: 'How many requests were erased', schema: patientErasedSchema } },
    },
    async (c) => {
      const body = c.req.valid('json');
      const patient = patientOf(body);
      if (!confirms(patient, body.confirm)) {
        throw new ApiProblem(400, 'confirmation_mismatch', 'The confirmation is not the same phone number or email address', { confirm: 'invalid' });
      }
      const erased = await erasePatient(deps.store, patient, c.get('user').email, deps.now());
      return c.json({ erased });
    },
  );

  return app;
}
