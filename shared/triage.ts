/** Flags a callback reason that reads as a life-threatening emergency, so the patient is shown 15 / 112 / 3114 at once. */

/**
 * The rules, one string each to stay small in the widget bundle.
 * `;` separates phrases; in a phrase, spaces separate terms that must appear in order with at most
 * {@link GAP} other words between them; `|` separates alternatives; a trailing `*` matches a prefix.
 * Words are written as the normaliser leaves them: lower case, no accents, "can't" as "can not".
 * docs/triage.md explains each choice; test/shared/triage.test.ts holds the phrases it must and must not catch.
 */
const RULES: Record<string, string> = {
  chest_pain:
    'douleur*|mal|serre*|oppress*|poids|pain*|tight* poitrine|thorac*|chest;poitrine|thorax|chest doulour*|serre*|oppress*|pain*|tight*|pressure|hurt*;' +
    'infarctus;crise|arret|heart|cardiac cardiaque|attack|arrest',
  breathing:
    'arriv*|peu*|parvien* pas|plus respir*;ne respir* pas|plus;du mal respir*;respir* mal;peine|difficult*|gene|detresse|trouble|hard|struggl* respir*|breath*;etouf*;suffoqu*;manque air;' +
    'cant|cannot|unable|not breath*;short* breath;chok*;gasping',
  stroke:
    'avc;accident vasculaire;stroke;paralys*;visage|bouche|levre|face|mouth tomb*|travers|affaiss*|deform*|deviee|droop*;droop* face|mouth;' +
    'engourdi*|faiblesse|numb*|weak* bras|jambe|visage|arm|leg|face|side;bras|jambe|arm|leg engourdi*|faible|numb*|weak*;' +
    'peu*|arriv* plus parler|articuler;sen*|bouge* pas|plus bras|jambe|visage;not feel|move arm|leg|face;difficult*|trouble parler|parole|speak*|talk*;slurr*;sudden* speak*|talk*',
  bleeding:
    'saign*|bleed* beaucoup|abond*|enorm*|fort|partout|heavily|lot|badly|stop;saign* arret* pas;saign* sans arret;arret* pas saign*;pas|not stop*|arret* saign*|bleed*;' +
    'hemorrhag*;beaucoup|plein|flot|pisse|lot sang|blood;heavy|severe|massive|uncontrolled bleed*;sang|blood partout|everywhere;vomi*|crach*|cough* sang|blood',
  unconscious:
    'perte|perd*|sans|lost|loss connaissance|conscience|consciousness;inconscient*|unconscious|unresponsive;evanoui*;se reveille pas|plus;' +
    'fait|fais|faire malaise;effondr*|collaps*;pass* out;fainted|fainting;wont|not|cant wake*',
  suicide:
    'suicid*;idees noires;envie|veu*|voudr*|want mourir|die|disparaitre;me|se tuer;en finir;fin mes|ses jours;foutre air;plus|pas envie vivre;me|se faire mal;' +
    'kill|hurt myself|himself|herself;end* my|his|her|it life|all;self harm*;better off dead;no reason live',
  anaphylaxis:
    'anaphyla*;quincke;gorge|langue|levre*|visage|throat|tongue|lips|face gonfl*|enfl*|ferm*|swell*|swollen|closing;' +
    'gonfl*|enfl*|oedem*|swell*|swollen gorge|langue|levre*|visage|throat|tongue|lips;reaction|allergi* grave*|severe|violent*;severe|serious allerg*',
  seizure: 'convuls*;crise epilep*;seizure*',
  poisoning:
    'overdose*;surdose;empoisonn*|poisoned;monoxyde;intox* medic*|gaz;pris|avale*|took|taken|swallowed trop|too medic*|cachet*|comprime*|pilule*|many|much;' +
    'avale*|swallowed|bu|drank medic*|cachet*|comprime*|javel|produit|pile|boite|pills|tablets|bleach|battery',
  burns: 'brul*|burn* grave*|profond*|etendu*|3e|badly|severely;grave*|severe|serious|bad|major|deep|third|badly|grand burn*|brul*;ebouillant*;brul*|eau bouillant*;scalded|scalding',
};

/** Rules that still fire after a negation: anyone who writes about suicide should see 3114, whatever the phrasing. */
const NEVER_NEGATED = 'suicide';
/** Words a phrase may skip between two of its terms ("mal **à la** poitrine"). */
const GAP = 4;
/** How far back, within the clause, a negation word cancels a phrase ("**pas de** douleur thoracique"). */
const NEGATION_WINDOW = 3;
// No "jamais"/"never": "jamais eu aussi mal à la poitrine" and "never had chest pain before" are alarms, not denials.
// Nor "dont": in French it means "of which"; the English "don't" arrives as "don not".
const NEGATIONS = /^(pas|sans|aucune?|ni|non?|not|without)$/;
/** A clause boundary: punctuation, or "mais"/"but" that turn the sentence around ("pas de fièvre **mais** douleur thoracique"). */
const BREAK = '|';

/** Doubled letters squeezed in rules and text alike ("doulleur" → "douleur"), so that typo costs nothing. */
const squeeze = (text: string) => text.replace(/(.)\1+/g, '$1');

/** Lower case, no accents, clause boundaries kept as {@link BREAK} tokens; "can't" reads "can not" (squeezed from "cann not"). */
function tokenize(text: string): string[] {
  const plain = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/n['’]t\b/g, 'n not')
    .replace(/[.,;:!?()\n]+|\b(mais|but)\b/g, ` ${BREAK} `)
    .replace(/[^a-z0-9|]+/g, ' ')
    // French that looks like a denial and is not ("pas mal de douleurs" is a lot of pain, "de plus en plus" is more
    // and more), and "plus de" that is one ("je n'ai plus de douleur").
    .replace(/\bpas mal d/g, 'beaucoup d')
    .replace(/\bde plus en plus\b/g, 'encore')
    .replace(/\bplus (de?)\b/g, 'aucun $1');
  return squeeze(plain).split(' ').filter(Boolean);
}

/** rule id → phrases → terms → alternatives, each alternative a word with its `*` still on when it is a prefix. */
const RULE_PHRASES = Object.entries(RULES).map(
  ([id, source]) => [id, squeeze(source).split(';').map((phrase) => phrase.split(' ').map((term) => term.split('|')))] as const,
);

/** At most one edit (insert, delete, substitute, swap two neighbours) apart. */
function withinOneEdit(a: string, b: string): boolean {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  // From the first difference on: substitution, b has one extra letter, a has one, or two letters swapped.
  [a, b] = [a.slice(i), b.slice(i)];
  return a.slice(1) === b.slice(1) || a === b.slice(1) || a.slice(1) === b || (a[0] === b[1] && a[1] === b[0] && a.slice(2) === b.slice(2));
}

/**
 * Short words must match exactly ("mal" is not "mai"); from five letters one typo is forgiven, but never on
 * the first letter, which keeps "mourir" from matching "nourrir" and "fainted" from matching "painted"
 * (and, checked first, skips most pairs at once: this runs on every keystroke).
 */
function matches(token: string, alternative: string): boolean {
  if (token[0] !== alternative[0]) return false;
  const prefix = alternative.endsWith('*');
  const word = prefix ? alternative.slice(0, -1) : alternative;
  if (prefix ? token.startsWith(word) : token === word) return true;
  // A prefix wants at least its own length, or "fait" would be one letter short of "faint*".
  if (word.length < 5 || token.length < word.length - (prefix ? 0 : 1)) return false;
  if (!prefix) return token.length <= word.length + 1 && withinOneEdit(token, word);
  const n = word.length;
  return [n - 1, n, n + 1].some((len) => withinOneEdit(token.slice(0, len), word));
}

/** Whether the phrase's terms from `term` on match from token `at`, each after at most {@link GAP} skipped words. */
function matchFrom(tokens: string[], phrase: string[][], term: number, at: number): boolean {
  if (term === phrase.length) return true;
  const last = term ? at + GAP : at;
  for (let i = at; i <= last && i < tokens.length && tokens[i] !== BREAK; i++) {
    for (const alternative of phrase[term]!) {
      if (matches(tokens[i]!, alternative)) {
        if (matchFrom(tokens, phrase, term + 1, i + 1)) return true;
        break;
      }
    }
  }
  return false;
}

/** "pas de douleur thoracique": a negation shortly before the phrase, in the same clause, cancels it. */
function negated(tokens: string[], start: number): boolean {
  for (let i = start - 1; i >= start - NEGATION_WINDOW && i >= 0 && tokens[i] !== BREAK; i--) {
    if (NEGATIONS.test(tokens[i]!)) return true;
  }
  return false;
}

/**
 * Reads a free-text reason in French or English and says whether it looks like a life-threatening emergency.
 * A safety net that shows emergency numbers, not a diagnosis: false positives are accepted, false negatives possible.
 * `matched` holds rule ids such as `chest_pain`, never the patient's words, so it can be logged.
 */
export function triage(text: string): { redFlag: boolean; matched: string[] } {
  const tokens = tokenize(text);
  const matched = RULE_PHRASES.filter(([id, phrases]) =>
    phrases.some((phrase) =>
      tokens.some((_, start) => matchFrom(tokens, phrase, 0, start) && (id === NEVER_NEGATED || !negated(tokens, start))),
    ),
  ).map(([id]) => id);
  return { redFlag: matched.length > 0, matched };
}
