/** The events `<permanence-widget>` fires on itself; all bubble and cross shadow roots so host pages can listen anywhere. */

export interface PermanenceReadyDetail {
  practice: string;
}
export interface PermanenceSubmittedDetail {
  ref: string;
}
export interface PermanenceErrorDetail {
  /** `unreachable`, `not_found`, `network`, `rate_limited`, `validation`, or the service's own error code. */
  code: string;
}

const init = { bubbles: true, composed: true } as const;

/** The practice's configuration arrived and the widget shows it. */
export class PermanenceReadyEvent extends CustomEvent<PermanenceReadyDetail> {
  constructor(detail: PermanenceReadyDetail) {
    super('permanence-ready', { ...init, detail });
  }
}

/** The service queued a callback request. */
export class PermanenceSubmittedEvent extends CustomEvent<PermanenceSubmittedDetail> {
  constructor(detail: PermanenceSubmittedDetail) {
    super('permanence-submitted', { ...init, detail });
  }
}

/** Something kept the patient from asking for a callback. */
export class PermanenceErrorEvent extends CustomEvent<PermanenceErrorDetail> {
  constructor(detail: PermanenceErrorDetail) {
    super('permanence-error', { ...init, detail });
  }
}

interface PermanenceEventMap {
  'permanence-ready': PermanenceReadyEvent;
  'permanence-submitted': PermanenceSubmittedEvent;
  'permanence-error': PermanenceErrorEvent;
}

declare global {
  interface HTMLElementEventMap extends PermanenceEventMap {}
  // They bubble out of the shadow root, so host pages may listen on the document.
  interface DocumentEventMap extends PermanenceEventMap {}
}
