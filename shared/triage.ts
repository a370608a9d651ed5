/** Flags a callback reason that reads as a life-threatening emergency, so the patient is shown 15 / 112 / 3114 at once. */

/**
 * The rules, one string each to stay small in the widget bundle.
 * `;` separates phrases; in a phrase, spaces separate terms that must appear in order with at most
 * {@link GAP} other words between them; `|` separates alternatives; a trailing `*` matches a prefix.
 * Words are written as the normaliser leaves them: lower case, no accents, "can't" as "can not".
 * docs/triage.md explains each choice; test/shared/triage.test.ts holds the phrases it must and must not catch, and
 * test/shared/triage-set.ts the labelled reasons its recall and false alarms are measured on.
 */
const RULES: Record<string, string> = {
  chest_pain:
    'douleur*|mal|serre*|oppress*|poids|pain*|tight* poitrine|thorac*|chest;poitrine|thorax|chest doulour*|serre*|oppress*|pain*|tight*|pressure|hurt*;' +
    'infarctus;crise|arret|heart|cardiac cardiaque|attack|arrest;pressure in|on chest',
  breathing:
    'arriv*|peu*|parvien* pas|plus respir*|souffle;ne|il|elle respir* pas|plus;respir* vite;du mal respir*;respir* mal;peine|difficult*|gene|detresse|trouble|hard|struggl* respir*|breath*;etoufe*;suffoqu*;manque air;' +
    'cant|cannot|unable|not breath*;short* breath;chok*;gasping;crise|attack|attaqu* asthm*;asthm* attack*;ventolin*|inhal*|pompe marche|fait pas|plus|rien;inhal* not work*|help*;' +
    'lips|levre*|devien*|going|turning bleu*|blue',
  stroke:
    'avc;accident vasculaire;stroke;paralys*;visage|bouche|levre|face|mouth tomb*|travers|affaiss*|deform*|deviee|droop*|tordu*|lopsided|crooked;droop* face|mouth;' +
    'engourdi*|faiblesse|numb*|weak* bras|jambe|visage|arm|leg|face|side;bras|jambe|arm|leg engourdi*|faible|numb*|weak*;aucun|pas|perd*|lost|no force|strength bras|jambe|arm|leg;' +
    'peu*|arriv* plus parler|articuler;sen*|bouge* pas|plus bras|jambe|visage;not feel|move arm|leg|face;' +
    'difficult*|trouble parler|parole|speak*|talk*;slurr*;sudden* speak*|talk*;parl*|talk*|dit bizar*|funny|weird|strange*|drole*|importe;melang*|trouv*|find* mots|words',
  bleeding:
    'saign*|bleed*|blood beaucoup|abond*|enorm*|fort|partout|heavily|lot|badly|stop|pour*|gush*;saign* arret* pas;saign* sans arret;arret* pas saign*;pas|not stop*|arret* saign*|bleed*;' +
    'hemorrhag*;beaucoup|plein|flot|pisse|lot sang|blood;perte|perd* sang important*;heavy|severe|massive|uncontrolled bleed*;sang|blood partout|everywhere;vomi*|crach*|cough* sang|blood',
  unconscious:
    'perte|perd*|sans|lost|loss connaissance|conscience|consciousness;inconscien*|unconscious|unresponsive;evanoui*;se reveille pas|plus;' +
    'fait|fais|faire|gros malaise;effondr*|collaps*;pass*|black* out;faint*;wont|not|cant wake*|respond*;il|elle|visage|bras|jambe repond|reagi*|bouge pas|plus;reagi* pas|plus;ne bouge plus;tomb* pommes;tout|toute mou|mole|floppy',
  suicide:
    'suicid*;idees noires;envie|veu*|voudr*|want*|parl*|pens*|talk*|wish* mourir|die|disparaitre;me|se tuer;en finir;fin mes|ses jours;foutre air;plus|pas|rien vivre|exister;me|se faire mal;' +
    'kill*|hurt myself|himself|herself;end* my|his|her|it life|all;want|going|gonna end it;self harm*;better|mieux off|sans|without me|moi|dead;no|not|see point|reason live|living|life;' +
    'me|se jet*|pend*;saut*|jump* pont|fenetre|bridge|window;scarifi*|mutil*;taillad*|ouvr*|slit* veine*|poignet*|wrist*;adieu;que tout arret*;want everything|all stop*|end*;be here|around anymore',
  anaphylaxis:
    'anaphyla*;quincke;gorge|langue|levre*|visage|bouche|throat|tongue|lips|face|mouth gonfl*|enfl*|ferm*|swell*|swollen|closing|serre*|tight*;' +
    'gonfl*|enfl*|oedem*|swell*|swollen gorge|langue|levre*|visage|throat|tongue|lips;reaction|allergi* grave*|severe|violent*;severe|serious allerg*;allergi* avaler|swallow*;used|utilis*|fait epipen|anapen',
  seizure: 'convuls*;crise epilep*|bav*;seizure*;revuls*;having|had fit;is|keeps fitting',
  poisoning:
    'overdose*;surdose;empoisonn*|poisoned;monoxyde;intox* medic*|gaz;pris|avale*|took|taken|swallowed trop|too medic*|cachet*|comprime*|pilule*|many|much;' +
    'avale*|swallowed|bu|drank medic*|cachet*|comprime*|javel|produit|pile|boite|pills|tablets|bleach|battery;pris|took tout*|whole boite|plaquette|bottle|box',
  burns: 'brul*|burn* grave*|profond*|etendu*|3e|badly|severely|cloq*|blister*;grave*|severe|serious|bad|major|deep|third|badly|grand burn*|brul*;ebouillant*;brul*|eau bouillant*;scald*',
};

/** Rules that still fire after a negation: anyone who writes about suicide should see 3114, whatever the phrasing. */
const NEVER_NEGATED = 'suicide';
/** Words a phrase may skip between two of its terms ("mal **à la** poitrine"). */
const GAP = 4;
/** How far back, within the clause, a negation word cancels a phrase ("**pas de** douleur thoracique"). */
const NEGATION_WINDOW = 3;
// No "jamais"/"never": "jamais eu aussi mal à la poitrine" and "never had chest pain before" are alarms, not denials.
// Nor "dont": in French it means "of which"; the English "don't" arrives as "don not".
// The past marker {@link PAST} counts too: "l'an dernier j'ai fait un malaise" is history, not tonight.
const NEGATIONS = /^(pas|sans|aucune?|ni|non?|not|without|_)$/;
/** A dated past event ("il y a 2 ans", "l'an dernier", "last year", "weeks ago"), read as one token, `_`. */
const PAST = /\b(y a( \w+){1,3} (ans?|mois|semaines?)|(an|annee|mois|semaine) derniere?|last (year|month|week)|(year|month|week)s? ago)\b/g;
/** How far after a phrase's first word a past marker dates it ("crise d'épilepsie **l'an dernier**"). */
const PAST_WINDOW = 6;
/** SMS French glues an elided article or pronoun to its word ("jarrive", "dasthme", "sest"): the word is tried without it. */
const ELISION = /^[djlmns][aeiou]\w\w/;
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
    .replace(PAST, ' _ ')
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

/**
 * The phrases a word can start, by the first letter of their first term: a word is only tried against those, under its
 * own first letter and, for an elided article ("jarrive"), its second. Each entry is [rule index, phrase].
 */
const BY_FIRST_LETTER = new Map<string, [number, string[][]][]>();
RULE_PHRASES.forEach(([, phrases], rule) => {
  for (const phrase of phrases) {
    for (const letter of new Set(phrase[0]!.map((alternative) => alternative[0]!))) {
      BY_FIRST_LETTER.set(letter, [...(BY_FIRST_LETTER.get(letter) ?? []), [rule, phrase]]);
    }
  }
});

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
      const token = tokens[i]!;
      // The second letter compared first: this runs for every word, phrase and keystroke.
      if (matches(token, alternative) || (token[1] === alternative[0] && ELISION.test(token) && matches(token.slice(1), alternative))) {
        if (matchFrom(tokens, phrase, term + 1, i + 1)) return true;
        break;
      }
    }
  }
  return false;
}

/**
 * "pas de douleur thoracique": a negation shortly before the phrase, in the same clause, cancels it;
 * so does a past marker shortly after it ("malaise il y a 3 semaines").
 */
function negated(tokens: string[], start: number): boolean {
  for (let i = start - 1; i >= start - NEGATION_WINDOW && i >= 0 && tokens[i] !== BREAK; i--) {
    if (NEGATIONS.test(tokens[i]!)) return true;
  }
  for (let i = start + 1; i < start + PAST_WINDOW && i < tokens.length && tokens[i] !== BREAK; i++) {
    if (tokens[i] === '_') return true;
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
  const found = new Set<number>();
  tokens.forEach((token, start) => {
    for (const letter of new Set([token[0], token[1]])) {
      for (const [rule, phrase] of BY_FIRST_LETTER.get(letter!) ?? []) {
        if (found.has(rule) || !matchFrom(tokens, phrase, 0, start)) continue;
        if (RULE_PHRASES[rule]![0] === NEVER_NEGATED || !negated(tokens, start)) found.add(rule);
      }
    }
  });
  // In the rules' order, whatever the order of the words.
  const matched = RULE_PHRASES.filter((_, rule) => found.has(rule)).map(([id]) => id);
  return { redFlag: matched.length > 0, matched };
}
