/** `<permanence-callback-view>`: one request, worked by one operator: claim, call, record the outcome, leave a message. */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { consoleText, fieldErrorText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { messageStatusText, type MessageStatusKey } from '../shared/messages/message-status.js';
import { api } from './api.js';
import { holderName, isClaimed, isMine } from './claims.js';
import { consoleStyles } from './styles.js';
import { aheadText, durationText, fromZonedInput, instantText, toZonedInput, zoneLabel } from './time.js';
import { telHref, withPhone } from './phone-text.js';
import { loadPracticeDirectory, type PracticeDirectory } from './practices.js';
import { isOpenState, RECORDABLE_OUTCOMES, RETRY_DELAY_MS, RETRY_OUTCOMES, type Outcome, type RecordableOutcome, type RetryRule } from '../shared/callback.js';
import { isOpen } from '../shared/hours.js';
import { defaultRetry } from '../shared/retry.js';
import type { CallbackDetail, Me, QueueChange, QueueItem, UndoResult } from './types.js';
import type { OpenQueueSnapshot } from './open-queue.js';
import { OUTCOME_KEYS, typingIn } from './shortcuts.js';

/** How long a closing outcome may be undone (the service's rule, work.ts `UNDO_WINDOW_MS`). */
const UNDO_MS = 10_000;

/**
 * The request's details and the operator's actions. Claiming is first-come: a 409 means another operator
 * has it, which the view says plainly and then shows by reloading.
 */
export class PermanenceCallbackView extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      /* The practice's panel (status, today's hours, consignes) sits beside the request in a side column; narrower,
         beside the request above the form; on a phone, between the request and the form, so it is read before acting. */
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) minmax(17rem, 0.8fr);
        grid-template-areas: 'request work practice';
        gap: 1.5rem;
        align-items: start;
      }
      .layout > .request {
        grid-area: request;
      }
      .layout > .work {
        grid-area: work;
      }
      .layout > permanence-practice-panel {
        grid-area: practice;
        margin-top: 1.5rem;
      }
      @media (max-width: 1100px) {
        .layout {
          grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
          grid-template-areas: 'request practice' 'work work';
        }
      }
      @media (max-width: 900px) {
        .layout {
          grid-template-columns: 1fr;
          grid-template-areas: 'request' 'practice' 'work';
        }
        .layout > permanence-practice-panel {
          margin-top: 0;
        }
      }
      .phone {
        font-size: 1.4rem;
        font-weight: 700;
      }
      .practitioner-replies {
        border: 3px solid var(--accent);
        background: #eef4fb;
        padding: 0.4rem 0.8rem;
        border-radius: 8px;
        margin-bottom: 1rem;
      }
      .practitioner-replies h2 {
        margin: 0.2rem 0;
        font-size: 1.05rem;
      }
      .practitioner-replies .reply {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-weight: 600;
      }
      .red-flag-banner {
        border: 3px solid var(--danger);
        background: #fdf0ef;
        color: var(--danger);
        padding: 0.6rem 0.8rem;
        border-radius: 8px;
        font-weight: 700;
        margin-bottom: 1rem;
      }
      .outcomes {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .outcomes button.closing {
        background: #fff;
        color: var(--accent);
      }
      ol.history {
        padding-left: 1.2rem;
      }
      kbd {
        display: inline-block;
        min-width: 1.1em;
        padding: 0 0.25em;
        margin-right: 0.35em;
        border: 1px solid currentColor;
        border-radius: 3px;
        font: 0.8em ui-monospace, Menlo, Consolas, monospace;
        text-align: center;
      }
      .toast {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        padding: 0.6rem 0.8rem;
        margin: 0.5rem 0;
        border: 1px solid var(--border);
        border-radius: 6px;
        background: #f5f7fa;
      }
      .undone {
        text-decoration: line-through;
      }
      ul.caller-history {
        padding-left: 1.2rem;
      }
      ul.caller-history li {
        margin-bottom: 0.4rem;
      }
      ol.history li {
        margin-bottom: 0.5rem;
      }
      .reason {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .suspect {
        font-weight: 600;
        color: #7a4a00;
      }
      blockquote {
        margin: 0.25rem 0;
        padding-left: 0.75rem;
        border-left: 3px solid var(--border);
        white-space: pre-wrap;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @property({ attribute: false }) accessor me: Me | undefined = undefined;
  @property({ attribute: false }) accessor callbackRef = '';
  /** Goes up at each queue change heard; `lastChange` says which, or nothing when any may have changed (a resync). */
  @property({ attribute: false }) accessor changes = 0;
  @property({ attribute: false }) accessor lastChange: QueueChange | undefined = undefined;

  @state() private accessor item: CallbackDetail | undefined = undefined;
  @state() private accessor loadError = '';
  @state() private accessor actionError = '';
  @state() private accessor notice = '';
  @state() private accessor busy = false;
  /** As typed, on the practice's clock; empty means the default the service picks (`retryDefault`). */
  @state() private accessor retryAt = '';
  @state() private accessor practices: PracticeDirectory = new Map();
  /** The app's reading of the open queue: where the next request is found after an outcome. */
  @property({ attribute: false }) accessor openQueue: OpenQueueSnapshot | undefined = undefined;
  /** A closing outcome just recorded, undoable until `until` (ms), by this operator. */
  @state() private accessor undoable: { ref: string; outcome: Outcome; until: number } | undefined = undefined;
  @state() private accessor undoSeconds = 0;
  /** An outcome was recorded here: offer the next request. */
  @state() private accessor offerNext = false;
  private undoTimer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.handleKeydown);
    void loadPracticeDirectory().then((practices) => (this.practices = practices));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.handleKeydown);
    clearInterval(this.undoTimer);
  }

  /** The first free request of the queue other than this one: what "next" offers. */
  private get nextRequest(): QueueItem | undefined {
    return this.openQueue?.page?.items.find((row) => row.state === 'queued' && row.ref !== this.callbackRef);
  }

  /** c claims, p calls, the digits record outcomes, n takes the next request, u undoes, q goes back; never while typing. */
  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || !this.item) return;
    if (typingIn(event)) {
      // Escape leaves the note or the message for the outcome buttons, where the digits work again.
      if (event.key === 'Escape' && this.renderRoot.contains(event.composedPath()[0] as Node)) this.focusOutcomes();
      return;
    }
    const item = this.item;
    const open = isOpenState(item.state);
    const outcome = (Object.keys(OUTCOME_KEYS) as RecordableOutcome[]).find((o) => OUTCOME_KEYS[o] === event.key);
    let handled = true;
    if (event.key === 'c' && open && !isMine(item) && !this.busy) void this.handleClaim(true);
    else if (event.key === 'p') (this.renderRoot.querySelector('.phone a') as HTMLAnchorElement | null)?.click();
    else if (outcome && open && isMine(item) && !this.busy) void this.handleOutcome(outcome);
    else if (event.key === 'n' && this.offerNext && this.nextRequest) void this.handleTakeNext();
    else if (event.key === 'u' && this.undoable) void this.handleUndo();
    else if (event.key === 'q') location.hash = '#/queue';
    else handled = false;
    if (handled) event.preventDefault();
  };

  /** Takes the next request and opens it, claimed: the loop goes on without the mouse. */
  private async handleTakeNext(): Promise<void> {
    const next = this.nextRequest;
    if (!next) return;
    await api.post(`/v1/callbacks/${encodeURIComponent(next.ref)}/claim`, {});
    location.hash = `#/callback/${encodeURIComponent(next.ref)}`;
  }

  private startUndo(outcome: Outcome): void {
    clearInterval(this.undoTimer);
    this.undoable = { ref: this.callbackRef, outcome, until: Date.now() + UNDO_MS };
    this.undoSeconds = UNDO_MS / 1000;
    this.undoTimer = setInterval(() => {
      const left = Math.ceil(((this.undoable?.until ?? 0) - Date.now()) / 1000);
      if (left <= 0) this.stopUndo();
      else this.undoSeconds = left;
    }, 500);
  }

  private stopUndo(): void {
    clearInterval(this.undoTimer);
    this.undoable = undefined;
  }

  /** The server decides (the same operator, within 10 s); a merge into a newer request opens that one. */
  private async handleUndo(): Promise<void> {
    const undoable = this.undoable;
    if (!undoable) return;
    this.stopUndo();
    this.busy = true;
    const result = await api.post<UndoResult>(`/v1/callbacks/${encodeURIComponent(undoable.ref)}/undo`, {});
    this.busy = false;
    const lang = this.language;
    if (!result.ok) {
      this.actionError = consoleText(lang, result.code === 'undo_expired' ? 'undoExpired' : result.status === 0 ? 'errorNetwork' : 'errorGeneric');
      return;
    }
    const { request, mergedInto, messageKept } = result.value;
    this.offerNext = false;
    const said = mergedInto ? consoleText(lang, 'undoneMerged', { ref: mergedInto }) : consoleText(lang, 'undoneNotice');
    const notice = messageKept ? `${said} ${consoleText(lang, 'undoneMessageKept')}` : said;
    if (mergedInto) {
      location.hash = `#/callback/${encodeURIComponent(mergedInto)}`;
      this.pendingNotice = notice;
      return;
    }
    this.item = request;
    this.notice = notice;
    await this.updateComplete;
    // Back on the outcome buttons: the right outcome is one digit away.
    this.focusOutcomes();
  }

  /** A notice to show once the request navigated to has loaded (after an undo merged into it). */
  private pendingNotice = '';

  /** The practice's clock, which patients live by; the viewer's own until the practices are known. */
  private get timeZone(): string {
    return (this.item && this.practices.get(this.item.practice)?.timezone) || Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  /**
   * The retry the service picks when the operator leaves the time alone (shared/retry.ts, the same rule): 30 minutes
   * from now, or the practice's reopening. Only shown: the service decides at the moment the outcome is recorded.
   */
  private get retryDefault(): { at: Date; rule: RetryRule } {
    const hours = this.item && this.practices.get(this.item.practice)?.hours;
    const now = new Date();
    return this.item && hours ? defaultRetry(hours, this.item, now) : { at: new Date(now.getTime() + RETRY_DELAY_MS), rule: 'delay' };
  }

  private get retryValue(): string {
    return this.retryAt || toZonedInput(this.retryDefault.at, this.timeZone);
  }

  /** What the time under the field will do: the default and why, or a word that the time typed falls while the practice is closed. */
  private retryHint(): string {
    const lang = this.language;
    if (this.retryAt) {
      const hours = this.item && this.practices.get(this.item.practice)?.hours;
      const chosen = fromZonedInput(this.retryAt, this.timeZone);
      return consoleText(lang, hours && chosen && !isOpen(hours, new Date(chosen)) ? 'retryHintClosed' : 'retryHint');
    }
    const { at, rule } = this.retryDefault;
    if (rule === 'reopening') return consoleText(lang, 'retryHintReopening', { when: aheadText(at.toISOString(), new Date(), lang, this.timeZone) });
    return consoleText(lang, rule === 'urgent' ? 'retryHintUrgent' : 'retryHint');
  }

  /** The confirmation of a call that reached nobody, saying when the retry falls when the hours moved it or urgency kept it. */
  private retryNotice(answer: CallbackDetail): string {
    const lang = this.language;
    const last = answer.attempts.at(-1);
    if (last?.retryRule === 'reopening' && last.retryAt) return consoleText(lang, 'retryNoticeReopening', { when: aheadText(last.retryAt, new Date(), lang, this.timeZone) });
    return consoleText(lang, last?.retryRule === 'urgent' ? 'retryNoticeUrgent' : 'retryNotice');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('callbackRef')) {
      this.item = undefined;
      this.retryAt = '';
      this.notice = this.pendingNotice;
      this.pendingNotice = '';
      this.offerNext = false;
      this.stopUndo();
      this.actionError = '';
      void this.load();
    } else if (changed.has('changes') && (!this.lastChange || this.lastChange.ref === this.callbackRef)) {
      // A change to this request, or changes that may have gone unheard (no `lastChange`): read it again.
      void this.load();
    }
  }

  private async load(): Promise<void> {
    const result = await api.get<CallbackDetail>(`/v1/callbacks/${encodeURIComponent(this.callbackRef)}`);
    if (result.ok) {
      this.item = result.value;
      this.loadError = '';
    } else {
      this.loadError = consoleText(this.language, result.status === 404 ? 'callbackNotFound' : result.status === 0 ? 'errorNetwork' : 'errorGeneric');
    }
  }

  /** `success`: the notice's key, or how to word it from the request as the service answers it. */
  private async act(path: string, body: unknown, success: ConsoleMessageKey | ((answer: CallbackDetail) => string)): Promise<boolean> {
    this.busy = true;
    this.actionError = '';
    this.notice = '';
    const result = await api.post<CallbackDetail>(`/v1/callbacks/${encodeURIComponent(this.callbackRef)}/${path}`, body);
    this.busy = false;
    if (result.ok) {
      this.notice = typeof success === 'function' ? success(result.value) : consoleText(this.language, success);
    } else {
      const key: ConsoleMessageKey =
        result.code === 'claimed' ? 'alreadyTaken' : result.status === 400 ? 'errorInvalid' : result.status === 409 ? 'errorConflict' : result.status === 0 ? 'errorNetwork' : 'errorGeneric';
      // Only the retry time is typed free-hand; note and message are bounded by the form itself.
      const retry = result.status === 400 ? result.fields.retryAt : undefined;
      this.actionError = consoleText(this.language, key) + (retry ? ` ${consoleText(this.language, 'fieldProblem', { field: consoleText(this.language, 'retryAt'), problem: fieldErrorText(this.language, retry) })}` : '');
    }
    await this.load();
    return result.ok;
  }

  /** `fromKeyboard`: the outcome buttons take the focus, where the digits record (the note would take them as text). */
  private async handleClaim(fromKeyboard = false): Promise<void> {
    if (await this.act('claim', {}, 'claimedNotice')) {
      // The claim button is gone; the note is where the call's work starts.
      await this.updateComplete;
      if (fromKeyboard === true) this.focusOutcomes();
      else (this.renderRoot.querySelector('#note') as HTMLElement | null)?.focus();
    }
  }

  private focusOutcomes(): void {
    (this.renderRoot.querySelector('button[data-outcome]') as HTMLElement | null)?.focus();
  }

  private async handleRelease(): Promise<void> {
    await this.act('release', {}, 'releasedNotice');
  }

  private async handleOutcome(outcome: Outcome): Promise<void> {
    const form = this.renderRoot.querySelector('form') as HTMLFormElement;
    const data = new FormData(form);
    const note = String(data.get('note') ?? '').trim();
    const message = String(data.get('message') ?? '').trim();
    const body: Record<string, string | boolean> = { outcome };
    if (note) body.note = note;
    if (message) body.message = message;
    if (message && data.get('messageUrgent')) body.messageUrgent = true;
    // Only a time the operator typed is sent: left alone, the service applies the practice's hours at that moment.
    if (RETRY_OUTCOMES.includes(outcome) && this.retryAt) {
      const retryAt = fromZonedInput(this.retryAt, this.timeZone);
      if (retryAt) body.retryAt = retryAt;
    }
    const ok = await this.act('attempts', body, RETRY_OUTCOMES.includes(outcome) ? (answer) => this.retryNotice(answer) : 'outcomeNotice');
    if (ok) {
      form.reset();
      this.retryAt = '';
      this.offerNext = true;
      if (!RETRY_OUTCOMES.includes(outcome)) this.startUndo(outcome);
      await this.updateComplete;
      // A closing outcome removes the buttons; the heading keeps the keyboard in the view.
      if (!this.renderRoot.contains(document.activeElement) && !this.renderRoot.querySelector(':focus')) (this.renderRoot.querySelector('h1') as HTMLElement | null)?.focus();
    }
  }

  private handleRetryInput(event: Event): void {
    this.retryAt = (event.target as HTMLInputElement).value;
  }

  protected override render() {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    const item = this.item;
    // One template around the heading from loading to loaded: the h1 stays the same element, so the focus the app
    // puts on it when the route changes is still there once the request has arrived.
    return html`<p><a href="#/queue">← ${t('backToQueue')}</a></p>
      <h1 tabindex="-1">${item ? html`${item.name} <span class="muted nowrap">· ${item.ref}</span>` : this.callbackRef}</h1>
      ${item
        ? this.renderDetail(item)
        : this.loadError
          ? html`<p class="notice error" role="alert">${this.loadError}</p>`
          : html`<p role="status">${t('loading')}</p>`}`;
  }

  private renderDetail(item: CallbackDetail) {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    const zone = this.timeZone;
    const now = new Date();
    const open = isOpenState(item.state);
    const claimed = isClaimed(item);
    const mine = isMine(item);
    const holder = holderName(item);
    const { attempts, messages } = item;
    const practiceName = item.practiceName;
    const s = (key: MessageStatusKey, vars?: Record<string, string | number>) => messageStatusText(lang, key, vars);
    const onCall = item.onCall;
    const onCallLine = !onCall.name
      ? s('onCallNobody')
      : onCall.source === 'default'
        ? s('onCallDefault', { name: onCall.name })
        : onCall.until
          ? s('onCallUntil', { name: onCall.name, time: instantText(onCall.until, now, lang, zone) })
          : s('onCall', { name: onCall.name });
    return html`
      ${item.redFlag ? html`<div class="red-flag-banner" role="note">⚠ ${t('redFlagBanner')}</div>` : nothing}
      ${item.escalation
        ? html`<div class="red-flag-banner escalation-banner" role="note">
            ☎ ${s('escalationBanner', { name: item.name, time: instantText(item.escalation.takenAt, now, lang, zone) })}
            <a href="#/callback/${encodeURIComponent(item.escalation.messageRef)}">${s('escalationOpen')}</a>
          </div>`
        : nothing}
      ${item.replies.length
        ? html`<section class="practitioner-replies" aria-labelledby="replies-title">
            <h2 id="replies-title">${s('replies')}</h2>
            <ul class="replies">
              ${item.replies.map((r) => html`<li class="reply">${s('reply', { time: instantText(r.at, now, lang, zone), by: r.by ?? '—', text: r.text })}</li>`)}
            </ul>
          </section>`
        : nothing}
      <div class="notices" aria-live="polite">
        ${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}
        ${this.undoable
          ? html`<div class="toast undo">
              <span>${t('undoToast', { outcome: t(`outcome_${this.undoable.outcome}`), seconds: this.undoSeconds })}</span>
              <button type="button" class="secondary" @click=${this.handleUndo}>${t('undo')}</button>
            </div>`
          : nothing}
        ${this.offerNext ? this.renderNextOffer() : nothing}
      </div>
      ${this.actionError ? html`<p class="notice error" role="alert">${this.actionError}</p>` : nothing}
      <div class="layout">
        <section class="request" aria-labelledby="request-title">
          <h2 id="request-title">${t('requestTitle')}</h2>
          <p class="phone"><a href=${telHref(item.phone)}>${withPhone((phone) => t('callPatient', { phone }), item.phoneNational)}</a></p>
          <dl>
            <dt>${t('colStatus')}</dt>
            <dd class="claim-status">
              ${!open ? t(`state_${item.state}`) : mine ? t('takenByYou') : claimed ? (holder ? t('takenBy', { who: holder }) : t('taken')) : t('free')}
            </dd>
            <dt>${t('colPractice')}</dt>
            <dd>${practiceName}</dd>
            <dt>${t('colPriority')}</dt>
            <dd>${item.redFlag ? html`<span class="red-flag">⚠ ${t('redFlag')}</span> ` : nothing}<span class="badge ${item.urgency}">${t(`urgency_${item.urgency}`)}</span></dd>
            <dt>${t('colReason')}</dt>
            <!-- Nothing around the reason: the line breaks it keeps (pre-wrap) would show the template's own. -->
            <dd class="reason">${item.escalation
              ? s('escalationReason')
              : html`<permanence-reason-entries .entries=${item.reasonEntries} .language=${lang} .timeZone=${zone}></permanence-reason-entries>`}</dd>
            ${item.suspect ? html`<dt>${t('suspectLabel')}</dt><dd class="suspect">⚑ ${t('suspect')}</dd>` : nothing}
            <dt>${t('patientLang')}</dt>
            <dd class="patient-lang">${t(`lang_${item.lang}`)}</dd>
            ${item.email ? html`<dt>${t('emailLabel')}</dt><dd><a href="mailto:${item.email}">${item.email}</a></dd>` : nothing}
            ${item.preferredWindow
              ? html`<dt>${t('preferredWindow')}</dt><dd>${instantText(item.preferredWindow.from, now, lang, zone)} – ${instantText(item.preferredWindow.to, now, lang, zone)}</dd>`
              : nothing}
            <dt>${t('received')}</dt>
            <dd>${instantText(item.createdAt, now, lang, zone)} · ${t('ago', { duration: durationText(now.getTime() - Date.parse(item.createdAt), lang) })}</dd>
            <dt>${t('colDue')}</dt>
            <dd>${instantText(item.dueAt, now, lang, zone)}</dd>
          </dl>
          <div class="caller" ?hidden=${item.kind === 'escalation'}>
            <h3 id="caller-history-title">${t('callerHistoryTitle')}</h3>
            ${item.history.length
              ? html`<ul class="caller-history">
                  ${item.history.map(
                    (h) => html`<li>
                      <a href="#/callback/${encodeURIComponent(h.ref)}" class="nowrap">${instantText(h.createdAt, now, lang, zone)}</a>
                      · <strong>${h.outcome ? t(`outcome_${h.outcome}`) : isOpenState(h.state) ? t('callerHistoryOpen') : t(`state_${h.state}`)}</strong>
                      · <span class="muted nowrap">${h.ref}</span>
                      <permanence-reason-entries compact .entries=${h.reasonEntries} .language=${lang} .timeZone=${zone}></permanence-reason-entries>
                    </li>`,
                  )}
                </ul>`
              : html`<p class="muted">${t('callerHistoryEmpty')}</p>`}
          </div>
        </section>
        <permanence-practice-panel
          .onCallLine=${onCallLine}
          .language=${lang}
          .practiceName=${practiceName}
          .hours=${this.practices.get(item.practice)?.hours}
          .status=${item.status}
          .instructions=${item.operatorInstructions}
        ></permanence-practice-panel>
        <section class="work" aria-labelledby="work-title">
          <h2 id="work-title">${t('workTitle')}</h2>
          ${open ? this.renderActions(claimed, mine) : html`<p>${t('closedRequest')}</p>`}
        </section>
      </div>
      <section aria-labelledby="history-title">
        <h2 id="history-title">${t('historyTitle')}</h2>
        ${attempts.length
          ? html`<ol class="history">
              ${attempts.map(
                (a) => html`<li>
                  <strong class=${a.undoneAt ? 'undone' : ''}>${t(`outcome_${a.outcome}`)}</strong>${a.undoneAt ? html` (${t('undoneMark')})` : nothing}
                  · ${instantText(a.at, now, lang, zone)}${a.by ? html` · ${a.by}` : nothing}
                  ${a.retryAt
                    ? html` · ${t(a.retryRule === 'reopening' ? 'retryAtReopening' : a.retryRule === 'urgent' ? 'retryAtUrgent' : 'retryAtShort', { at: instantText(a.retryAt, now, lang, zone) })}`
                    : nothing}
                  ${a.note ? html`<blockquote>${a.note}</blockquote>` : nothing}
                </li>`,
              )}
            </ol>`
          : html`<p class="muted">${t('noAttempts')}</p>`}
        ${messages.length
          ? html`<h3>${t('messagesForPractitioner')}</h3>
              <ul class="messages">
                ${messages.map(
                  (m) => html`<li data-message=${m.id}>
                    <blockquote>${m.body}</blockquote>
                    <permanence-message-status .language=${lang} .timeZone=${zone} .message=${m} hide-replies></permanence-message-status>
                  </li>`,
                )}
              </ul>`
          : nothing}

      </section>
    `;
  }

  private renderNextOffer() {
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(this.language, key, vars);
    const next = this.nextRequest;
    if (!next) return html`<p class="muted next-offer">${t('nextNone')}</p>`;
    return html`<div class="toast next-offer">
      <span>${t('nextOffer', { name: next.name, ref: next.ref })}</span>
      <button type="button" @click=${this.handleTakeNext} aria-keyshortcuts="n">${t('nextOfferTake')}</button>
    </div>`;
  }

  private renderActions(claimed: boolean, mine: boolean) {
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(this.language, key, vars);
    if (!mine) {
      // Offered even when another operator seems to hold it: the service decides, and says so with a 409.
      return html`<p>${claimed ? t('claimHintTaken') : t('claimHint')}</p>
        <div class="actions"><button class="claim" @click=${this.handleClaim} ?disabled=${this.busy}><kbd>c</kbd>${t('claim')}</button></div>`;
    }
    return html`<form @submit=${(e: Event) => e.preventDefault()}>
      <label for="note">${t('note')}</label>
      <textarea id="note" name="note" maxlength="2000" aria-describedby="note-hint"></textarea>
      <p class="hint" id="note-hint">${t('noteHint')}</p>
      <label for="message">${t('message')}</label>
      <textarea id="message" name="message" maxlength="4000" aria-describedby="message-hint"></textarea>
      <p class="hint" id="message-hint">${t('messageHint')}</p>
      <label class="checkbox"><input type="checkbox" name="messageUrgent" /> ${messageStatusText(this.language, 'urgentCheckbox')}</label>
      <label for="retry">${t('retryAt')} (${zoneLabel(this.timeZone, this.language)})</label>
      <input id="retry" name="retryAt" type="datetime-local" .value=${this.retryValue} @input=${this.handleRetryInput} aria-describedby="retry-hint" />
      <p class="hint" id="retry-hint">${this.retryHint()}</p>
      <fieldset>
        <legend>${t('outcomeLegend')}</legend>
        <div class="outcomes">
          ${RECORDABLE_OUTCOMES.map(
            (outcome) =>
              html`<button type="button" data-outcome=${outcome} class=${outcome === 'reached' || RETRY_OUTCOMES.includes(outcome) ? '' : 'closing'} ?disabled=${this.busy} @click=${() => this.handleOutcome(outcome)} aria-keyshortcuts=${OUTCOME_KEYS[outcome]}>
                <kbd>${OUTCOME_KEYS[outcome]}</kbd>${t(`outcome_${outcome}`)}
              </button>`,
          )}
        </div>
      </fieldset>
      <div class="actions"><button type="button" class="secondary" @click=${this.handleRelease} ?disabled=${this.busy}>${t('release')}</button></div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-callback-view': PermanenceCallbackView;
  }
}
