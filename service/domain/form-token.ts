/**
 * The widget's form token: signed and time-stamped when the widget loads its config,
 * sent back with the form. A form sent back under 3 seconds was not filled in by a person.
 */
import type { Sealer } from '../crypto.js';
import { MIN_FILL_MS } from '../../shared/callback.js';

const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function issueFormToken(sealer: Sealer, practice: string, now: Date): string {
  const payload = `${practice}.${now.getTime().toString(36)}`;
  return `${payload}.${sealer.sign('form', payload)}`;
}

/**
 * `bot` for a forged token; `fast` for a genuine one sent back under 3 seconds (a bot, or a person whose
 * browser filled the form: intake still queues an emergency sent that fast); `stale` for an old one (then
 * treated as absent).
 */
export function checkFormToken(sealer: Sealer, token: string, practice: string, now: Date): 'ok' | 'fast' | 'bot' | 'stale' {
  const parts = token.split('.');
  if (parts.length !== 3) return 'bot';
  const [slug, issued, signature] = parts as [string, string, string];
  if (slug !== practice || !sealer.verify('form', `${slug}.${issued}`, signature)) return 'bot';
  const age = now.getTime() - parseInt(issued, 36);
  if (age < MIN_FILL_MS) return 'fast';
  return age > MAX_AGE_MS ? 'stale' : 'ok';
}
