/** The console's alarm: a short sound and a desktop notification when a request arrives, repeated for a red flag until someone takes it. */
import type { Lang } from '../shared/i18n.js';
import type { Urgency } from '../shared/callback.js';
import { consoleText, type ConsoleMessageKey } from '../shared/messages/console.js';

/** What the operator chose; both on until turned off. */
export interface AlertSettings {
  sound: boolean;
  notifications: boolean;
}

/** A request as an alert may speak of it: never its reason nor the patient's name, since a notification can show on a locked screen. */
export interface AlertRequest {
  ref: string;
  practiceName: string;
  redFlag: boolean;
  /** Unknown when the request was not among the rows read (a queue longer than one page). */
  urgency: Urgency | undefined;
}

const SETTINGS_KEY = 'permanence-console-alerts';

/**
 * A red flag nobody took is announced again this often. Under the 30 s of silence after which Chrome stops
 * running a hidden page's timers more than once a minute, so with the sound on it keeps its rhythm in a background tab.
 */
export const RED_FLAG_REPEAT_MS = 20_000;

/** Two short beeps for a request, four higher ones for a red flag. */
const TUNES = { request: [660, 880], redFlag: [988, 784, 988, 784] } as const;
const BEEP_S = 0.13;
const GAP_S = 0.05;
const VOLUME = 0.25;

function loadSettings(): AlertSettings {
  const settings: AlertSettings = { sound: true, notifications: true };
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') as Partial<AlertSettings>;
    if (typeof saved.sound === 'boolean') settings.sound = saved.sound;
    if (typeof saved.notifications === 'boolean') settings.notifications = saved.notifications;
  } catch {
    // Storage refused or a value from elsewhere: the defaults.
  }
  return settings;
}

/**
 * The alerting of one console page. The app tells it what arrived (`arrived`) and which red flags wait unclaimed
 * (`keepAlerting`); it plays the sound, shows the notification and hands the sentence for screen readers to `onAnnounce`.
 * Browsers allow sound only after a user gesture and ask for the notification permission only from one: `enable()` is
 * called from the "Turn on alerts" button, and any click or key in the page unlocks the sound too.
 *
 * @fires change - when the settings, the permission or the sound's readiness change
 */
export class ConsoleAlerts extends EventTarget {
  language: Lang = 'fr';
  /** The sentence for the page's live region. */
  onAnnounce: (text: string) => void = () => {};
  /** A notification was clicked: the request should be opened. */
  onOpen: (ref: string) => void = () => {};

  private current: AlertSettings = loadSettings();
  private audio: AudioContext | undefined;
  /** The red flags waiting, each with its repeating timer. */
  private readonly repeating = new Map<string, { request: AlertRequest; timer: ReturnType<typeof setInterval> }>();
  /** The notification on screen for each red flag, closed once it is taken. */
  private readonly shown = new Map<string, Notification>();
  private readonly handleGesture = () => this.unlockAudio();

  get settings(): Readonly<AlertSettings> {
    return this.current;
  }

  /** `unsupported` where the browser has no notifications (or the page is not a secure context). */
  get permission(): NotificationPermission | 'unsupported' {
    return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
  }

  /** The sound is on but the browser will not play it until the user does something in the page. */
  get soundLocked(): boolean {
    if (!this.current.sound || typeof AudioContext === 'undefined' || this.audio?.state === 'running') return false;
    // A gesture made earlier in the page (the sign-in) lets Chrome and Firefox start the sound later.
    return !navigator.userActivation?.hasBeenActive;
  }

  /** Something only a click can turn on: the permission not asked yet, or the sound not unlocked. */
  get needsGesture(): boolean {
    return this.permission === 'default' || this.soundLocked;
  }

  /** Starts listening for the first gesture; the app calls it once signed in. */
  start(): void {
    window.addEventListener('pointerdown', this.handleGesture, { capture: true, passive: true });
    window.addEventListener('keydown', this.handleGesture, { capture: true, passive: true });
    // Allowed or blocked later in the browser's site settings: the switches follow.
    void navigator.permissions
      ?.query({ name: 'notifications' })
      .then((status) => (status.onchange = () => this.changed()))
      .catch(() => {});
  }

  /** Signed out: nothing repeats, nothing stays on screen. */
  stop(): void {
    window.removeEventListener('pointerdown', this.handleGesture, { capture: true });
    window.removeEventListener('keydown', this.handleGesture, { capture: true });
    this.keepAlerting([]);
    for (const notification of this.shown.values()) notification.close();
    this.shown.clear();
  }

  /** From the "Turn on alerts" click: unlocks the sound, asks for the permission, and lets the operator hear the sound once. */
  async enable(): Promise<void> {
    this.unlockAudio();
    if (this.permission === 'default') await Notification.requestPermission();
    void this.playSound('request');
    this.changed();
  }

  setSetting(key: keyof AlertSettings, on: boolean): void {
    this.current = { ...this.current, [key]: on };
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(this.current));
    } catch {
      // Not remembered, still applied.
    }
    if (key === 'sound' && on) this.unlockAudio();
    this.changed();
  }

  /** A request has just arrived: one sound and one notification; a red flag then keeps alerting until `keepAlerting` no longer lists it. */
  arrived(request: AlertRequest): void {
    this.alert(request, 'new');
    if (request.redFlag && !this.repeating.has(request.ref)) this.repeat(request);
  }

  /**
   * The red flags nobody has taken, as the queue says now. One new to the list (released, or turned into a red flag by a
   * repeat request) is announced at once; one gone from it (claimed by anyone, or closed) stops, and its notification closes.
   */
  keepAlerting(waiting: AlertRequest[]): void {
    const refs = new Set(waiting.map((request) => request.ref));
    for (const [ref, { timer }] of this.repeating) {
      if (refs.has(ref)) continue;
      clearInterval(timer);
      this.repeating.delete(ref);
      this.shown.get(ref)?.close();
      this.shown.delete(ref);
    }
    for (const request of waiting) {
      const entry = this.repeating.get(request.ref);
      if (entry) {
        entry.request = request;
        continue;
      }
      this.alert(request, 'waiting');
      this.repeat(request);
    }
  }

  private repeat(request: AlertRequest): void {
    const timer = setInterval(() => {
      const entry = this.repeating.get(request.ref);
      if (entry) this.alert(entry.request, 'waiting');
    }, RED_FLAG_REPEAT_MS);
    this.repeating.set(request.ref, { request, timer });
  }

  private alert(request: AlertRequest, moment: 'new' | 'waiting'): void {
    const t = (key: ConsoleMessageKey, vars?: Record<string, string>) => consoleText(this.language, key, vars);
    const vars = { ref: request.ref, practice: request.practiceName };
    this.onAnnounce(
      request.redFlag ? t(moment === 'new' ? 'announceNewRedFlag' : 'announceWaitingRedFlag', vars) : t('announceNew', vars),
    );
    void this.playSound(request.redFlag ? 'redFlag' : 'request');
    const urgency = request.redFlag ? t('alertRedFlag') : request.urgency ? t(`urgency_${request.urgency}`) : undefined;
    this.notify(
      request,
      t(request.redFlag ? (moment === 'new' ? 'alertNewRedFlag' : 'alertWaitingRedFlag') : 'alertNew'),
      urgency ? t('alertBody', { practice: request.practiceName, urgency }) : request.practiceName,
    );
  }

  /** Only when the operator is looking elsewhere: in front of the console, the sound and the row are enough. */
  private notify(request: AlertRequest, title: string, body: string): void {
    if (!this.current.notifications || this.permission !== 'granted') return;
    if (document.visibilityState === 'visible' && document.hasFocus()) return;
    // One notification per request: a repeat replaces the last one and, with `renotify`, sounds again.
    const options: NotificationOptions & { renotify?: boolean } = {
      body,
      lang: this.language,
      tag: `permanence-${request.ref}`,
      renotify: true,
      requireInteraction: request.redFlag,
    };
    let notification: Notification;
    try {
      notification = new Notification(title, options);
    } catch {
      // Android's Chrome only shows notifications through a service worker: the sound and the title have to do.
      return;
    }
    notification.onclick = () => {
      window.focus();
      this.onOpen(request.ref);
      notification.close();
    };
    if (request.redFlag) this.shown.set(request.ref, notification);
  }

  /** Within a gesture only: the one moment every browser lets a page start its sound. */
  private unlockAudio(): void {
    if (!this.current.sound || typeof AudioContext === 'undefined') return;
    if (this.audio?.state === 'running') return;
    this.audio ??= new AudioContext();
    void this.audio.resume().then(() => this.changed(), () => {});
    this.changed();
  }

  private async playSound(tune: keyof typeof TUNES): Promise<void> {
    if (!this.current.sound) return;
    let audio = this.audio;
    // Chrome and Firefox remember a gesture made earlier in the page; an unlocked context waits for none.
    if (audio?.state !== 'running') {
      if (typeof AudioContext === 'undefined' || !navigator.userActivation?.hasBeenActive) return;
      audio = this.audio ??= new AudioContext();
      await audio.resume().catch(() => {});
      if (audio.state !== 'running') return;
      this.changed();
    }
    let at = audio.currentTime + 0.02;
    for (const frequency of TUNES[tune]) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      // Ramped in and out: a tone cut dead clicks.
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(VOLUME, at + 0.01);
      gain.gain.setValueAtTime(VOLUME, at + BEEP_S - 0.02);
      gain.gain.linearRampToValueAtTime(0, at + BEEP_S);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + BEEP_S);
      at += BEEP_S + GAP_S;
    }
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
