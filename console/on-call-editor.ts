/** `<permanence-on-call-editor>`: a practice's contacts and on-call schedule (admin): who gets its messages when, a weekly rotation helper, a test alert per contact. */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LOCALES, type Lang } from '../shared/i18n.js';
import { zonedDate, zonedDateTime } from '../shared/hours.js';
import { slotsRunOut, weeklyRotation, type Messaging, type OnCallNow, type OnCallSlot } from '../shared/on-call.js';
import { consoleText, fieldErrorText } from '../shared/messages/console.js';
import { onCallEditorText, type OnCallEditorMessageKey } from '../shared/messages/on-call-editor.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import { dateTimeText, fromZonedInput, toZonedInput, zoneLabel } from './time.js';
import type { ListOf, PracticeRecord, UserRecord } from './types.js';

/** A contact as the form holds it: blank fields as ''. */
interface DraftContact {
  key: string;
  name: string;
  phone: string;
  email: string;
  notifyBy: '' | 'email' | 'sms';
  /** Added in this form and not saved yet: its key still follows its name. */
  fresh: boolean;
}

/** The practice's messaging settings as the form holds them, inputs as typed. */
interface Draft {
  contacts: DraftContact[];
  defaultContact: string | null;
  /** Always in time order: the service answers a slot's problem by its index in the list sent. */
  slots: OnCallSlot[];
  escalation: string[];
  urgentAckMinutes: string;
  digestAt: string;
}

interface Rotation {
  contacts: string[];
  from: string;
  at: string;
  weeks: string;
}

/** What came of a test alert or an account offer, shown under the contact. */
interface Outcome {
  ok: boolean;
  text: string;
  /** A password created here, shown this once. */
  password?: string;
  hint?: string;
}

const DEFAULT_ACK_MINUTES = 10;
/** The codes of the messaging checks (service/domain/contacts.ts) this form has its own sentence for; the rest are the console's. */
const OWN_CODES = new Set(['unreachable', 'unknown_contact', 'invalid_range', 'duplicate']);
const MAX_ROTATION_WEEKS = 52;
const HOUR = 3_600_000;
const bySlotStart = (a: OnCallSlot, b: OnCallSlot) => Date.parse(a.from) - Date.parse(b.from);

/** A French number as the French read it ("+33612345678" → "06 12 34 56 78"); any other as saved. The service reads either. */
const shownPhone = (e164: string | undefined) => (e164 && /^\+33\d{9}$/.test(e164) ? ('0' + e164.slice(3)).replace(/(\d\d)(?=\d)/g, '$1 ') : (e164 ?? ''));

function draftOf(p: PracticeRecord): Draft {
  return {
    contacts: (p.contacts ?? []).map((c) => ({ key: c.key, name: c.name, phone: shownPhone(c.phone), email: c.email ?? '', notifyBy: c.notifyBy ?? '', fresh: false })),
    defaultContact: p.onCall?.default ?? null,
    slots: [...(p.onCall?.slots ?? [])].sort(bySlotStart),
    escalation: [...(p.escalation ?? [])],
    urgentAckMinutes: String(p.urgentAckMinutes ?? DEFAULT_ACK_MINUTES),
    digestAt: p.digestAt ?? '',
  };
}

/** The fields a practice save carries, from the form. */
function messagingOf(d: Draft): Required<Messaging> {
  const minutes = d.urgentAckMinutes.trim();
  return {
    contacts: d.contacts.map(({ key, name, phone, email, notifyBy }) => ({
      key,
      name: name.trim(),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(notifyBy ? { notifyBy } : {}),
    })),
    onCall: { default: d.defaultContact, slots: d.slots },
    escalation: d.escalation,
    // Blank is the default, as the hint says; anything else goes as typed and the service says what is wrong with it.
    urgentAckMinutes: minutes === '' ? DEFAULT_ACK_MINUTES : Number(minutes),
    digestAt: d.digestAt || null,
  };
}

/** A contact's key from its name ("Dr Élise Martin" → `dr-elise-martin`), unlike every key in `taken`. */
function keyFor(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 32)
      .replace(/-+$/, '') || 'contact';
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}

/** No 0/o, 1/l/i: it is read aloud or copied by hand. */
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** 16 random characters in groups of four (about 79 bits), for a password shown once and replaced at the first sign-in. */
function temporaryPassword(): string {
  const chars: string[] = [];
  // Bytes past the last whole multiple of the alphabet are dropped, so every character is equally likely.
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  while (chars.length < 16) {
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) if (byte < limit && chars.length < 16) chars.push(PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length]!);
  }
  return chars.join('').match(/.{4}/g)!.join('-');
}

const looksLikeEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);

/**
 * The messaging settings of one practice, saved with the practice record by their own button: the rest of the record is
 * read again just before, so what the practice form above saved meanwhile is sent back as it now is. Slots are shown
 * and typed on the practice's clock. A test alert goes to a contact as saved, so it waits until the contact is.
 */
export class PermanenceOnCallEditor extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      :host {
        margin-top: 2rem;
        border-top: 2px solid var(--border);
      }
      fieldset {
        min-width: 0;
      }
      fieldset fieldset {
        margin: 0.75rem 0;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
        gap: 0 1rem;
      }
      .grid > div {
        min-width: 0;
      }
      input[type='text'],
      input[type='tel'],
      input[type='email'],
      select {
        width: 100%;
      }
      input[type='number'] {
        width: 7rem;
      }
      input[aria-invalid='true'],
      select[aria-invalid='true'] {
        border: 2px solid var(--danger);
      }
      button.small {
        min-height: 32px;
        padding: 0.2em 0.7em;
        font-size: 0.9rem;
      }
      .notice.warn {
        border-color: #b45309;
        background: #fff7ed;
        color: #7c2d12;
        font-weight: 600;
      }
      .now {
        font-weight: 600;
      }
      ol.order,
      ul.slots,
      ul.preview {
        margin: 0.5rem 0;
        padding: 0;
        list-style: none;
      }
      ol.order li,
      ul.slots li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.35rem 0.75rem;
        padding: 0.4rem 0;
        border-bottom: 1px solid #e5e7eb;
      }
      ol.order .who,
      ul.slots .when {
        flex: 1 1 12rem;
        min-width: 0;
      }
      ol.order .rank {
        color: var(--muted);
        margin-right: 0.35rem;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
      }
      .add-row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      .add-row select {
        flex: 1 1 12rem;
        width: auto;
      }
      ul.slots li .field-error {
        flex-basis: 100%;
        margin: 0;
      }
      ul.preview li {
        padding: 0.2rem 0;
      }
      .preview-box {
        border: 1px dashed var(--border);
        border-radius: 8px;
        padding: 0.25rem 0.75rem;
        margin: 0.75rem 0;
      }
      .preview-box h3 {
        margin: 0.5rem 0 0;
        font-size: 1rem;
      }
      .contact .actions {
        margin-bottom: 0.25rem;
      }
      .result .notice {
        margin: 0.5rem 0;
      }
      code.password {
        display: inline-block;
        font: 600 1.1rem ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
        background: #f3f4f6;
        border: 1px solid var(--border);
        border-radius: 4px;
        padding: 0.1em 0.4em;
        color: #1b1f24;
        user-select: all;
        white-space: nowrap;
      }
      .save-bar {
        align-items: center;
      }
      @media (max-width: 480px) {
        fieldset {
          padding: 0.25rem 0.6rem 0.75rem;
        }
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  /** The practice's slug (the console's route parameter). */
  @property({ attribute: false }) accessor slug = '';

  /** The practice as last read or saved. */
  @state() private accessor practice: PracticeRecord | undefined = undefined;
  @state() private accessor draft: Draft | undefined = undefined;
  @state() private accessor users: UserRecord[] | undefined = undefined;
  @state() private accessor onCallNow: OnCallNow | undefined = undefined;
  @state() private accessor now = new Date();
  @state() private accessor rotation: Rotation = { contacts: [], from: '', at: '08:00', weeks: '4' };
  @state() private accessor newSlot = { from: '', to: '', contact: '' };
  @state() private accessor newSlotProblem = '';
  @state() private accessor fieldErrors: Record<string, string> = {};
  @state() private accessor error = '';
  @state() private accessor notice = '';
  @state() private accessor busy = false;
  @state() private accessor announcement = '';
  /** By contact key: the last test alert's outcome, and the account offer's. */
  @state() private accessor tests: Record<string, Outcome> = {};
  @state() private accessor accounts: Record<string, Outcome> = {};
  /** The key of the contact a test alert is on its way to: a double click sends one (the button is not disabled, it keeps the focus). */
  private testing = '';
  /** By contact key: why it could not be removed. */
  @state() private accessor removeProblems: Record<string, string> = {};

  /** The id of a field to focus once the change that draws it is rendered. */
  private pendingFocus = '';

  private t(key: OnCallEditorMessageKey, vars?: Record<string, string | number>): string {
    return onCallEditorText(this.language, key, vars);
  }

  private get timeZone(): string {
    return this.practice?.timezone ?? 'Europe/Paris';
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('slug') && this.slug) void this.load();
    if (!this.pendingFocus) return;
    const field = this.renderRoot.querySelector<HTMLElement>(`#${this.pendingFocus}`);
    if (field) {
      field.focus();
      this.pendingFocus = '';
    }
  }

  private async load(): Promise<void> {
    const slug = this.slug;
    const [practice, users] = await Promise.all([api.get<PracticeRecord>(`/v1/practices/${encodeURIComponent(slug)}`), api.get<ListOf<UserRecord>>('/v1/users')]);
    if (slug !== this.slug) return;
    // A practice that cannot be read is the practice form's to explain; this part stays empty.
    if (!practice.ok) return;
    this.show(practice.value);
    if (users.ok) this.users = users.value.items;
    await this.loadOnCall();
  }

  private async loadOnCall(): Promise<void> {
    const result = await api.get<OnCallNow>(`/v1/practices/${encodeURIComponent(this.slug)}/on-call`);
    this.now = new Date();
    this.onCallNow = result.ok ? result.value : undefined;
  }

  private show(practice: PracticeRecord): void {
    this.practice = practice;
    this.draft = draftOf(practice);
    this.now = new Date();
    const { from, at } = this.scheduleEnd();
    this.rotation = { ...this.rotation, contacts: this.rotation.contacts.filter((k) => this.draft!.contacts.some((c) => c.key === k)), from, at };
    const start = new Date(Math.max(this.lastSlotEnd(), Math.ceil(Date.now() / HOUR) * HOUR));
    this.newSlot = { from: toZonedInput(start, this.timeZone), to: toZonedInput(new Date(start.getTime() + 24 * HOUR), this.timeZone), contact: this.draft.contacts[0]?.key ?? '' };
  }

  private lastSlotEnd(): number {
    return Math.max(0, ...(this.draft?.slots ?? []).map((s) => Date.parse(s.to)));
  }

  /** Where a rotation naturally starts: where the schedule stops, if ahead; else today at 08:00 on the practice's clock. */
  private scheduleEnd(): { from: string; at: string } {
    const end = this.lastSlotEnd();
    if (end > Date.now()) {
      const local = zonedDateTime(new Date(end), this.timeZone);
      return { from: local.slice(0, 10), at: local.slice(11, 16) };
    }
    return { from: zonedDate(new Date(), this.timeZone), at: this.rotation.at || '08:00' };
  }

  /** Emptied first so that the same sentence twice is still read out. */
  private announce(text: string): void {
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = text));
  }

  private edit(change: (d: Draft) => Draft, focus = ''): void {
    this.draft = change(this.draft!);
    this.notice = '';
    this.removeProblems = {};
    this.pendingFocus = focus;
  }

  private nameOf(key: string): string {
    const i = this.draft?.contacts.findIndex((c) => c.key === key) ?? -1;
    const contact = this.draft?.contacts[i];
    return contact?.name.trim() || (i >= 0 ? this.t('contactNumber', { n: i + 1 }) : key);
  }

  /**
   * "Du ven. 27/11 à 08:00 au ven. 04/12 à 08:00": on a narrow screen the line breaks between the two instants, or
   * inside the clock's name that may follow each ("(heure de La Réunion)"), never inside a date and time.
   */
  private slotWhen(slot: OnCallSlot): string {
    const whole = (iso: string) => {
      const text = dateTimeText(iso, this.language, this.timeZone);
      const label = text.indexOf(' (');
      return label < 0 ? text.replace(/ /g, '\u00a0') : text.slice(0, label).replace(/ /g, '\u00a0') + text.slice(label);
    };
    return this.t('slotRange', { from: whole(slot.from), to: whole(slot.to) });
  }

  // Contacts ---------------------------------------------------------------------------------------

  private handleAddContact(): void {
    const d = this.draft!;
    const key = keyFor('', new Set(d.contacts.map((c) => c.key)));
    this.edit((d) => ({ ...d, contacts: [...d.contacts, { key, name: '', phone: '', email: '', notifyBy: '', fresh: true }] }), `contact-${d.contacts.length}-name`);
    if (!this.newSlot.contact) this.newSlot = { ...this.newSlot, contact: key };
  }

  private editContact(i: number, change: Partial<DraftContact>): void {
    const before = this.draft!.contacts[i]!;
    const after = { ...before, ...change };
    // A contact not saved yet is named by its name: its key follows, and so does everything that names it already.
    if (before.fresh && change.name !== undefined) after.key = keyFor(change.name, new Set(this.draft!.contacts.filter((_, j) => j !== i).map((c) => c.key)));
    const renamed = (k: string) => (k === before.key ? after.key : k);
    this.edit((d) => ({
      ...d,
      contacts: d.contacts.map((c, j) => (j === i ? after : c)),
      defaultContact: d.defaultContact && renamed(d.defaultContact),
      escalation: d.escalation.map(renamed),
      slots: d.slots.map((s) => ({ ...s, contact: renamed(s.contact) })),
    }));
    if (after.key !== before.key) {
      this.rotation = { ...this.rotation, contacts: this.rotation.contacts.map(renamed) };
      this.newSlot = { ...this.newSlot, contact: renamed(this.newSlot.contact) };
      // A password shown once must not vanish because the name was corrected after.
      const moved = ({ [before.key]: outcome, ...rest }: Record<string, Outcome>) => (outcome ? { ...rest, [after.key]: outcome } : rest);
      this.accounts = moved(this.accounts);
    }
  }

  private handleRemoveContact(i: number): void {
    const contact = this.draft!.contacts[i]!;
    const name = this.nameOf(contact.key);
    const ahead = this.draft!.slots.filter((s) => s.contact === contact.key && Date.parse(s.to) > Date.now()).length;
    if (ahead) {
      this.removeProblems = { [contact.key]: this.t('contactHasSlots', { name, n: ahead }) };
      return;
    }
    // Its past slots go with it: the service accepts no slot naming a contact it does not know.
    this.edit(
      (d) => ({
        ...d,
        contacts: d.contacts.filter((_, j) => j !== i),
        defaultContact: d.defaultContact === contact.key ? null : d.defaultContact,
        escalation: d.escalation.filter((k) => k !== contact.key),
        slots: d.slots.filter((s) => s.contact !== contact.key),
      }),
      'contact-add',
    );
    this.rotation = { ...this.rotation, contacts: this.rotation.contacts.filter((k) => k !== contact.key) };
    if (this.newSlot.contact === contact.key) this.newSlot = { ...this.newSlot, contact: this.draft!.contacts[0]?.key ?? '' };
    this.fieldErrors = {};
    this.announce(this.t('contactRemoved', { name }));
  }

  /** The contact as saved, when the form has not changed how to reach it: a test alert goes there. */
  private isSaved(c: DraftContact): boolean {
    const saved = this.practice?.contacts?.find((s) => s.key === c.key);
    return !c.fresh && !!saved && shownPhone(saved.phone) === c.phone.trim() && (saved.email ?? '') === c.email.trim().toLowerCase();
  }

  private async handleTestAlert(c: DraftContact): Promise<void> {
    const name = this.nameOf(c.key);
    if (this.testing === c.key) return;
    this.testing = c.key;
    const result = await api.post<{ channels: ('sms' | 'email')[] }>(`/v1/practices/${encodeURIComponent(this.slug)}/contacts/${encodeURIComponent(c.key)}/test-alert`);
    this.testing = '';
    let outcome: Outcome;
    if (result.ok) {
      const channels = result.value.channels.map((ch) => this.t(ch === 'sms' ? 'channelSms' : 'channelEmail'));
      outcome = channels.length
        ? { ok: true, text: this.t('testSent', { name, channels: new Intl.ListFormat(LOCALES[this.language], { type: 'conjunction' }).format(channels) }) }
        : { ok: false, text: this.t('testNoChannel') };
    } else if (result.status === 429) outcome = { ok: false, text: this.t('testCapped') };
    else outcome = { ok: false, text: result.status === 0 ? consoleText(this.language, 'errorNetwork') : this.t('testFailed') };
    this.tests = { ...this.tests, [c.key]: outcome };
  }

  /**
   * Creates the practitioner account a contact reads its messages with, with a password made here and shown once.
   * The account is created, then its password set again as an admin's change: that makes it temporary, replaced at the
   * first sign-in, as a password somebody else knows must be.
   */
  private async handleCreateAccount(c: DraftContact): Promise<void> {
    const name = c.name.trim();
    const email = c.email.trim().toLowerCase();
    if (!name) {
      this.accounts = { ...this.accounts, [c.key]: { ok: false, text: this.t('accountNameFirst') } };
      this.pendingFocus = `contact-${this.draft!.contacts.indexOf(c)}-name`;
      return;
    }
    const password = temporaryPassword();
    const created = await api.post<UserRecord>('/v1/users', { email, name, role: 'practitioner', practices: [this.slug], password });
    let outcome: Outcome;
    if (created.ok) {
      const temporary = await api.put<UserRecord>(`/v1/users/${encodeURIComponent(email)}`, { password });
      outcome = temporary.ok
        ? { ok: true, text: this.t('accountCreated', { email }), password, hint: this.t('accountPasswordHint') }
        : { ok: true, text: this.t('accountNotTemporary', { email }), password };
    } else if (created.status === 409) outcome = { ok: false, text: this.t('accountTaken') };
    else {
      const [field, code] = Object.entries(created.fields)[0] ?? [];
      outcome = {
        ok: false,
        text: code
          ? consoleText(this.language, 'fieldProblem', { field: this.fieldLabel(field!), problem: fieldErrorText(this.language, code) })
          : consoleText(this.language, created.status === 0 ? 'errorNetwork' : 'errorGeneric'),
      };
    }
    this.accounts = { ...this.accounts, [c.key]: outcome };
    await this.reloadUsers();
  }

  private fieldLabel(field: string): string {
    return field === 'email' ? this.t('email') : field === 'name' ? this.t('name') : field;
  }

  private async handleGiveAccess(c: DraftContact, user: UserRecord): Promise<void> {
    const result = await api.put<UserRecord>(`/v1/users/${encodeURIComponent(user.email)}`, { practices: [...user.practices, this.slug] });
    this.accounts = {
      ...this.accounts,
      [c.key]: result.ok ? { ok: true, text: this.t('accessGiven', { email: user.email }) } : { ok: false, text: consoleText(this.language, 'errorGeneric') },
    };
    await this.reloadUsers();
  }

  private async reloadUsers(): Promise<void> {
    const users = await api.get<ListOf<UserRecord>>('/v1/users');
    if (users.ok) this.users = users.value.items;
  }

  // Ordered lists (escalation, rotation) -------------------------------------------------------------

  private move(id: string, keys: string[], i: number, by: -1 | 1, set: (keys: string[]) => void): void {
    const j = i + by;
    const next = [...keys];
    [next[i], next[j]] = [next[j]!, next[i]!];
    set(next);
    // The same button follows the contact, unless it can go no further that way.
    const edge = by === -1 ? j === 0 : j === next.length - 1;
    this.pendingFocus = `${id}-${j}-${(by === -1) !== edge ? 'up' : 'down'}`;
    this.announce(this.t('position', { name: this.nameOf(next[j]!), position: j + 1, count: next.length }));
  }

  // Slots --------------------------------------------------------------------------------------------

  private handleAddSlot(): void {
    const from = fromZonedInput(this.newSlot.from, this.timeZone);
    const to = fromZonedInput(this.newSlot.to, this.timeZone);
    if (!this.newSlot.contact) return void (this.newSlotProblem = this.t('needContacts'));
    if (!from || !to || Date.parse(from) >= Date.parse(to)) {
      this.newSlotProblem = this.t('err_invalid_range');
      this.pendingFocus = 'slot-new-to';
      return;
    }
    this.newSlotProblem = '';
    this.edit((d) => ({ ...d, slots: [...d.slots, { from, to, contact: this.newSlot.contact }].sort(bySlotStart) }));
    this.fieldErrors = {};
    const start = new Date(to);
    this.newSlot = { ...this.newSlot, from: toZonedInput(start, this.timeZone), to: toZonedInput(new Date(start.getTime() + 24 * HOUR), this.timeZone) };
    this.announce(this.t('slotAdded'));
  }

  private handleRemoveSlot(index: number, shownAt: number, shownCount: number): void {
    this.edit((d) => ({ ...d, slots: d.slots.filter((_, j) => j !== index) }));
    this.fieldErrors = {};
    // The next slot's button takes the focus; after the last one, the previous one's; with none left, the new slot's start.
    this.pendingFocus = shownCount > 1 ? `slot-remove-${Math.min(shownAt, shownCount - 2)}` : 'slot-new-from';
    this.announce(this.t('slotRemoved'));
  }

  private get rotationSlots(): OnCallSlot[] {
    const r = this.rotation;
    const weeks = Number(r.weeks);
    if (!r.contacts.length || !/^\d{4}-\d{2}-\d{2}$/.test(r.from) || !/^\d\d:\d\d$/.test(r.at) || !Number.isInteger(weeks) || weeks < 1 || weeks > MAX_ROTATION_WEEKS) return [];
    return weeklyRotation({ contacts: r.contacts, from: r.from, at: r.at, weeks, timeZone: this.timeZone });
  }

  private handleApplyRotation(): void {
    const added = this.rotationSlots;
    if (!added.length) return;
    this.edit((d) => ({ ...d, slots: [...d.slots, ...added].sort(bySlotStart) }));
    this.fieldErrors = {};
    // Done: the preview empties rather than offer the same weeks twice; a next rotation would start where this one stops.
    this.rotation = { ...this.rotation, contacts: [], ...this.scheduleEnd() };
    this.pendingFocus = 'rotation-add';
    this.announce(this.t('rotationApplied', { n: added.length }));
  }

  // Saving -------------------------------------------------------------------------------------------

  private async handleSave(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.busy = true;
    this.error = '';
    this.notice = '';
    const url = `/v1/practices/${encodeURIComponent(this.slug)}`;
    // The rest of the record as it is now: the practice form above may have saved it since this part read it.
    const current = await api.get<PracticeRecord>(url);
    const result = current.ok ? await api.put<PracticeRecord>(url, { ...withoutOperators(current.value), ...messagingOf(this.draft!) }) : current;
    this.busy = false;
    if (result.ok) {
      this.fieldErrors = {};
      this.removeProblems = {};
      this.show(result.value);
      this.notice = this.t('saved');
      await this.loadOnCall();
      return;
    }
    this.fieldErrors = result.fields;
    const detail = result.status !== 400 && result.message ? ` (${result.message})` : '';
    this.error = consoleText(this.language, result.status === 400 ? 'errorInvalid' : result.status === 0 ? 'errorNetwork' : 'errorGeneric') + detail;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  /** The sentence of a problem the service found at `path`, or empty. */
  private problemAt(path: string): string {
    const code = this.fieldErrors[path];
    if (!code) return '';
    if (path.endsWith('.notifyBy') && code === 'invalid') return this.t('err_channel');
    return OWN_CODES.has(code) ? this.t(`err_${code}` as OnCallEditorMessageKey) : fieldErrorText(this.language, code);
  }

  /** aria-invalid, aria-describedby and the sentence of the problem at `path`. */
  private problem(path: string, id: string) {
    const text = this.problemAt(path);
    return text
      ? { invalid: 'true' as const, describedBy: `${id}-error`, message: html`<p class="field-error" id="${id}-error">${text}</p>` }
      : { invalid: 'false' as const, describedBy: '', message: nothing };
  }

  // Rendering ----------------------------------------------------------------------------------------

  protected override render() {
    const d = this.draft;
    return html`<section aria-labelledby="on-call-title">
      <h2 id="on-call-title">${this.t('title')}</h2>
      ${d
        ? html`<p class="hint">${this.t('intro')}</p>
            ${this.renderNow()} ${this.renderRunOut()}
            <form @submit=${this.handleSave} novalidate>
              ${this.renderContacts(d)} ${this.renderRouting(d)} ${this.renderSlots(d)} ${this.renderRotation(d)}
              <div id="on-call-saved" aria-live="polite">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
              ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing} ${this.renderUnplaced()}
              <div class="actions save-bar">
                <button type="submit" id="on-call-save" ?disabled=${this.busy}>${this.t('save')}</button>
                ${this.isChanged ? html`<span class="muted">${this.t('unsaved')}</span>` : nothing}
              </div>
            </form>`
        : html`<p role="status">${consoleText(this.language, 'loading')}</p>`}
      <p class="visually-hidden" role="status" aria-atomic="true">${this.announcement}</p>
    </section>`;
  }

  private get isChanged(): boolean {
    return !!this.practice && !!this.draft && JSON.stringify(messagingOf(this.draft)) !== JSON.stringify(messagingOf(draftOf(this.practice)));
  }

  /** Who receives the messages now, as the service answers it (the schedule as saved). */
  private renderNow() {
    const now = this.onCallNow;
    if (!now) return nothing;
    const until = now.until ? dateTimeText(now.until, this.language, this.timeZone) : '';
    const name = now.contact?.name ?? '';
    const text =
      now.source === 'slot'
        ? this.t('nowSlot', { name, until })
        : now.source === 'default'
          ? until
            ? this.t('nowDefault', { name, until })
            : this.t('nowDefaultOpen', { name })
          : this.t('nowNone');
    return html`<p class="now" id="on-call-now">${text}</p>`;
  }

  /** The warning that the dated slots run out within two weeks (the schedule as saved), and what happens then. */
  private renderRunOut() {
    const onCall = this.practice?.onCall;
    const runOut = slotsRunOut(onCall, this.now);
    if (!runOut) return nothing;
    const fallback = onCall?.default ? this.practice?.contacts?.find((c) => c.key === onCall.default) : undefined;
    const first = Date.parse(runOut) <= this.now.getTime() ? this.t('ranOut') : this.t('runsOut', { date: dateTimeText(runOut, this.language, this.timeZone) });
    const then = fallback ? this.t('thenDefault', { name: fallback.name }) : this.t('thenNobody');
    return html`<p class="notice warn" id="on-call-runs-out">${first} ${then}</p>`;
  }

  private renderContacts(d: Draft) {
    return html`<fieldset class="contacts">
      <legend>${this.t('contactsTitle')}</legend>
      <p class="hint">${this.t('contactsHint')}</p>
      ${d.contacts.length ? nothing : html`<p class="muted">${this.t('contactsNone')}</p>`} ${d.contacts.map((c, i) => this.renderContact(c, i))}
      <button type="button" class="secondary" id="contact-add" @click=${this.handleAddContact}>${this.t('addContact')}</button>
    </fieldset>`;
  }

  private renderContact(c: DraftContact, i: number) {
    const id = `contact-${i}`;
    const name = this.nameOf(c.key);
    const whole = this.problem(`contacts.${i}`, id);
    const field = (key: 'name' | 'phone' | 'email', type: string, autocomplete: string, maxlength: number) => {
      const p = this.problem(`contacts.${i}.${key}`, `${id}-${key}`);
      const describedBy = [p.describedBy, key !== 'name' ? `${id}-reach` : '', key !== 'name' ? whole.describedBy : ''].filter(Boolean).join(' ');
      return html`<div>
        <label for="${id}-${key}">${this.t(key)}</label>
        <input
          id="${id}-${key}"
          type=${type}
          autocomplete=${autocomplete}
          maxlength=${maxlength}
          .value=${c[key]}
          @input=${(e: Event) => this.editContact(i, { [key]: (e.target as HTMLInputElement).value })}
          aria-invalid=${p.invalid === 'true' || (key !== 'name' && whole.invalid === 'true') ? 'true' : 'false'}
          aria-describedby=${describedBy || nothing}
        />
        ${p.message}
      </div>`;
    };
    const channel = this.problem(`contacts.${i}.notifyBy`, `${id}-notify`);
    const saved = this.isSaved(c);
    const test = this.tests[c.key];
    return html`<fieldset class="contact" data-key=${c.key}>
      <legend>${name}</legend>
      <div class="grid">
        ${field('name', 'text', 'off', 120)} ${field('phone', 'tel', 'off', 30)} ${field('email', 'email', 'off', 254)}
        <div>
          <label for="${id}-notify">${this.t('notifyBy')}</label>
          <select
            id="${id}-notify"
            @change=${(e: Event) => this.editContact(i, { notifyBy: (e.target as HTMLSelectElement).value as DraftContact['notifyBy'] })}
            aria-invalid=${channel.invalid}
            aria-describedby=${channel.describedBy || nothing}
          >
            <option value="" ?selected=${!c.notifyBy}>${this.t('notifyByDefault')}</option>
            <option value="email" ?selected=${c.notifyBy === 'email'}>${this.t('notifyByEmail')}</option>
            <option value="sms" ?selected=${c.notifyBy === 'sms'}>${this.t('notifyBySms')}</option>
          </select>
          ${channel.message}
        </div>
      </div>
      <p class="hint" id="${id}-reach">${this.t('reachHint')}</p>
      ${whole.message} ${this.problem(`contacts.${i}.key`, `${id}-key`).message}
      <div class="actions">
        <button type="button" class="secondary" id="${id}-test" ?disabled=${!saved} aria-describedby=${saved ? nothing : `${id}-test-hint`} @click=${() => this.handleTestAlert(c)}>
          ${this.t('testAlert')}<span class="visually-hidden">${this.t('toNamed', { name })}</span>
        </button>
        <button type="button" class="secondary" id="${id}-remove" @click=${() => this.handleRemoveContact(i)}>
          ${this.t('remove')}<span class="visually-hidden">${this.t('named', { name })}</span>
        </button>
      </div>
      ${saved ? nothing : html`<p class="hint" id="${id}-test-hint">${this.t('testSaveFirst')}</p>`}
      <div class="result" id="${id}-result" role="status">${test ? html`<p class="notice ${test.ok ? 'ok' : 'error'}">${test.text}</p>` : nothing}${this.removeProblems[c.key]
          ? html`<p class="notice error">${this.removeProblems[c.key]}</p>`
          : nothing}</div>
      ${this.renderAccount(c, i)}
    </fieldset>`;
  }

  /** The practitioner account that goes with the contact's email: said when there is one, offered when there is none. */
  private renderAccount(c: DraftContact, i: number) {
    const email = c.email.trim().toLowerCase();
    const outcome = this.accounts[c.key];
    const id = `contact-${i}-account`;
    const result = html`<div class="result" id="${id}-result" role="status">
      ${outcome
        ? html`<div class="notice ${outcome.ok ? 'ok' : 'error'}">
            ${outcome.text} ${outcome.password ? html`<code class="password">${outcome.password}</code>` : nothing}
            ${outcome.hint ? html`<p class="hint">${outcome.hint}</p>` : nothing}
          </div>`
        : nothing}
    </div>`;
    if (!this.users || !looksLikeEmail(email)) return result;
    const user = this.users.find((u) => u.email === email);
    const name = this.nameOf(c.key);
    let offer;
    if (!user)
      offer = html`<p class="hint">${this.t('accountNone')}</p>
        <button type="button" class="secondary" id=${id} @click=${() => this.handleCreateAccount(c)}>
          ${this.t('createAccount')}<span class="visually-hidden"> (${name})</span>
        </button>`;
    else if (user.role !== 'practitioner') offer = html`<p class="hint">${this.t('accountOtherRole', { role: consoleText(this.language, `role_${user.role}`) })}</p>`;
    else if (!user.practices.includes(this.slug))
      offer = html`<p class="hint">${this.t('accountNoAccess')}</p>
        <button type="button" class="secondary" id="${id}-access" @click=${() => this.handleGiveAccess(c, user)}>
          ${this.t('giveAccess')}<span class="visually-hidden"> (${name})</span>
        </button>`;
    else offer = html`<p class="hint">${this.t('accountOk')}</p>`;
    return html`<div class="account">${offer}</div>
      ${result}`;
  }

  /** A list of contacts in order, each movable up and down, with a choice to add one more. */
  private renderOrder(id: string, legend: string, hint: string, keys: string[], set: (keys: string[]) => void, pathOf?: (i: number) => string) {
    const d = this.draft!;
    const candidates = d.contacts.filter((c) => !keys.includes(c.key));
    return html`<fieldset class="order" id=${id}>
      <legend>${legend}</legend>
      ${hint ? html`<p class="hint">${hint}</p>` : nothing}
      ${keys.length
        ? html`<ol class="order">
            ${keys.map((key, i) => {
              const name = this.nameOf(key);
              const p = pathOf ? this.problem(pathOf(i), `${id}-${i}`) : undefined;
              return html`<li data-key=${key}>
                <span class="who"><span class="rank" aria-hidden="true">${i + 1}.</span>${name}</span>
                <span class="buttons">
                  <button type="button" class="secondary small" id="${id}-${i}-up" ?disabled=${i === 0} @click=${() => this.move(id, keys, i, -1, set)}>
                    ${this.t('moveUp')}<span class="visually-hidden">${this.t('named', { name })}</span>
                  </button>
                  <button type="button" class="secondary small" id="${id}-${i}-down" ?disabled=${i === keys.length - 1} @click=${() => this.move(id, keys, i, 1, set)}>
                    ${this.t('moveDown')}<span class="visually-hidden">${this.t('named', { name })}</span>
                  </button>
                  <button
                    type="button"
                    class="secondary small"
                    id="${id}-${i}-remove"
                    @click=${() => {
                      set(keys.filter((_, j) => j !== i));
                      this.pendingFocus = keys.length > 1 ? `${id}-${Math.min(i, keys.length - 2)}-remove` : `${id}-add`;
                    }}
                  >
                    ${this.t('removeFromList')}<span class="visually-hidden">${this.t('named', { name })}</span>
                  </button>
                </span>
                ${p?.message ?? nothing}
              </li>`;
            })}
          </ol>`
        : html`<p class="muted">${this.t('listEmpty')}</p>`}
      ${candidates.length
        ? html`<label for="${id}-add">${this.t('contactToAdd')}</label>
            <div class="add-row">
              <select id="${id}-add">
                ${candidates.map((c) => html`<option value=${c.key}>${this.nameOf(c.key)}</option>`)}
              </select>
              <button
                type="button"
                class="secondary"
                id="${id}-add-button"
                @click=${() => {
                  const key = this.renderRoot.querySelector<HTMLSelectElement>(`#${id}-add`)!.value;
                  if (!key) return;
                  set([...keys, key]);
                  // The last choice taken, the choice goes away: the focus goes to the contact just added.
                  this.pendingFocus = candidates.length > 1 ? `${id}-add-button` : `${id}-${keys.length}-remove`;
                  this.announce(this.t('position', { name: this.nameOf(key), position: keys.length + 1, count: keys.length + 1 }));
                }}
              >
                ${this.t('add')}<span class="visually-hidden"> (${legend})</span>
              </button>
            </div>`
        : nothing}
    </fieldset>`;
  }

  private renderRouting(d: Draft) {
    const zone = zoneLabel(this.timeZone, this.language);
    const byDefault = this.problem('onCall.default', 'default-contact');
    const ack = this.problem('urgentAckMinutes', 'ack-minutes');
    const digest = this.problem('digestAt', 'digest-at');
    return html`<fieldset class="routing">
      <legend>${this.t('routingTitle')}</legend>
      <label for="default-contact">${this.t('defaultContact')}</label>
      <select
        id="default-contact"
        aria-describedby="default-contact-hint ${byDefault.describedBy}"
        aria-invalid=${byDefault.invalid}
        @change=${(e: Event) => this.edit((d) => ({ ...d, defaultContact: (e.target as HTMLSelectElement).value || null }))}
      >
        <option value="" ?selected=${!d.defaultContact}>${this.t('nobody')}</option>
        ${d.contacts.map((c) => html`<option value=${c.key} ?selected=${d.defaultContact === c.key}>${this.nameOf(c.key)}</option>`)}
      </select>
      <p class="hint" id="default-contact-hint">${this.t('defaultHint')}</p>
      ${byDefault.message}
      ${this.renderOrder(
        'escalation',
        this.t('escalationTitle'),
        this.t('escalationHint'),
        d.escalation,
        (keys) => this.edit((d) => ({ ...d, escalation: keys })),
        (i) => `escalation.${i}`,
      )}
      <label for="ack-minutes">${this.t('ackMinutes')}</label>
      <input
        id="ack-minutes"
        type="number"
        min="1"
        max="120"
        step="1"
        inputmode="numeric"
        .value=${d.urgentAckMinutes}
        @input=${(e: Event) => this.edit((d) => ({ ...d, urgentAckMinutes: (e.target as HTMLInputElement).value }))}
        aria-describedby="ack-minutes-hint ${ack.describedBy}"
        aria-invalid=${ack.invalid}
      />
      <p class="hint" id="ack-minutes-hint">${this.t('ackHint')}</p>
      ${ack.message}
      <label for="digest-at">${this.t('digestAt')}</label>
      <input
        id="digest-at"
        type="time"
        .value=${d.digestAt}
        @change=${(e: Event) => this.edit((d) => ({ ...d, digestAt: (e.target as HTMLInputElement).value }))}
        aria-describedby="digest-at-hint ${digest.describedBy}"
        aria-invalid=${digest.invalid}
      />
      <p class="hint" id="digest-at-hint">${this.t('digestHint', { zone })}</p>
      ${digest.message}
    </fieldset>`;
  }

  private renderSlots(d: Draft) {
    const now = this.now.getTime();
    // Upcoming slots, and any the service found a problem with, wherever they are in time.
    const shown = d.slots.map((slot, index) => ({ slot, index })).filter(({ slot, index }) => Date.parse(slot.to) > now || Object.keys(this.fieldErrors).some((p) => p.startsWith(`onCall.slots.${index}`)));
    return html`<fieldset class="slots">
      <legend>${this.t('slotsTitle')}</legend>
      <p class="hint">${this.t('slotsHint', { zone: zoneLabel(this.timeZone, this.language) })}</p>
      ${shown.length
        ? html`<ul class="slots">
            ${shown.map(({ slot, index }, at) => {
              const name = this.nameOf(slot.contact);
              const p = this.problem(`onCall.slots.${index}`, `slot-${index}`);
              const who = this.problem(`onCall.slots.${index}.contact`, `slot-${index}-contact`);
              return html`<li data-index=${index}>
                <span class="when">${this.slotWhen(slot)}</span>
                <strong class="who">${name}</strong>
                <button
                  type="button"
                  class="secondary small"
                  id="slot-remove-${at}"
                  aria-describedby=${[p.describedBy, who.describedBy].filter(Boolean).join(' ') || nothing}
                  @click=${() => this.handleRemoveSlot(index, at, shown.length)}
                >
                  ${this.t('remove')}<span class="visually-hidden">${this.t('removeSlot', { name, from: dateTimeText(slot.from, this.language, this.timeZone) })}</span>
                </button>
                ${p.message} ${who.message}
              </li>`;
            })}
          </ul>`
        : html`<p class="muted">${this.t('slotsNone')}</p>`}
      <fieldset class="new-slot">
        <legend>${this.t('addSlotTitle')}</legend>
        <div class="grid">
          <div>
            <label for="slot-new-from">${this.t('slotFrom')}</label>
            <input id="slot-new-from" type="datetime-local" .value=${this.newSlot.from} @change=${(e: Event) => (this.newSlot = { ...this.newSlot, from: (e.target as HTMLInputElement).value })} />
          </div>
          <div>
            <label for="slot-new-to">${this.t('slotTo')}</label>
            <input
              id="slot-new-to"
              type="datetime-local"
              .value=${this.newSlot.to}
              aria-invalid=${this.newSlotProblem ? 'true' : 'false'}
              aria-describedby="slot-new-problem"
              @change=${(e: Event) => (this.newSlot = { ...this.newSlot, to: (e.target as HTMLInputElement).value })}
            />
          </div>
          <div>
            <label for="slot-new-contact">${this.t('slotContact')}</label>
            <select id="slot-new-contact" @change=${(e: Event) => (this.newSlot = { ...this.newSlot, contact: (e.target as HTMLSelectElement).value })}>
              ${d.contacts.map((c) => html`<option value=${c.key} ?selected=${this.newSlot.contact === c.key}>${this.nameOf(c.key)}</option>`)}
            </select>
          </div>
        </div>
        <p class="field-error" id="slot-new-problem" aria-live="polite">${this.newSlotProblem}</p>
        <button type="button" class="secondary" id="slot-add" @click=${this.handleAddSlot}>${this.t('addSlot')}</button>
      </fieldset>
    </fieldset>`;
  }

  private renderRotation(d: Draft) {
    const r = this.rotation;
    const preview = this.rotationSlots;
    const overlaps = d.slots.filter((s) => preview.some((p) => Date.parse(s.from) < Date.parse(p.to) && Date.parse(p.from) < Date.parse(s.to))).length;
    const set = (change: Partial<Rotation>) => (this.rotation = { ...this.rotation, ...change });
    return html`<fieldset class="rotation">
      <legend>${this.t('rotationTitle')}</legend>
      <p class="hint">${this.t('rotationHint')}</p>
      ${this.renderOrder('rotation', this.t('rotationOrder'), '', r.contacts, (keys) => set({ contacts: keys }))}
      <div class="grid">
        <div>
          <label for="rotation-from">${this.t('rotationFrom')}</label>
          <input id="rotation-from" type="date" .value=${r.from} @change=${(e: Event) => set({ from: (e.target as HTMLInputElement).value })} />
        </div>
        <div>
          <label for="rotation-at">${this.t('rotationAt')} (${zoneLabel(this.timeZone, this.language)})</label>
          <input id="rotation-at" type="time" .value=${r.at} @change=${(e: Event) => set({ at: (e.target as HTMLInputElement).value })} />
        </div>
        <div>
          <label for="rotation-weeks">${this.t('rotationWeeks')}</label>
          <input
            id="rotation-weeks"
            type="number"
            min="1"
            max=${MAX_ROTATION_WEEKS}
            step="1"
            inputmode="numeric"
            .value=${r.weeks}
            @input=${(e: Event) => set({ weeks: (e.target as HTMLInputElement).value })}
          />
        </div>
      </div>
      <div class="preview-box" id="rotation-preview" role="group" aria-labelledby="rotation-preview-title">
        <h3 id="rotation-preview-title">${this.t('rotationPreview')}</h3>
        ${preview.length
          ? html`<ul class="preview">
                ${preview.map((slot, i) => html`<li><strong>${this.t('week', { n: i + 1 })}</strong> · ${this.slotWhen(slot)} · ${this.nameOf(slot.contact)}</li>`)}
              </ul>
              ${overlaps ? html`<p class="hint">${this.t('rotationOverlap', { n: overlaps })}</p>` : nothing}`
          : html`<p class="muted">${this.t('rotationEmpty')}</p>`}
      </div>
      <button type="button" class="secondary" id="rotation-apply" ?disabled=${!preview.length} @click=${this.handleApplyRotation}>
        ${preview.length ? this.t('rotationApply', { n: preview.length }) : this.t('rotationApplyNone')}
      </button>
    </fieldset>`;
  }

  /** Problems the service found where this form has no field (too many slots…), by path. */
  private renderUnplaced() {
    const placed = /^(contacts\.\d+(\.(name|phone|email|notifyBy|key))?|onCall\.default|onCall\.slots\.\d+(\.contact)?|escalation\.\d+|urgentAckMinutes|digestAt)$/;
    const unplaced = Object.entries(this.fieldErrors).filter(([path]) => !placed.test(path));
    if (!unplaced.length) return nothing;
    return html`<ul class="field-error">
      ${unplaced.map(([path]) => html`<li>${consoleText(this.language, 'fieldProblem', { field: path, problem: this.problemAt(path) })}</li>`)}
    </ul>`;
  }
}

/** The record as a save sends it back: operator assignments belong to the accounts page. */
function withoutOperators(record: PracticeRecord): Omit<PracticeRecord, 'operators'> {
  const { operators: _operators, ...rest } = record;
  return rest;
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-on-call-editor': PermanenceOnCallEditor;
  }
}
