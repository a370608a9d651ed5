/** The console's keyboard shortcuts: which keys do what, and when a key belongs to a text field rather than to them. */
import type { ConsoleMessageKey } from '../shared/messages/console.js';
import type { RecordableOutcome } from '../shared/callback.js';

/** A key pressed in a field, a select or a button's own activation is that element's, not a shortcut. */
export function typingIn(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.matches('input:not([type=checkbox]):not([type=radio]), textarea, select') || (event.key === 'Enter' && target.matches('button, a, summary'));
}

/** The digit that records each outcome on the request page, shown on its button. */
export const OUTCOME_KEYS: Readonly<Record<RecordableOutcome, string>> = {
  reached: '1',
  no_answer: '2',
  voicemail: '3',
  wrong_number: '4',
  spam: '5',
  duplicate: '6',
  cancelled: '7',
};

/** Every shortcut, as the help panel lists them. */
export const SHORTCUTS: readonly { keys: readonly string[]; what: ConsoleMessageKey }[] = [
  { keys: ['j', 'k', '↓', '↑'], what: 'key_move' },
  { keys: ['Enter'], what: 'key_open' },
  { keys: ['/'], what: 'key_search' },
  { keys: ['c'], what: 'key_claim' },
  { keys: ['p'], what: 'key_call' },
  { keys: ['1', '2', '3', '4', '5', '6', '7'], what: 'key_outcome' },
  { keys: ['n'], what: 'key_next' },
  { keys: ['u'], what: 'key_undo' },
  { keys: ['q'], what: 'key_queue' },
  { keys: ['?'], what: 'key_help' },
  { keys: ['Escape'], what: 'key_escape' },
];
