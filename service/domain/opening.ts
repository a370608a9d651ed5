/** Whether a practice is open and when that changes, worked out once per change: intake and the widget's config ask at every request. */
import { isOpen, nextClosing, nextOpening, type Hours } from '../../shared/hours.js';

export interface OpeningState {
  open: boolean;
  /** When `open` flips next; null when it never does within the search horizon. */
  nextChange: Date | null;
}

/** Remembered per hours object (the store hands out one per saved record) for the span in which it holds. */
const known = new WeakMap<Hours, OpeningState & { from: number; until: number }>();

export function openingState(hours: Hours, now: Date): OpeningState {
  const t = now.getTime();
  const cached = known.get(hours);
  if (cached && cached.from <= t && t < cached.until) return cached;
  const open = isOpen(hours, now);
  const nextChange = open ? nextClosing(hours, now) : nextOpening(hours, now);
  const state = { open, nextChange, from: t, until: nextChange?.getTime() ?? Infinity };
  known.set(hours, state);
  return state;
}
