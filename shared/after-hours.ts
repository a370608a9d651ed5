/**
 * Says whether a callback reason reads as needing a doctor tonight rather than at the practice's reopening: a fever in
 * a young child, a pain getting worse. Not an emergency (shared/triage.ts catches those, for 15 / 112): while the
 * practice is closed, the widget then puts the after-hours guidance (the on-call doctor, 116 117) beside the reason.
 * Kept to two pairs of word lists because it ships in the widget; a false alarm only shows a phone number.
 */

/** Lower case, no accents: "Fièvre" and "fievre" read the same. */
const plain = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Each rule: both expressions must match somewhere in the reason. */
const RULES: readonly (readonly [RegExp, RegExp])[] = [
  // A fever (or a temperature written as one) in a baby or a child.
  [/fievre|temperature|\bfever|\b(?:39|40|41)(?:[.,]\d)? ?(?:°|c\b|degre)/, /\b(?:bebes?|nourrissons?|enfants?|fils|filles?|petite?s?|\d+ ?mois|bab(?:y|ies)|child(?:ren)?|infants?|toddlers?|kids?|sons?|daughters?)\b/],
  // A pain that gets worse.
  [/douleur|\bmal\b|\bpain|\bhurt|\bache/, /augment|empire|aggrav|de plus en plus|pire|insupportable|worse|unbearable/],
];

export function needsDoctorTonight(reason: string): boolean {
  const text = plain(reason);
  return RULES.some(([a, b]) => a.test(text) && b.test(text));
}
