/**
 * A route declared once — method, path, who may call it, the zod schemas of its body, query string and answers —
 * and mounted from that declaration: its validators are built from those schemas, and the OpenAPI document
 * (openapi-document.ts) is read from the declarations of the routes an app really serves.
 */
import { Hono, type Context, type Env, type MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import type { Deps } from '../context.js';
import type { Role } from '../store/store.js';
import { invalid } from '../errors.js';
import { apiErrorSchema, fieldErrors } from '../../shared/schemas.js';
import { singleLineText } from '../../shared/text.js';
import { requireSession } from '../auth/session.js';
import { jsonBodyLimit, readJson } from './body.js';

export type Method = 'get' | 'post' | 'put' | 'delete';

/** One answer of a route: a JSON body (a schema named with `component()`), other media described in words, or no body at all. */
export interface Answer {
  description: string;
  schema?: z.ZodMiniType;
  /** Bodies that are not JSON, such as `text/html`, `text/csv`, `text/event-stream`. */
  media?: readonly string[];
}

export interface BodySpec<S extends z.ZodMiniType = z.ZodMiniType> {
  /** Named with `component()`: the document refers to it by that name. */
  schema: S;
  /** A longer body is refused with 413 before it is read. */
  maxBytes: number;
  /** A browser form (`application/x-www-form-urlencoded`) rather than JSON. */
  form?: boolean;
  /**
   * `false`: the body is only read here (a JSON object, or a form's fields) and the handler hands it to a domain
   * operation that validates it with `schema`, because that needs more than the body: the path's slug, the raw body's
   * fingerprint, the opening hours' own checks, the CLI that saves the same records.
   */
  validate?: boolean;
}

export interface RouteSpec<P extends string = string, B extends BodySpec | undefined = BodySpec | undefined, Q extends z.ZodMiniType | undefined = z.ZodMiniType | undefined> {
  method: Method;
  /** Hono's syntax: `/v1/callbacks/:ref`. */
  path: P;
  summary: string;
  description?: string;
  /** Signed-in accounts only: of any role, or of these roles. */
  session?: 'any' | readonly Role[];
  body?: B;
  /** A `z.object` of the parameters read; values arrive as strings, unknown ones are ignored. */
  query?: Q;
  /** Request headers the handler reads, for the document (the handler checks them). */
  headers?: Readonly<Record<string, { description: string; schema: z.ZodMiniType }>>;
  /** The answers the route gives, by status. */
  responses: Readonly<Record<number, Answer>>;
  /** Statuses the route's own rules answer in the error shape; those of its session, body and query are added. */
  errors?: readonly number[];
}

type BodyTarget<B> = B extends { form: true } ? 'form' : 'json';
type BodyData<B> = B extends { validate: false } ? Record<string, unknown> : B extends BodySpec<infer S> ? z.output<S> : never;

/** What the validators hand the handler: `c.req.valid('json' | 'form')` and `c.req.valid('query')`. */
type Validated<B, Q> = {
  out: (B extends BodySpec ? { [K in BodyTarget<B>]: BodyData<B> } : {}) & (Q extends z.ZodMiniType ? { query: z.output<Q> } : {});
};

export type RouteHandler<E extends Env, P extends string, B, Q> = (c: Context<E, P, Validated<B, Q>>) => Response | Promise<Response>;

/** The declaration behind each handler an app serves; keyed by the handler, so an app's own routes tell what they are. */
const declarations = new WeakMap<object, RouteSpec>();

/**
 * A Hono app for one group of routes, and `route(spec, handler)` to declare and mount each. The middleware runs in
 * this order: the session (401 before anything is read), the query string, the body's size, then the body.
 * `deps` is needed only by routes behind a session.
 */
export function declareRoutes<E extends Env = Env>(deps?: Deps) {
  const app = new Hono<E>();

  function route<P extends string, B extends BodySpec | undefined = undefined, Q extends z.ZodMiniType | undefined = undefined>(
    spec: RouteSpec<P, B, Q>,
    handler: RouteHandler<E, P, B, Q>,
  ): void {
    const chain: MiddlewareHandler[] = [];
    if (spec.session) {
      if (!deps) throw new Error(`${spec.method} ${spec.path} needs a session: pass deps to declareRoutes`);
      chain.push(requireSession(deps, spec.session === 'any' ? undefined : [...spec.session]) as MiddlewareHandler);
    }
    if (spec.query) chain.push(queryValidator(spec.query));
    if (spec.body) chain.push(jsonBodyLimit(spec.body.maxBytes), spec.body.form ? formReader() : jsonValidator(spec.body));
    if (declarations.has(handler)) throw new Error(`${spec.method} ${spec.path}: this handler is already mounted`);
    declarations.set(handler, spec as RouteSpec);
    // Hono's typed overloads stop at a fixed number of handlers; the chain's types were checked above.
    const on = app.on.bind(app) as (method: string, path: string, ...handlers: unknown[]) => unknown;
    on(spec.method.toUpperCase(), spec.path, ...chain, handler);
  }

  return { app, route };
}

/**
 * The declarations of the routes `app` serves, in the order they were mounted. Sub-apps mounted with
 * `app.route()` keep their handlers as they are (none sets its own `onError`, which would wrap them).
 */
export function declaredRoutes(app: { routes: readonly { handler: unknown }[] }): RouteSpec[] {
  const found = new Set<RouteSpec>();
  for (const { handler } of app.routes) {
    const spec = typeof handler === 'function' ? declarations.get(handler) : undefined;
    if (spec) found.add(spec);
  }
  return [...found];
}

// Validators ------------------------------------------------------------------------------------

/** 400 `validation_failed` naming each field, exactly as a domain operation answers a body it validates itself. */
function parseOr400<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues, input));
  return parsed.data;
}

function jsonValidator(body: BodySpec): MiddlewareHandler {
  return async function jsonValidatorHandler(c, next) {
    const raw = await readJson(c);
    c.req.addValidatedData('json', body.validate === false ? raw : (parseOr400(body.schema, raw) as object));
    await next();
  };
}

/** A form's fields as sent; the page that posts it decides what a missing field means (an HTML answer, not a JSON 400). */
function formReader(): MiddlewareHandler {
  return async function formReaderHandler(c, next) {
    c.req.addValidatedData('form', await c.req.parseBody().catch(() => ({})));
    await next();
  };
}

/** The first value of each parameter, as `c.req.query(name)` reads it, checked against the route's query schema. */
function queryValidator(schema: z.ZodMiniType): MiddlewareHandler {
  return async function queryValidatorHandler(c, next) {
    c.req.addValidatedData('query', parseOr400(schema, c.req.query()) as object);
    await next();
  };
}

// Query parameters ------------------------------------------------------------------------------

/** Free text, held to the text rule of bodies (shared/text.ts); empty (`?practice=`, as a form's blank filter sends it) is the same as absent. */
export const queryText = (description: string) => z.optional(z.pipe(singleLineText(254, 0).check(z.describe(description)), z.transform((v) => v || undefined)));

/** One of `values`, `fallback` when absent; anything else is `invalid`. */
export const queryChoice = <const V extends readonly [string, ...string[]]>(values: V, fallback: V[number], description: string) =>
  z._default(z.enum(values).check(z.describe(description)), fallback);

/** A whole number from `min` to `max`, written in digits; anything else is `invalid`. `description` says the range (a default is not shown by zod). */
export const queryInt = (min: number, max: number, description: string) =>
  z
    .pipe(z.string().check(z.regex(/^\d{1,15}$/), z.describe(description)), z.transform(Number))
    .check(z.refine((n) => n >= min && n <= max, 'invalid'));

/** A yes/no switch: `1` or `true` is yes, anything else no. */
export const queryFlag = (description: string) => z.pipe(z.optional(z.string().check(z.describe(description))), z.transform((v) => v === '1' || v === 'true'));

// Components ------------------------------------------------------------------------------------

/** The schemas the document names under `components.schemas`; a schema nested in another is referred to by its name. */
const components = z.registry<{ id: string }>();

/** Which schema holds each name: two schemas under one name would make one of them disappear from the document. */
const names = new Map<string, z.ZodMiniType>();

/** Names `schema` in the document (a generated client gets a type of that name) and answers it unchanged. */
export function component<S extends z.ZodMiniType>(name: string, schema: S): S {
  const holder = names.get(name);
  if ((holder && holder !== schema) || (componentName(schema) ?? name) !== name) throw new Error(`component ${name} is declared twice`);
  names.set(name, schema);
  components.add(schema, { id: name });
  return schema;
}

/** The name `schema` was given, if any. */
export const componentName = (schema: z.ZodMiniType): string | undefined => components.get(schema)?.id;

/** Every named schema, for `components.schemas`. */
export const componentRegistry = () => components;

/** The one error shape (shared/schemas.ts `ApiError`), answered by every route for every error status. */
export const errorSchema = component('Error', apiErrorSchema);
