// The monthly activity report on a seeded month: billable and non-billable counts, time to first call, punctuality, CSV, month edges in Paris time.
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type TestApp } from './helpers.js';
import { demoPractice } from '../../demo/seed.js';
import { newRef } from '../../service/domain/ref.js';
import { claimCallback, recordAttempt } from '../../service/domain/work.js';
import type { Callback, Outcome, User } from '../../service/store/store.js';

const T0 = Date.parse('2026-11-10T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

let seeded = 0;
/** A request from its own patient (one open request per person is the rule). */
function seed(t: TestApp, practice: string, createdAt: Date, dueAt = createdAt) {
  return t.deps.store.insertCallback({
    ref: newRef(), practice, name: 'Camille Durand', phone: `+336123456${String(seeded++ % 100).padStart(2, '0')}`, email: null, reason: 'Fièvre', urgency: 'routine',
    redFlag: false, preferredWindow: null, confirmBy: 'none', lang: 'fr', dueAt: dueAt.toISOString(), createdAt: createdAt.toISOString(),
  });
}

/**
 * November 2026 at cabinet-martin, one request per case:
 * A reached at +10 · B no answer at +20, reached at +50 · C three voicemails from +5 (abandoned) · D spam · E duplicate ·
 * F reached at +40, with 2 repeats merged into it · G wrong number at +120 · H cancelled by the patient ·
 * I voicemail at +25 then cancelled with a message taken · J sent 31 Oct 23:30 UTC (1 Nov in Paris), never called ·
 * K sent 30 Nov 23:30 UTC (1 Dec in Paris) · and one request reached at cabinet-durand.
 */
async function seededMonth() {
  const t = await testApp({ practices: [demoPractice(0), { ...demoPractice(0), slug: 'cabinet-durand', name: '=Cabinet Durand' }] });
  await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin', 'cabinet-durand'] });
  const op = (await t.deps.store.findUserByEmail('op@permanence.example'))! as User;
  const rows: Record<string, Callback> = {};
  for (const k of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']) rows[k] = await seed(t, 'cabinet-martin', at(0));
  const durand = await seed(t, 'cabinet-durand', at(0));
  await seed(t, 'cabinet-martin', new Date('2026-10-31T23:30:00Z'), new Date('2026-11-02T07:30:00Z'));
  await seed(t, 'cabinet-martin', new Date('2026-11-30T23:30:00Z'), new Date('2026-12-01T07:30:00Z'));
  await t.deps.store.cancelCallback(rows.H!.id, at(3).toISOString());
  for (const repeat of [1, 2]) {
    await t.deps.store.mergeIntoCallback(rows.F!.id, { reason: 'Fièvre', urgency: 'routine', redFlag: false, suspect: false, now: at(repeat).toISOString() });
  }

  const ops: [number, string, Outcome, string?][] = [
    [1, 'D', 'spam'],
    [2, 'E', 'duplicate'],
    [5, 'C', 'voicemail'],
    [10, 'A', 'reached'],
    [10, 'durand', 'reached'],
    [20, 'B', 'no_answer'],
    [25, 'I', 'voicemail'],
    [35, 'C', 'voicemail'],
    [40, 'F', 'reached'],
    [50, 'B', 'reached'],
    [55, 'I', 'cancelled', 'Annule son rendez-vous de jeudi'],
    [65, 'C', 'voicemail'],
    [120, 'G', 'wrong_number'],
  ];
  for (const [minute, key, outcome, message] of ops) {
    t.clock.now = at(minute);
    const ref = key === 'durand' ? durand.ref : rows[key]!.ref;
    await claimCallback(t.deps, op, ref);
    await recordAttempt(t.deps, op, ref, { outcome, message });
  }
  t.clock.now = new Date('2026-12-03T10:00:00Z');
  const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
  return { t, admin };
}

describe('GET /v1/reports/activity', () => {
  let world: Awaited<ReturnType<typeof seededMonth>>;
  beforeAll(async () => {
    world = await seededMonth();
  });
  const get = (path: string) => world.t.app.request(path, { headers: world.admin });

  it('counts billable requests as those with a conversation, and sorts the rest by reason', async () => {
    const report = (await (await get('/v1/reports/activity?month=2026-11&practice=cabinet-martin')).json()) as any;
    expect(report.month).toBe('2026-11');
    expect(report.items).toHaveLength(1);
    expect(report.items[0]).toEqual({
      practice: 'cabinet-martin',
      name: 'Cabinet du Dr Martin',
      received: 12,
      handled: 4,
      billable: 4,
      nonBillable: { duplicate: 3, spam: 1, wrong_number: 1, cancelled: 1, abandoned: 1 },
      open: 1,
      medianMinutesToFirstCall: 22.5,
      calledOnTimeShare: 0.571,
    });
  });

  it('adds every practice into the total when no practice is named', async () => {
    const report = (await (await get('/v1/reports/activity?month=2026-11')).json()) as any;
    expect(report.items.map((i: any) => [i.practice, i.billable])).toEqual([
      ['cabinet-durand', 1],
      ['cabinet-martin', 4],
    ]);
    expect(report.total).toMatchObject({ received: 13, billable: 5 });
  });

  it('counts a request by its month in the practice’s time zone', async () => {
    const october = (await (await get('/v1/reports/activity?month=2026-10&practice=cabinet-martin')).json()) as any;
    const december = (await (await get('/v1/reports/activity?month=2026-12&practice=cabinet-martin')).json()) as any;
    expect(october.items[0].received).toBe(0);
    expect(december.items[0]).toMatchObject({ received: 1, open: 1 });
  });

  it('exports CSV that spreadsheets read safely, and audits the export', async () => {
    const res = await get('/v1/reports/activity?month=2026-11&format=csv');
    expect(res.headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(res.headers.get('Content-Disposition')).toContain('activity-2026-11.csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^month,practice,name,received,handled,billable,non_billable_duplicate/);
    expect(lines).toContain("2026-11,cabinet-durand,'=Cabinet Durand,1,1,1,0,0,0,0,0,0,10,1");
    expect(lines).toContain('2026-11,cabinet-martin,Cabinet du Dr Martin,12,4,4,3,1,1,1,1,1,22.5,0.571');
    const [entry] = await world.t.deps.store.listAudit({ limit: 1, action: 'report_exported' });
    expect(entry).toMatchObject({ actor: 'admin@permanence.example', details: { month: '2026-11', format: 'csv' } });
  });

  it('exports CSV for French Excel: BOM, semicolons, French headings, decimal commas', async () => {
    const res = await get('/v1/reports/activity?month=2026-11&format=csv-fr');
    expect(res.headers.get('Content-Type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('Content-Disposition')).toContain('activity-2026-11-fr.csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^Mois;Identifiant;Cabinet;Reçues;Traitées;Facturables;Doublons;/);
    expect(lines[0]).toContain(';Délai médian du 1er appel (min);Rappelées à l’heure');
    expect(lines).toContain('2026-11;cabinet-martin;Cabinet du Dr Martin;12;4;4;3;1;1;1;1;1;22,5;0,571');
    expect(lines).toContain("2026-11;cabinet-durand;'=Cabinet Durand;1;1;1;0;0;0;0;0;0;10;1");
    const [entry] = await world.t.deps.store.listAudit({ limit: 1, action: 'report_exported' });
    expect(entry).toMatchObject({ details: { month: '2026-11', format: 'csv-fr' } });
  });

  it('refuses a malformed month and an unknown practice', async () => {
    expect((await get('/v1/reports/activity?month=2026-13')).status).toBe(400);
    expect((await get('/v1/reports/activity')).status).toBe(400);
    expect((await get('/v1/reports/activity?month=2026-11&practice=nowhere')).status).toBe(404);
  });
});
