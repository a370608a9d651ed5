/** Practice administration: `GET|POST /v1/practices`, `GET|PUT /v1/practices/:slug` (the SPEC practice record, hours validated, operators assigned). */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { Deps } from '../app.js';
import type { AppEnv } from '../context.js';
import { ApiProblem, invalid, notFound } from '../errors.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { fieldErrors, type FieldErrorCode } from '../../shared/schemas.js';
import { validateHours } from '../../shared/hours-schema.js';
import { assertPracticeAccess, requireSession, visiblePractices } from '../auth/session.js';
import type { Practice, User } from '../store/store.js';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** Instructions are a Markdown subset rendered as text by the widget; a tag here is a mistake or an attack. */
const RAW_HTML = /<\s*[a-z!/?]/i;

const validTimeZone = (timeZone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
};

/** Exactly an origin (`https://host[:port]`): CORS compares it byte for byte with the browser's `Origin`. */
const isOrigin = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
};
const isWebUrl = (value: string) => {
  try {
    return ['https:', 'http:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const markdown = z.string().check(z.maxLength(5000), z.refine((v) => !RAW_HTML.test(v), 'invalid'));

export const practiceSchema = z.strictObject({
  slug: z.string().check(z.refine((v) => SLUG.test(v), 'invalid')),
  name: text(200),
  phone: text(30).check(z.refine((v) => /^\+?[\d\s.\-()]+$/.test(v) && v.replace(/\D/g, '').length >= 6, 'invalid')),
  timezone: z.string().check(z.maxLength(64), z.refine(validTimeZone, 'invalid')),
  /** Checked by `validateHours`, whose errors name the exact place (`hours.weekly.mon.1`). */
  hours: z.unknown(),
  instructions: z.strictObject({ fr: z.optional(markdown), en: z.optional(markdown) }),
  allowedOrigins: z.array(z.string().check(z.refine(isOrigin, 'invalid'))).check(z.maxLength(20)),
  notifyEmail: z.optional(z.union([z.literal(''), z.email().check(z.maxLength(254))])),
  sms: z.boolean(),
  retentionDays: z.int().check(z.gte(1), z.lte(3650)),
  privacyUrl: z.optional(z.union([z.literal(''), z.string().check(z.maxLength(500), z.refine(isWebUrl, 'invalid'))])),
  smsCountries: z.optional(z.array(z.string().check(z.refine((v) => /^[A-Z]{2}$/.test(v), 'invalid'))).check(z.maxLength(50))),
  /** Emails of the operator accounts assigned to this practice; absent leaves assignments as they are. */
  operators: z.optional(z.array(z.string().check(z.maxLength(254))).check(z.maxLength(200))),
});

/** Validates a practice body; `slug` may be left out of a PUT, where the path names it. */
function parsePractice(deps: Deps, body: Record<string, unknown>, slug?: string): { practice: Practice; operators?: User[] } {
  const parsed = practiceSchema.safeParse(slug && body.slug === undefined ? { ...body, slug } : body);
  const fields: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error.issues);
  if (slug && body.slug !== undefined && body.slug !== slug) fields.slug ??= 'invalid';
  const hours = validateHours(body.hours);
  if (!hours.ok) for (const [path, code] of Object.entries(hours.fields)) fields[path ? `hours.${path}` : 'hours'] ??= code;
  if (hours.ok && parsed.success && hours.hours.timezone !== parsed.data.timezone) fields.timezone ??= 'invalid';
  let operators: User[] | undefined;
  if (parsed.success && parsed.data.operators) {
    operators = parsed.data.operators.map((email) => deps.store.findUserByEmail(email)).filter((u): u is NonNullable<typeof u> => !!u && u.role === 'operator');
    if (operators.length !== new Set(parsed.data.operators.map((e) => e.toLowerCase())).size) fields.operators ??= 'invalid';
  }
  // Hours codes (`overlap`, `invalid_time`…) extend the field codes; the console reads both the same way.
  if (Object.keys(fields).length || !parsed.success || !hours.ok) throw invalid(fields as Record<string, FieldErrorCode>);
  const { operators: _operators, notifyEmail, privacyUrl, ...rest } = parsed.data;
  const practice: Practice = {
    ...rest,
    hours: hours.hours,
    ...(notifyEmail ? { notifyEmail: notifyEmail.toLowerCase() } : {}),
    ...(privacyUrl ? { privacyUrl } : {}),
  };
  return { practice, operators };
}

/** Gives the practice to exactly these operators (and takes it from the other operators). */
function assignOperators(deps: Deps, slug: string, operators: User[]): void {
  const chosen = new Set(operators.map((u) => u.id));
  for (const user of deps.store.listUsers()) {
    if (user.role !== 'operator') continue;
    const has = user.practices.includes(slug);
    if (chosen.has(user.id) && !has) deps.store.updateUser(user.email, { practices: [...user.practices, slug] });
    if (!chosen.has(user.id) && has) deps.store.updateUser(user.email, { practices: user.practices.filter((p) => p !== slug) });
  }
}

const operatorsOf = (deps: Deps, slug: string) =>
  deps.store
    .listUsers()
    .filter((u) => u.role === 'operator' && u.practices.includes(slug))
    .map((u) => u.email);

/** Top-level keys whose value changed: what the audit log records of an edit (never the values). */
function changedKeys(before: Practice, after: Practice): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k as keyof Practice]) !== JSON.stringify(after[k as keyof Practice])).sort();
}

export function practiceRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const admins = requireSession(deps, ['admin']);

  app.get('/v1/practices', requireSession(deps), (c) => {
    const visible = visiblePractices(c.get('user'));
    const items = deps.store.listPractices().filter((p) => !visible || visible.includes(p.slug));
    return c.json({ items });
  });

  app.post('/v1/practices', admins, jsonBodyLimit(64 * 1024), async (c) => {
    const { practice, operators } = parsePractice(deps, await readJson(c));
    const now = deps.now().toISOString();
    const actor = c.get('user').email;
    deps.store.transaction(() => {
      if (deps.store.getPractice(practice.slug)) throw new ApiProblem(409, 'exists', 'A practice with this slug already exists', { slug: 'invalid' });
      deps.store.savePractice(practice, now);
      if (operators) assignOperators(deps, practice.slug, operators);
      deps.store.audit({ at: now, actor, action: 'practice_created', practice: practice.slug, target: practice.slug });
    });
    return c.json({ ...practice, operators: operatorsOf(deps, practice.slug) }, 201);
  });

  app.get('/v1/practices/:slug', requireSession(deps), (c) => {
    const user = c.get('user');
    const slug = c.req.param('slug');
    assertPracticeAccess(user, slug);
    const practice = deps.store.getPractice(slug);
    if (!practice) throw notFound('No such practice');
    return c.json(user.role === 'admin' ? { ...practice, operators: operatorsOf(deps, slug) } : practice);
  });

  app.put('/v1/practices/:slug', admins, jsonBodyLimit(64 * 1024), async (c) => {
    const slug = c.req.param('slug');
    const before = deps.store.getPractice(slug);
    if (!before) throw notFound('No such practice');
    const { practice, operators } = parsePractice(deps, await readJson(c), slug);
    const now = deps.now().toISOString();
    deps.store.transaction(() => {
      const previousOperators = operatorsOf(deps, slug);
      deps.store.savePractice(practice, now);
      if (operators) assignOperators(deps, slug, operators);
      const changed = changedKeys(before, practice);
      const nowOperators = operatorsOf(deps, slug);
      if (JSON.stringify(previousOperators) !== JSON.stringify(nowOperators)) changed.push('operators');
      deps.store.audit({ at: now, actor: c.get('user').email, action: 'practice_updated', practice: slug, target: slug, details: { changed } });
    });
    return c.json({ ...practice, operators: operatorsOf(deps, slug) });
  });

  return app;
}
