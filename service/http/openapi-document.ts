/** The OpenAPI 3.1 document of a set of declared routes (define.ts): paths, parameters, bodies and answers from their zod schemas. */
import * as z from 'zod/mini';
import { SESSION_COOKIE } from '../auth/session.js';
import { componentName, componentRegistry, errorSchema, type Answer, type RouteSpec } from './define.js';

const CSRF_HEADER = 'X-CSRF-Token';

/** What each error status means wherever it is answered; the body is always the `Error` component. */
const PROBLEMS: Record<number, string> = {
  400: 'Invalid request: `error.fields` names each field and its problem',
  401: 'Not signed in, or the session has ended',
  403: 'Not allowed: the account’s role, a missing CSRF token, or (public routes) a website the practice did not allow',
  404: 'No such resource, or not one this account may see',
  409: 'In conflict with the current state (`error.code` says which)',
  413: 'The body is too large',
  415: 'The body is not `application/json`',
  422: 'This `Idempotency-Key` was used with another body',
  429: 'Too many requests: wait `Retry-After` seconds',
  503: 'Busy for now (`error.code` says why): wait `Retry-After` seconds',
};

type JsonSchema = Record<string, unknown>;

/**
 * As a schema accepts values (`io: 'input'`): for answers that means optional fields stay optional and no
 * `additionalProperties: false` is added, so a client keeps working when a field is added, as SPEC allows.
 */
const JSON_SCHEMA_OPTIONS = { io: 'input', unrepresentable: 'any', uri: (id: string) => `#/components/schemas/${id}` } as const;

/** Drops what zod writes for a standalone JSON Schema (`$schema`, `$id`) and the regular expression it adds beside a `format`, which says the same. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (typeof value !== 'object' || value === null) return value;
  const { $schema: _schema, $id: _id, ...rest } = value as JsonSchema;
  if (typeof rest.format === 'string') delete rest.pattern;
  return Object.fromEntries(Object.entries(rest).map(([key, v]) => [key, tidy(v)]));
}

const ref = (schema: z.ZodMiniType, where: string) => {
  const name = componentName(schema);
  // A named schema gives generated clients a named type; an anonymous one would leave them `unknown`-shaped types.
  if (!name) throw new Error(`${where}: name its schema with component()`);
  return { $ref: `#/components/schemas/${name}` };
};

function answer(spec: RouteSpec, status: number, a: Answer) {
  const where = `${spec.method} ${spec.path} ${status}`;
  const content: Record<string, { schema: unknown }> = {};
  if (a.schema) content['application/json'] = { schema: ref(a.schema, where) };
  for (const media of a.media ?? []) content[media] = { schema: { type: 'string' } };
  return { description: a.description, ...(Object.keys(content).length ? { content } : {}) };
}

/** The query string's parameters as JSON Schema: each one's schema, and which are required. */
function queryParameters(spec: RouteSpec): { properties: Record<string, JsonSchema>; required: string[] } {
  if (!spec.query) return { properties: {}, required: [] };
  const { properties = {}, required = [] } = tidy(z.toJSONSchema(spec.query, JSON_SCHEMA_OPTIONS)) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return { properties, required };
}

/** Whether some query string is refused: a parameter is required, or has a rule beyond being text (a list of values, a pattern). */
function queryCanFail(spec: RouteSpec): boolean {
  const { properties, required } = queryParameters(spec);
  return required.length > 0 || Object.values(properties).some((p) => Object.keys(p).some((key) => key !== 'type' && key !== 'description'));
}

/** The error statuses the route's middleware can answer on its own, before the handler runs. */
function edgeErrors(spec: RouteSpec): number[] {
  const codes: number[] = [];
  if (spec.session) codes.push(401);
  // A write needs the CSRF token; a role list refuses the other roles.
  if (spec.session && (spec.session !== 'any' || spec.method !== 'get')) codes.push(403);
  if (queryCanFail(spec) || (spec.body && !spec.body.form)) codes.push(400);
  if (spec.body) codes.push(413);
  if (spec.body && !spec.body.form) codes.push(415);
  return codes;
}

function responses(spec: RouteSpec) {
  const out: Record<string, unknown> = {};
  const errors = [...new Set([...edgeErrors(spec), ...(spec.errors ?? [])])].filter((s) => !(s in spec.responses));
  for (const [status, a] of Object.entries(spec.responses)) out[status] = answer(spec, Number(status), a);
  for (const status of errors.sort((a, b) => a - b)) {
    const description = PROBLEMS[status];
    if (!description) throw new Error(`${spec.method} ${spec.path}: no description for error ${status}`);
    out[status] = answer(spec, status, { description, schema: errorSchema });
  }
  return out;
}

function parameters(spec: RouteSpec) {
  const path = [...spec.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const { properties, required } = queryParameters(spec);
  const query = Object.entries(properties).map(([name, { description, ...schema }]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    ...(description ? { description } : {}),
    schema,
  }));
  const headers = Object.entries(spec.headers ?? {}).map(([name, { description, schema }]) => ({
    name,
    in: 'header',
    required: false,
    description,
    schema: tidy(z.toJSONSchema(schema, JSON_SCHEMA_OPTIONS)),
  }));
  return [...path, ...query, ...headers];
}

function operation(spec: RouteSpec) {
  const roles = spec.session && spec.session !== 'any' ? `Roles: ${spec.session.join(', ')}.` : undefined;
  const description = [spec.description, roles].filter(Boolean).join('\n\n');
  const params = parameters(spec);
  const media = spec.body?.form ? 'application/x-www-form-urlencoded' : 'application/json';
  return {
    summary: spec.summary,
    ...(description ? { description } : {}),
    ...(spec.session ? { security: [spec.method === 'get' ? { session: [] } : { session: [], csrf: [] }] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { [media]: { schema: ref(spec.body.schema, `${spec.method} ${spec.path} body`) } } } } : {}),
    responses: responses(spec),
  };
}

/** Builds the document; every schema a route names is under `components.schemas`, and the routes refer to them. */
export function openApiDocument(routes: readonly RouteSpec[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[spec.method] = operation(spec);
  }
  const { schemas } = tidy(z.toJSONSchema(componentRegistry(), JSON_SCHEMA_OPTIONS)) as { schemas: Record<string, JsonSchema> };
  return {
    openapi: '3.1.0' as const,
    info: { title: 'Permanence', version: '1', description: 'Callback requests from practice websites to an answering service’s operators.' },
    components: {
      schemas,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        // Sent with every state-changing call; `GET /v1/me` gives it.
        csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER },
      },
    },
    paths,
  };
}
