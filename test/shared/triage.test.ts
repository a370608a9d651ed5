// What the emergency triage must catch, what it must leave alone, and how it reads negations.
import { describe, expect, it } from 'vitest';
import { triage } from '../../shared/triage.js';
import { EMERGENCY_NUMBERS, emergencyMessages, emergencyNumbersFor } from '../../shared/messages/emergency.js';
import { EMERGENCY_REASONS, scoreTriage } from './triage-set.js';

/** [what a patient might type, the rule that must fire]. Typos are deliberate. */
const EMERGENCIES: [string, string][] = [
  // chest pain / heart
  ['douleur poitrine', 'chest_pain'],
  ["J'ai mal à la poitrine depuis ce matin", 'chest_pain'],
  ['mal a la poitrine', 'chest_pain'],
  ['Douleur thoracique intense qui irradie dans le bras gauche', 'chest_pain'],
  ['doulleur thoracique', 'chest_pain'],
  ['douleur toracique', 'chest_pain'],
  ['DOULEUR DANS LA POITRINE', 'chest_pain'],
  ['poitrine serrée et sueurs', 'chest_pain'],
  ['oppression thoracique', 'chest_pain'],
  ["j'ai pas mal de douleurs à la poitrine", 'chest_pain'],
  ["j'ai de plus en plus mal à la poitrine", 'chest_pain'],
  ['mon père fait un infarctus', 'chest_pain'],
  ['une douleur très forte dans la poitrine qui part dans le bras', 'chest_pain'],
  ['de plus en plus de douleurs à la poitrine', 'chest_pain'],
  ['je crois que c’est une crise cardiaque', 'chest_pain'],
  ['chest pain', 'chest_pain'],
  ['Severe CHEST PAINS since an hour', 'chest_pain'],
  ['pain in my chest going to my jaw', 'chest_pain'],
  ['tightness in the chest', 'chest_pain'],
  ['chset pain', 'chest_pain'],
  ['I think I am having a heart attack', 'chest_pain'],
  ['never had chest pain like this before', 'chest_pain'],
  // breathing
  ["j'arrive pas a respirer", 'breathing'],
  ["je n'arrive plus à respirer", 'breathing'],
  ['je ne peux pas respirer', 'breathing'],
  ['mon fils ne respire plus', 'breathing'],
  ["j'ai du mal à respirer", 'breathing'],
  ['difficultés à respirer depuis cette nuit', 'breathing'],
  ['difficulté respiratoire', 'breathing'],
  ["j'étouffe", 'breathing'],
  ["je manque d'air", 'breathing'],
  ['je n’arrive pas à respier', 'breathing'],
  ['ma femme respire très mal, elle devient bleue', 'breathing'],
  ["can't breathe", 'breathing'],
  ['I cannot breathe properly', 'breathing'],
  ['I can not breath', 'breathing'],
  ['my baby is not breathing', 'breathing'],
  ['shortness of breath', 'breathing'],
  ['difficulty breathing', 'breathing'],
  ['she is choking', 'breathing'],
  ['cant brathe', 'breathing'],
  // stroke
  ['AVC ?', 'stroke'],
  ['ma mère a la bouche de travers', 'stroke'],
  ['bouche déviée', 'stroke'],
  ['il est sans connaissance', 'unconscious'],
  ['le visage qui tombe d’un côté', 'stroke'],
  ['bras engourdi et visage paralysé', 'stroke'],
  ['faiblesse du bras droit', 'stroke'],
  ['il ne peut plus parler', 'stroke'],
  ['il ne sent plus sa jambe', 'stroke'],
  ["I can't feel my left arm", 'stroke'],
  ['difficulté à parler depuis une heure', 'stroke'],
  ['I think my dad is having a stroke', 'stroke'],
  ['his face is drooping', 'stroke'],
  ['weakness in my left arm', 'stroke'],
  ['slurred speech', 'stroke'],
  ['suddenly cannot speak', 'stroke'],
  // bleeding
  ['je saigne beaucoup', 'bleeding'],
  ['saignement abondant qui ne s’arrête pas', 'bleeding'],
  ['ça ne s’arrête pas de saigner', 'bleeding'],
  ['hémorragie', 'bleeding'],
  ['hemoragie apres accouchement', 'bleeding'],
  ['il vomit du sang', 'bleeding'],
  ['beaucoup de sang', 'bleeding'],
  ['il pisse le sang', 'bleeding'],
  ['bleeding heavily from a cut', 'bleeding'],
  ['the bleeding will not stop', 'bleeding'],
  ['severe bleeding', 'bleeding'],
  ['coughing up blood', 'bleeding'],
  // loss of consciousness
  ['perte de connaissance', 'unconscious'],
  ['mon mari a perdu connaissance', 'unconscious'],
  ['elle est inconsciente', 'unconscious'],
  ["je me suis évanouie ce matin", 'unconscious'],
  ['il ne se réveille pas', 'unconscious'],
  ['ma grand-mère a fait un malaise', 'unconscious'],
  ['he passed out', 'unconscious'],
  ['she fainted twice', 'unconscious'],
  ['lost consciousness for a minute', 'unconscious'],
  ["I can't wake him up", 'unconscious'],
  ['unresponsive', 'unconscious'],
  // suicidal thoughts
  ['envie de mourir', 'suicide'],
  ['je veux me suicider', 'suicide'],
  ['idées suicidaires', 'suicide'],
  ['je pense à me tuer', 'suicide'],
  ["je veux en finir", 'suicide'],
  ["j'ai plus envie de vivre", 'suicide'],
  ['mettre fin à mes jours', 'suicide'],
  ['je veux me suisider', 'suicide'],
  ['idées noires, je veux disparaître', 'suicide'],
  ['I want to kill myself', 'suicide'],
  ['suicidal thoughts', 'suicide'],
  ['I want to die', 'suicide'],
  ['thinking of ending my life', 'suicide'],
  // severe allergic reaction
  ['choc anaphylactique', 'anaphylaxis'],
  ['œdème de Quincke', 'anaphylaxis'],
  ['la gorge qui gonfle après une piqûre de guêpe', 'anaphylaxis'],
  ['lèvres gonflées et langue enflée', 'anaphylaxis'],
  ['réaction allergique grave', 'anaphylaxis'],
  ['my throat is swelling', 'anaphylaxis'],
  ['swollen tongue after peanuts', 'anaphylaxis'],
  ['severe allergic reaction', 'anaphylaxis'],
  ['anaphylaxis', 'anaphylaxis'],
  // seizure
  ['il fait des convulsions', 'seizure'],
  ["crise d'épilepsie", 'seizure'],
  ['crise d epilepsi', 'seizure'],
  ['my son is having a seizure', 'seizure'],
  ['convulsing', 'seizure'],
  // overdose / poisoning
  ['overdose', 'poisoning'],
  ['mon fils a avalé des médicaments', 'poisoning'],
  ['elle a pris trop de cachets', 'poisoning'],
  ['intoxication au monoxyde de carbone', 'poisoning'],
  ['mon enfant a bu de la javel', 'poisoning'],
  ['j’ai avalé toute la boîte de Doliprane', 'poisoning'],
  ['took too many pills', 'poisoning'],
  ['swallowed bleach', 'poisoning'],
  ['I think he was poisoned', 'poisoning'],
  ['carbon monoxide alarm and headache', 'poisoning'],
  // severe burns
  ['brûlure grave à la main', 'burns'],
  ['brulé gravement au visage', 'burns'],
  ['mon bébé s’est ébouillanté', 'burns'],
  ['brûlé à l’eau bouillante sur tout le bras', 'burns'],
  ['severe burns on his arm', 'burns'],
  ['third degree burn', 'burns'],
  ['badly burned', 'burns'],
];

/** Everyday reasons a practice hears all day: none of them may raise the alarm. */
const EVERYDAY: string[] = [
  "renouvellement d'ordonnance",
  'Renouvellement ordonnance pilule',
  'certificat médical pour le sport',
  "résultats d'analyse",
  'résultats de prise de sang',
  'rendez-vous de suivi',
  'douleur au genou depuis 2 semaines',
  'mal de dos',
  "mal de gorge et fièvre",
  'mal au cœur depuis hier',
  'vaccin grippe',
  'arrêt de travail',
  'prolongation arrêt de travail',
  'brûlures d’estomac après les repas',
  'saignement de nez ce matin, arrêté depuis',
  'intoxication alimentaire, diarrhée',
  'bon de transport ambulance pour dialyse',
  'je ne peux pas parler au téléphone avant 18h, merci de me rappeler après',
  'question sur ma facture',
  'demande de radio du poumon',
  'mon enfant tousse depuis 3 jours',
  'entorse de la cheville',
  'rdv pour une échographie',
  'prescription de kiné',
  'renouveler mon traitement pour l’épilepsie',
  'repeat prescription',
  'sick note for work',
  'follow-up appointment',
  'blood test results',
  'back pain for a week',
  'knee pain after running',
  'flu vaccine',
  'food poisoning last week, better now',
  'I need a certificate for school',
  'can you call me back about my appointment',
  'sore throat',
  'I cannot come on Tuesday',
  'mal aux dents',
  "j'ai mal au dos et je respire bien",
  'je ne sens plus de douleur au bras depuis la kiné',
  "besoin d'une boîte de Doliprane",
  'il a avalé de travers',
  'règles abondantes',
  'saignement des gencives',
  'crise d’angoisse',
  'I can’t stop coughing',
  'chest x-ray results',
  'blood pressure check',
  "j'ai fait une prise de sang",
  'il a fait une chute hier, genou gonflé',
  'le visage devient rouge au soleil',
  'jambes lourdes le soir',
  'main engourdie la nuit',
  'douleur à l’épaule',
  'vivre avec une allergie au pollen',
];

/** Denials in the same clause cancel the phrase (suicide excepted, see the last test). */
const NEGATED: string[] = [
  'pas de douleur thoracique',
  "je n'ai pas mal à la poitrine",
  'aucune douleur thoracique, juste une toux',
  "je n'ai plus de douleur thoracique depuis hier",
  'sans difficulté à respirer',
  'fièvre mais pas de difficulté respiratoire',
  'no chest pain',
  "I don't have chest pain",
  'no difficulty breathing',
  'not bleeding heavily anymore',
  'without any loss of consciousness',
];

describe('triage', () => {
  it.each(EMERGENCIES)('flags %j as %s', (text, rule) => {
    const result = triage(text);
    expect(result.redFlag).toBe(true);
    expect(result.matched).toContain(rule);
  });

  it.each(EVERYDAY)('leaves %j alone', (text) => {
    expect(triage(text)).toEqual({ redFlag: false, matched: [] });
  });

  it.each(NEGATED)('does not fire on the denial %j', (text) => {
    expect(triage(text)).toEqual({ redFlag: false, matched: [] });
  });

  it('still fires when the negation belongs to another clause', () => {
    expect(triage('pas de fièvre, mais douleur thoracique').matched).toEqual(['chest_pain']);
    expect(triage('pas de fièvre et douleur thoracique').matched).toEqual(['chest_pain']);
    expect(triage("no fever. can't breathe").matched).toEqual(['breathing']);
    expect(triage('pas de douleur thoracique mais je ne peux plus respirer').matched).toEqual(['breathing']);
  });

  it('keeps a suicide mention flagged even when phrased as a denial', () => {
    expect(triage("je n'ai pas d'idées suicidaires en ce moment").matched).toEqual(['suicide']);
  });

  it('reports every rule that fired, by id only, never the patient’s words', () => {
    const result = triage('Douleur thoracique et je ne peux plus respirer, mon mari a perdu connaissance');
    expect(result.matched.sort()).toEqual(['breathing', 'chest_pain', 'unconscious']);
    expect(JSON.stringify(result)).not.toMatch(/douleur|respirer|mari/);
  });

  it('ignores case, accents, punctuation and curly apostrophes', () => {
    for (const text of ['DOULEUR THORACIQUE!!!', 'Douleur Thoracique', 'douleur thoracique.', 'douleur—thoracique', 'dôuleur thôracique'])
      expect(triage(text).matched, text).toEqual(['chest_pain']);
    expect(triage('I can’t breathe').matched).toEqual(['breathing']);
  });

  it('does not forgive a typo on a short word or on the first letter', () => {
    expect(triage('mai à la poitrine').redFlag).toBe(false);
    expect(triage('envie de nourrir mon chat').redFlag).toBe(false);
    expect(triage('I painted the kitchen').redFlag).toBe(false);
  });

  it('answers quickly on an empty reason and on a long one', () => {
    expect(triage('')).toEqual({ redFlag: false, matched: [] });
    const long = 'renouvellement ordonnance '.repeat(200) + 'douleur thoracique';
    const start = performance.now();
    expect(triage(long).matched).toEqual(['chest_pain']);
    expect(performance.now() - start).toBeLessThan(200);
  });
});

describe('triage on the labelled set (test/shared/triage-set.ts)', () => {
  const score = scoreTriage((text) => triage(text).redFlag);

  it('flags at least 95 % of the emergencies', () => {
    expect(score.recall, `missed:\n${score.misses.join('\n')}`).toBeGreaterThanOrEqual(0.95);
  });

  it('flags at most 1 % of the everyday reasons', () => {
    expect(score.falseAlarmRate, `false alarms:\n${score.falseAlarms.join('\n')}`).toBeLessThanOrEqual(0.01);
  });

  it('reads every suicidal phrasing it flags as suicide, so the panel puts 3114 first', () => {
    const elsewhere = EMERGENCY_REASONS.filter(([text, kind]) => kind === 'suicide' && triage(text).redFlag)
      .filter(([text]) => emergencyNumbersFor(triage(text).matched)[0]!.number !== '3114')
      .map(([text]) => text);
    expect(elsewhere).toEqual([]);
  });
});

describe('triage of what patients type', () => {
  it('reads SMS French with the article or pronoun glued on', () => {
    expect(triage('jarrive pas a respirer').matched).toEqual(['breathing']);
    expect(triage('crise dasthme').matched).toEqual(['breathing']);
    expect(triage('elle sest evanouie').matched).toEqual(['unconscious']);
  });

  it('reads "plus de force" as strength lost, not as a denial', () => {
    expect(triage('plus de force dans le bras droit').matched).toEqual(['stroke']);
  });

  it('leaves a dated past event alone, before or after it, unless it is about suicide', () => {
    expect(triage("j'ai fait un AVC il y a 5 ans").redFlag).toBe(false);
    expect(triage("l'an dernier j'ai fait un malaise, certificat pour le sport").redFlag).toBe(false);
    expect(triage('fainted once last year').redFlag).toBe(false);
    expect(triage('had a seizure 3 years ago').redFlag).toBe(false);
    expect(triage('AVC il y a 5 ans, et là la bouche de travers depuis ce matin').matched).toEqual(['stroke']);
    expect(triage('il a fait un malaise il y a 10 minutes').matched).toEqual(['unconscious']);
    expect(triage('tentative de suicide il y a 2 ans').matched).toEqual(['suicide']);
  });
});

describe('emergency panel', () => {
  it('lists 15, 112, 3114 and 114 (by SMS), each described in French and English', () => {
    expect(EMERGENCY_NUMBERS.map((n) => n.href)).toEqual(['tel:15', 'tel:112', 'tel:3114', 'sms:114']);
    for (const lang of ['fr', 'en'] as const)
      for (const { key } of EMERGENCY_NUMBERS) expect(emergencyMessages[lang][key].length, `${lang}.${key}`).toBeGreaterThan(10);
  });

  it('puts 3114 first when the reason reads as suicidal thoughts only', () => {
    expect(emergencyNumbersFor(triage('je veux en finir').matched)[0]!.number).toBe('3114');
    expect(emergencyNumbersFor(triage('douleur thoracique').matched)[0]!.number).toBe('15');
    expect(emergencyNumbersFor(triage('overdose, je veux mourir').matched)[0]!.number).toBe('15');
  });
});
