/** `GET /openapi.json`: the API described in OpenAPI 3.1, request bodies generated from the very schemas that validate them. */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { callbackRequestSchema } from '../../shared/schemas.js';
import { hoursSchema } from '../../shared/hours-schema.js';
import { loginSchema } from './session.js';

const schema = (s: z.ZodMiniType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return rest;
};

const errorRef = { $ref: '#/components/schemas/Error' };
const json = (s: object) => ({ content: { 'application/json': { schema: s } } });
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [String(code), { description: 'Error', ...json(errorRef) }]));
const ok = (description: string) => ({ description });

/** Builds the document once; routes added later list themselves here too. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Permanence', version: '1', description: 'Callback requests from practice websites to an answering service’s operators.' },
    components: {
      schemas: {
        CallbackRequest: schema(callbackRequestSchema),
        Hours: schema(hoursSchema),
        Login: schema(loginSchema),
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
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'permanence_session' } },
    },
    paths: {
      '/v1/practices/{slug}/widget': { get: { summary: 'What the widget shows, with a form token', responses: { '200': ok('Widget config'), ...errors(403, 404) } } },
      '/v1/practices/{slug}/callbacks': {
        post: {
          summary: 'Ask to be called back',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/CallbackRequest' }) },
          responses: { '201': ok('Queued'), ...errors(400, 403, 404, 409, 413, 415, 422, 429) },
        },
      },
      '/v1/callbacks/{ref}/cancel': { post: { summary: 'Cancel with the token of the confirmation link', responses: { '200': ok('Cancelled'), ...errors(400, 403, 404) } } },
      '/v1/session': {
        post: { summary: 'Sign in', requestBody: { required: true, ...json({ $ref: '#/components/schemas/Login' }) }, responses: { '204': ok('Signed in'), ...errors(400, 401, 429) } },
        delete: { summary: 'Sign out', security: [{ session: [] }], responses: { '204': ok('Signed out') } },
      },
      '/v1/me': { get: { summary: 'The signed-in account and its CSRF token', security: [{ session: [] }], responses: { '200': ok('Account'), ...errors(401) } } },
      '/v1/queue': { get: { summary: 'The queue, red flags first', security: [{ session: [] }], responses: { '200': ok('{items}'), ...errors(401, 403) } } },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': ok('{ok: true}') } } },
    },
  };
}

export function openApiRoutes() {
  const document = openApiDocument();
  return new Hono().get('/openapi.json', (c) => c.json(document));
}
