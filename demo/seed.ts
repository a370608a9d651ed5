/** The demo practice and first admin that `npm start` loads into an empty database. */
import { randomToken } from '../service/crypto.js';
import type { PasswordHasher } from '../service/auth/password.js';
import { transaction, type NewUser, type Practice, type Store } from '../service/store/store.js';
import { INSTRUCTIONS_TEMPLATE } from '../shared/instructions-template.js';

const DEMO_SLUG = 'cabinet-martin';

export function demoPractice(demoPort: number): Practice {
  return {
    slug: DEMO_SLUG,
    name: 'Cabinet du Dr Martin',
    phone: '+33 1 42 00 00 00',
    timezone: 'Europe/Paris',
    hours: {
      timezone: 'Europe/Paris',
      weekly: {
        mon: [['08:30', '12:30'], ['14:00', '19:00']],
        tue: [['08:30', '12:30'], ['14:00', '19:00']],
        wed: [['08:30', '12:30']],
        thu: [['08:30', '12:30'], ['14:00', '19:00']],
        fri: [['08:30', '12:30'], ['14:00', '18:00']],
        sat: [['08:30', '12:00']],
        sun: [],
      },
      holidays: { country: 'FR', region: null, closed: true },
      exceptions: [
        { from: '2026-12-24', to: '2026-12-24', hours: [['08:30', '12:00']], label: { fr: 'Veille de Noël', en: 'Christmas Eve' } },
        { from: '2027-08-02', to: '2027-08-20', hours: [], label: { fr: 'Congés annuels', en: 'Annual leave' } },
      ],
    },
    instructions: INSTRUCTIONS_TEMPLATE,
    allowedOrigins: demoPort ? [`http://localhost:${demoPort}`, `http://127.0.0.1:${demoPort}`] : [],
    notifyEmail: 'dr.martin@example.org',
    sms: true,
    retentionDays: 90,
    privacyUrl: demoPort ? `http://localhost:${demoPort}/confidentialite.html` : undefined,
  };
}

/**
 * On an empty database: the demo practice, and an admin (ADMIN_EMAIL/ADMIN_PASSWORD,
 * else a generated password). Returns the login to print, or undefined when nothing was seeded.
 */
export async function seedIfEmpty(
  store: Store,
  passwords: PasswordHasher,
  options: { demoPort: number; adminEmail?: string; adminPassword?: string; now: Date },
): Promise<{ email: string; password: string; generated: boolean } | undefined> {
  if ((await store.countUsers()) > 0 || (await store.listPractices()).length > 0) return undefined;
  const email = options.adminEmail ?? 'admin@permanence.local';
  const password = options.adminPassword ?? randomToken(12);
  const passwordHash = await passwords.hash(password);
  const at = options.now.toISOString();
  await store.transaction(seed, { practice: demoPractice(options.demoPort), admin: { email, name: 'Admin', role: 'admin', practices: [], passwordHash }, at });
  return { email, password, generated: !options.adminPassword };
}

const seed = transaction('demo.seed', async (tx, { practice, admin, at }: { practice: Practice; admin: NewUser; at: string }) => {
  await tx.savePractice(practice, at);
  await tx.createUser(admin, at);
});

/** This module declares a transaction: the store's writer thread imports it by this URL. */
export const SEED_MODULE = import.meta.url;
