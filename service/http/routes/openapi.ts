/** `GET /openapi.json`: the API described in OpenAPI 3.1, request bodies generated from the very schemas that validate them. */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { callbackRequestSchema } from '../../../shared/schemas.js';
import { hoursSchema } from '../../../shared/hours-schema.js';
import { loginSchema } from './session.js';
import { SESSION_COOKIE } from '../../auth/session.js';
import { practiceSchema } from '../../domain/practices.js';
import { userCreateSchema, userUpdateSchema } from '../../domain/users.js';
import { attemptSchema } from './work.js';

const schema = (s: z.ZodMiniType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return rest;
};

const errorRef = { $ref: '#/components/schemas/Error' };
const json = (s: object) => ({ content: { 'application/json': { schema: s } } });
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [String(code), { description: 'Error', ...json(errorRef) }]));
const ok = (description: string) => ({ description });
const body = (name: string) => json({ $ref: `#/components/schemas/${name}` });
const secured = { security: [{ session: [] }] };

/** Builds the document once. A route added to the app must be listed here too: test/service/api.test.ts fails otherwise. */
function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Permanence', version: '1', description: 'Callback requests from practice websites to an answering service’s operators.' },
    components: {
      schemas: {
        CallbackRequest: schema(callbackRequestSchema),
        Hours: schema(hoursSchema),
        Login: schema(loginSchema),
        Practice: schema(practiceSchema),
        UserCreate: schema(userCreateSchema),
        UserUpdate: schema(userUpdateSchema),
        Attempt: schema(attemptSchema),
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, fields: { type: 'object', additionalProperties: { type: 'string' } } },
            },
          },
        },
      },
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
    },
    paths: {
      '/v1/practices/{slug}/widget': { get: { summary: 'What the widget shows, with a form token', responses: { '200': ok('Widget config'), ...errors(403, 404) } } },
      '/v1/practices/{slug}/callbacks': {
        post: {
          summary: 'Ask to be called back',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
          requestBody: { required: true, ...body('CallbackRequest') },
          responses: { '201': ok('Queued (or merged into the open request of the same phone: duplicate true)'), ...errors(400, 403, 404, 409, 413, 415, 422, 429) },
        },
      },
      '/c/{ref}': { get: { summary: 'The patient’s page to see and cancel a request (HTML; token t in the query)', responses: { '200': ok('HTML page'), '404': ok('HTML page') } } },
      '/v1/callbacks/{ref}/cancel': { post: { summary: 'Cancel with the token of the confirmation link', responses: { '200': ok('Cancelled'), ...errors(400, 404, 409, 413, 415) } } },
      '/v1/session': {
        post: { summary: 'Sign in', requestBody: { required: true, ...body('Login') }, responses: { '204': ok('Signed in'), ...errors(400, 401, 429) } },
        delete: { summary: 'Sign out', ...secured, responses: { '204': ok('Signed out'), ...errors(401, 403) } },
      },
      '/v1/me': { get: { summary: 'The signed-in account and its CSRF token', ...secured, responses: { '200': ok('Account'), ...errors(401) } } },
      '/v1/queue': { get: { summary: 'The queue: red flags, urgency, due time, age', ...secured, responses: { '200': ok('{items}'), ...errors(401, 403, 404) } } },
      '/v1/callbacks/{ref}': { get: { summary: 'A request with its attempts and messages', ...secured, responses: { '200': ok('Callback'), ...errors(401, 404) } } },
      '/v1/callbacks/{ref}/claim': { post: { summary: 'Claim a request (atomic)', ...secured, responses: { '200': ok('Claimed'), ...errors(401, 403, 404, 409) } } },
      '/v1/callbacks/{ref}/release': { post: { summary: 'Put a claimed request back', ...secured, responses: { '200': ok('Released'), ...errors(401, 403, 404, 409) } } },
      '/v1/callbacks/{ref}/attempts': {
        post: { summary: 'Record a call attempt and its outcome', ...secured, requestBody: { required: true, ...body('Attempt') }, responses: { '200': ok('Recorded'), ...errors(400, 401, 403, 404, 409) } },
      },
      '/v1/messages': { get: { summary: 'Messages taken for the practitioner', ...secured, responses: { '200': ok('{items}'), ...errors(401, 403) } } },
      '/v1/messages/{id}/read': { post: { summary: 'Mark a message read', ...secured, responses: { '200': ok('Read'), ...errors(401, 403, 404) } } },
      '/v1/events': { get: { summary: 'Server-Sent Events callback.created / callback.updated', ...secured, responses: { '200': ok('text/event-stream'), ...errors(401) } } },
      '/v1/practices': {
        get: { summary: 'Practices', ...secured, responses: { '200': ok('{items}'), ...errors(401, 403) } },
        post: { summary: 'Create a practice (admin)', ...secured, requestBody: { required: true, ...body('Practice') }, responses: { '201': ok('Created'), ...errors(400, 401, 403, 409) } },
      },
      '/v1/practices/{slug}': {
        get: { summary: 'A practice', ...secured, responses: { '200': ok('Practice'), ...errors(401, 403, 404) } },
        put: { summary: 'Edit a practice (admin)', ...secured, requestBody: { required: true, ...body('Practice') }, responses: { '200': ok('Saved'), ...errors(400, 401, 403, 404) } },
      },
      '/v1/users': {
        get: { summary: 'Accounts (admin)', ...secured, responses: { '200': ok('{items}'), ...errors(401, 403) } },
        post: { summary: 'Create an account (admin)', ...secured, requestBody: { required: true, ...body('UserCreate') }, responses: { '201': ok('Created'), ...errors(400, 401, 403, 409) } },
      },
      '/v1/users/{email}': { put: { summary: 'Change role, practices, disabled (admin)', ...secured, requestBody: { required: true, ...body('UserUpdate') }, responses: { '200': ok('Saved'), ...errors(400, 401, 403, 404) } } },
      '/v1/reports/activity': { get: { summary: 'Monthly activity and billing (admin); format=csv for CSV', ...secured, responses: { '200': ok('Report'), ...errors(400, 401, 403) } } },
      '/v1/audit': { get: { summary: 'Audit log (admin)', ...secured, responses: { '200': ok('{items}'), ...errors(401, 403) } } },
      '/v1/outbox': { get: { summary: 'Undelivered messages (admin), state=dead|pending', ...secured, responses: { '200': ok('{items}'), ...errors(401, 403) } } },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': ok('{ok: true}') } } },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': ok('OpenAPI 3.1') } } },
    },
  };
}

export function openApiRoutes() {
  const document = openApiDocument();
  return new Hono().get('/openapi.json', (c) => c.json(document));
}
