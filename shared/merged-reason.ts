/**
 * A request's reason as stored: the patient's first text, then each repeat merged into it under a stamped line,
 * read back as dated entries. The stored text stays one string, so the API's `reason` and older rows keep their shape.
 */
import { zonedDateTime, zonedInstants } from './hours.js';

/** One text the patient sent, and when it arrived. */
export interface ReasonEntry {
  /** ISO instant; null when an older stamp names no single instant (the hour an autumn night repeats). */
  at: string | null;
  /** Only with `at` null: the stamp as written (`2026-10-25 02:30 Europe/Paris`), the practice's wall clock. */
  stamp?: string;
  text: string;
}

/**
 * The stamp between two texts, in three spellings that all stay readable: what intake writes now, the practice's
 * wall clock with its offset and zone (`2026-11-30 18:55 +01:00 Europe/Paris`: an exact instant, and the time the
 * practice read); what it wrote before, without the offset (`2026-11-30 18:55 Europe/Paris`); and the UTC instant
 * the one-open-request migration wrote (`2026-11-30T17:55:00.000Z`). Nothing looser, so a patient's own line of
 * dashes stays part of their text.
 */
const STAMP = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z|\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?: [+-]\d{2}:\d{2})? [A-Za-z][\w+\-/]*`;
const SEPARATOR = new RegExp(String.raw`\n\n--- (${STAMP}) ---\n`);

const two = (n: number) => String(n).padStart(2, '0');

/** The text to append for a repeat that arrived at `at`, stamped on the practice's clock (`timeZone`). */
export function repeatBlock(added: string, at: Date, timeZone: string): string {
  const local = zonedDateTime(at, timeZone);
  const offset = Math.round((Date.parse(`${local}Z`) - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return `\n\n--- ${local.replace('T', ' ')} ${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)} ${timeZone} ---\n${added}`;
}

/** The instant a stamp names, or null when it names none or two. */
function stampInstant(stamp: string): string | null {
  const exact = (iso: string) => (Number.isNaN(Date.parse(iso)) ? null : new Date(iso).toISOString());
  if (stamp.endsWith('Z')) return exact(stamp);
  const [date, time, ...rest] = stamp.split(' ');
  const zone = rest.at(-1)!;
  if (rest.length === 2) return exact(`${date}T${time}:00${rest[0]}`);
  try {
    const instants = zonedInstants(`${date}T${time}`, zone);
    return instants.length === 1 ? instants[0]!.toISOString() : null;
  } catch {
    // A zone this runtime does not know.
    return null;
  }
}

/** The texts of a stored reason, first to last, without their stamps. */
export function reasonTexts(stored: string): string[] {
  return reasonEntries(stored, null).map((e) => e.text);
}

/** A stored reason as dated entries: the first arrived with the request (`createdAt`), each later one at its stamp. */
export function reasonEntries(stored: string, createdAt: string | null): ReasonEntry[] {
  const parts = stored.split(SEPARATOR);
  const entries: ReasonEntry[] = [{ at: createdAt, text: parts[0]! }];
  for (let i = 1; i < parts.length; i += 2) {
    const stamp = parts[i]!;
    const at = stampInstant(stamp);
    entries.push(at ? { at, text: parts[i + 1]! } : { at: null, stamp, text: parts[i + 1]! });
  }
  return entries;
}
