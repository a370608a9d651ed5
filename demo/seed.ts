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
    operatorInstructions: DEMO_OPERATOR_INSTRUCTIONS,
    afterHours: DEMO_AFTER_HOURS,
    // Who messages go to: Dr Martin by default, Dr Leroy (the associate) next when an urgent one goes unacknowledged.
    contacts: [
      { key: 'dr-martin', name: 'Dr Martin', phone: '+33781234501', email: 'dr.martin@example.org' },
      { key: 'dr-leroy', name: 'Dr Leroy', phone: '+33781234502', email: 'dr.leroy@example.org' },
    ],
    onCall: { default: 'dr-martin', slots: [] },
    escalation: ['dr-leroy'],
    urgentAckMinutes: 10,
  };
}

/** What the widget tells Dr Martin's patients while the practice is closed: the out-of-hours GP line of the region. */
const DEMO_AFTER_HOURS = {
  phone: '116 117',
  text: {
    fr: 'Le soir, le week-end et les jours fériés, le **médecin de garde** répond au 116 117 (permanence des soins) : il vous conseille et, si besoin, vous oriente vers une consultation ou une visite.',
    en: 'In the evening, at weekends and on public holidays, the **doctor on duty** answers on 116 117 (out-of-hours GP service): they advise you and, if needed, arrange a consultation or a visit.',
  },
};

/** The brief Dr Martin wrote for the operators: what to do with each kind of call, who to put through, when to offer a video consultation. */
const DEMO_OPERATOR_INSTRUCTIONS = {
  fr: `**Renouvellement d’ordonnance** : ne pas transférer l’appel. Prendre un message pour le Dr Martin (médicaments, pharmacie habituelle) ; l’ordonnance est prête sous 48 h ouvrées, au cabinet ou envoyée à la pharmacie.

**Enfant qui a de la fièvre** : rappeler les parents **dans l’heure** et proposer un rendez-vous le jour même. Enfant de moins de 3 mois, très somnolent, gêné pour respirer ou avec des taches sur la peau : dire d’appeler le [15](tel:15) sans attendre.

**Douleur dans la poitrine, difficulté à respirer, signes d’AVC** (visage qui se paralyse, bras faible, trouble de la parole) : dire d’appeler **immédiatement le [15](tel:15)** (ou le [112](tel:112)), puis laisser un message au Dr Martin. Ne pas proposer de rendez-vous.

**Qui passer au Dr Martin** (portable [06 39 98 00 12](tel:+33639980012), aux heures d’ouverture) :
- les confrères, l’hôpital, le SAMU ;
- les pharmacies et les laboratoires pour un résultat urgent.

Tous les autres appels : message ; le Dr Martin rappelle entre deux consultations ou en fin de journée.

**Téléconsultation** : la proposer pour un renouvellement chez un patient suivi, un résultat d’analyse à commenter ou un arrêt de travail court ; créneaux le jeudi de 18:00 à 19:00. Jamais pour un enfant fiévreux de moins de 2 ans ni pour une douleur aiguë.

**Visites à domicile** : seulement pour les patients suivis qui ne peuvent pas se déplacer ; noter l’adresse et le code d’entrée dans le message.`,
  en: `**Prescription renewal**: do not put the call through. Take a message for Dr Martin (medicines, usual pharmacy); the prescription is ready within 2 working days, at the practice or sent to the pharmacy.

**Child with a fever**: call the parents back **within the hour** and offer a same-day appointment. A child under 3 months, very drowsy, struggling to breathe or with spots on the skin: tell them to call [15](tel:15) straight away.

**Chest pain, trouble breathing, signs of a stroke** (face drooping, weak arm, slurred speech): tell them to call **[15](tel:15) now** (or [112](tel:112)), then leave Dr Martin a message. Do not offer an appointment.

**Who to put through to Dr Martin** (mobile [06 39 98 00 12](tel:+33639980012), during opening hours):
- other doctors, the hospital, the SAMU;
- pharmacies and laboratories with an urgent result.

Every other call: a message; Dr Martin calls back between patients or at the end of the day.

**Video consultation**: offer it for a renewal for a regular patient, a test result to discuss or a short sick note; slots on Thursdays from 18:00 to 19:00. Never for a feverish child under 2 or for acute pain.

**Home visits**: only for regular patients who cannot travel; note the address and door code in the message.`,
};

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
  const seeded = await store.transaction(seed, { practice: demoPractice(options.demoPort), admin: { email, name: 'Admin', role: 'admin', practices: [], passwordHash }, at });
  return seeded ? { email, password, generated: !options.adminPassword } : undefined;
}

/**
 * Checks again inside the transaction: several instances starting at once on an empty PostgreSQL database all saw
 * it empty, and transactions run one after another, so only the first seeds.
 */
const seed = transaction('demo.seed', async (tx, { practice, admin, at }: { practice: Practice; admin: NewUser; at: string }) => {
  if ((await tx.countUsers()) > 0 || (await tx.listPractices()).length > 0) return false;
  await tx.savePractice(practice, at);
  await tx.createUser(admin, at);
  return true;
});

/** This module declares a transaction: the store's writer thread imports it by this URL. */
export const SEED_MODULE = import.meta.url;
