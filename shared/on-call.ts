/**
 * Who a practice's messages go to: its contacts, the default one, and dated on-call slots that override it
 * (an evening, a weekend, a holiday). Shared by the service (who gets an urgent message now) and the console
 * (the schedule editor, its weekly rotation helper and the "slots run out" warning). No zod: the console imports it.
 */
import { zonedInstants } from './hours.js';

/** Someone messages can go to; linked to the practitioner account that has the same email. */
export interface Contact {
  /** Stable short id the schedule and the escalation list name. */
  key: string;
  name: string;
  /** E.164. */
  phone?: string;
  email?: string;
  /** The channel of routine notices (urgent ones go on both); by default email when there is one. */
  notifyBy?: 'email' | 'sms';
}

export interface OnCallSlot {
  /** ISO instants, `from` < `to`. */
  from: string;
  to: string;
  /** A contact's key. */
  contact: string;
}

export interface OnCall {
  default: string | null;
  slots: OnCallSlot[];
}

/** A practice's messaging settings, as its record carries them (each optional: a practice may have none). */
export interface Messaging {
  contacts?: Contact[];
  onCall?: OnCall;
  /** Contact keys, in the order an unacknowledged urgent message goes down. */
  escalation?: string[];
  /** 1–120; 10 when absent. */
  urgentAckMinutes?: number;
  /** The daily digest's time, `HH:MM` on the practice's clock; null or absent: none. */
  digestAt?: string | null;
}

export interface OnCallNow {
  contact: Contact | null;
  /** When this answer changes (the slot's end, or the next slot's start for the default); null: not foreseen. */
  until: string | null;
  /** `slot`: a dated slot; `default`: no slot covers the moment; `none`: no slot and no default. */
  source: 'slot' | 'default' | 'none';
}

/** The contact on call at `at`: the slot covering it (the latest starting, if they overlap), else the default. */
export function onCallAt(contacts: readonly Contact[], onCall: OnCall | undefined, at: Date): OnCallNow {
  const t = at.getTime();
  const byKey = new Map(contacts.map((c) => [c.key, c]));
  const slots = (onCall?.slots ?? []).filter((s) => byKey.has(s.contact)).sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
  const covering = slots.filter((s) => Date.parse(s.from) <= t && t < Date.parse(s.to)).at(-1);
  if (covering) {
    // Back-to-back slots of the same person read as one: "until Monday 08:00", not "until Saturday 20:00".
    let until = Date.parse(covering.to);
    for (const s of slots) if (s.contact === covering.contact && Date.parse(s.from) <= until && Date.parse(s.to) > until) until = Date.parse(s.to);
    return { contact: byKey.get(covering.contact)!, until: new Date(until).toISOString(), source: 'slot' };
  }
  const next = slots.find((s) => Date.parse(s.from) > t);
  const fallback = onCall?.default ? byKey.get(onCall.default) : undefined;
  return { contact: fallback ?? null, until: next ? next.from : null, source: fallback ? 'default' : 'none' };
}

/** How far ahead the console warns that the schedule runs out. */
export const SLOTS_WARNING_DAYS = 14;

/**
 * When the dated slots run out, if within `days` of `now`: the end of the last slot (a practice that uses slots
 * and has none ahead answers `now`). Null when the schedule reaches further, or the practice uses no slots at all.
 */
export function slotsRunOut(onCall: OnCall | undefined, now: Date, days = SLOTS_WARNING_DAYS): string | null {
  const slots = onCall?.slots ?? [];
  if (!slots.length) return null;
  const end = Math.max(...slots.map((s) => Date.parse(s.to)));
  if (end > now.getTime() + days * 86_400_000) return null;
  return new Date(Math.max(end, now.getTime())).toISOString();
}

export interface Rotation {
  /** Contact keys, in turn. */
  contacts: string[];
  /** First handover day, `YYYY-MM-DD`, on the practice's clock. */
  from: string;
  /** Handover time, `HH:MM`. */
  at: string;
  weeks: number;
  timeZone: string;
}

/** Weekly slots, handover at the same wall-clock time each week, the contacts taking turns. */
export function weeklyRotation(r: Rotation): OnCallSlot[] {
  const slots: OnCallSlot[] = [];
  const instant = (week: number) => {
    const day = new Date(Date.parse(`${r.from}T00:00Z`) + week * 7 * 86_400_000).toISOString().slice(0, 10);
    // In the hour a spring night skips, the handover moves to the first instant after it.
    const found = zonedInstants(`${day}T${r.at}`, r.timeZone)[0] ?? zonedInstants(`${day}T${String(+r.at.slice(0, 2) + 1).padStart(2, '0')}:00`, r.timeZone)[0];
    return found!.toISOString();
  };
  if (!r.contacts.length) return slots;
  for (let week = 0; week < r.weeks; week++) slots.push({ from: instant(week), to: instant(week + 1), contact: r.contacts[week % r.contacts.length]! });
  return slots;
}
