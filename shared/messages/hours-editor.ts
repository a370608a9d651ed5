/** Texts of the console's opening-hours form (`console/hours-editor.ts`), in French and English. */
import { format, type Catalogue, type Lang } from '../i18n.js';

type Key =
  | 'weeklyTitle'
  | 'weeklyHint'
  | 'closed'
  | 'closedAllDay'
  | 'start'
  | 'end'
  | 'addRange'
  | 'remove'
  | 'removeRangeOf'
  | 'rangeOf'
  | 'addRangeTo'
  | 'ofDay'
  | 'ofException'
  | 'holidaysTitle'
  | 'holidaysClosed'
  | 'region'
  | 'regionNone'
  | 'regionAlsaceMoselle'
  | 'regionGuadeloupe'
  | 'regionGuyane'
  | 'regionLaReunion'
  | 'regionMartinique'
  | 'regionMayotte'
  | 'regionSaintBarthelemy'
  | 'regionSaintMartin'
  | 'exceptionsTitle'
  | 'exceptionsHint'
  | 'exceptionsNone'
  | 'exceptionName'
  | 'from'
  | 'to'
  | 'labelFr'
  | 'labelEn'
  | 'exceptionHours'
  | 'addException'
  | 'removeExceptionShown'
  | 'removeExceptionNumber'
  | 'title'
  | 'elsewhere'
  | 'advanced'
  | 'previewUnavailable';

const catalogue: Catalogue<Key> = {
  fr: {
    weeklyTitle: 'Horaires de la semaine',
    weeklyHint: 'Heures du cabinet. Une fin à 00:00 signifie minuit\u00a0; une fin avant le début continue le lendemain.',
    closed: 'Fermé',
    closedAllDay: 'Fermé toute la journée',
    start: 'Début',
    end: 'Fin',
    addRange: 'Ajouter une plage',
    remove: 'Retirer',
    removeRangeOf: ' la plage {n} {owner}',
    rangeOf: 'Plage {n} {owner}',
    addRangeTo: ' ({owner})',
    ofDay: 'du {day}',
    ofException: 'de la fermeture {n}',
    holidaysTitle: 'Jours fériés',
    holidaysClosed: 'Fermé les jours fériés (France)',
    region: 'Liste des jours fériés',
    regionNone: 'France (liste nationale)',
    regionAlsaceMoselle: 'Alsace-Moselle (+ Vendredi saint, 26 décembre)',
    regionGuadeloupe: 'Guadeloupe (+ 27 mai, abolition de l’esclavage)',
    regionGuyane: 'Guyane (+ 10 juin, abolition de l’esclavage)',
    regionLaReunion: 'La Réunion (+ 20 décembre, abolition de l’esclavage)',
    regionMartinique: 'Martinique (+ 22 mai, abolition de l’esclavage)',
    regionMayotte: 'Mayotte (+ 27 avril, abolition de l’esclavage)',
    regionSaintBarthelemy: 'Saint-Barthélemy (+ 9 octobre, abolition de l’esclavage)',
    regionSaintMartin: 'Saint-Martin (+ 28 mai, abolition de l’esclavage)',
    exceptionsTitle: 'Fermetures et horaires exceptionnels',
    exceptionsHint: 'Du premier au dernier jour inclus. Sans plage, le cabinet est fermé toute la journée.',
    exceptionsNone: 'Aucune fermeture prévue.',
    exceptionName: 'Fermeture {n}',
    from: 'Du',
    to: 'Au',
    labelFr: 'Libellé (français)',
    labelEn: 'Libellé (anglais)',
    exceptionHours: 'Horaires ces jours-là',
    addException: 'Ajouter une fermeture ou des horaires exceptionnels',
    removeExceptionShown: 'Supprimer cette fermeture',
    removeExceptionNumber: ' ({n})',
    title: 'Horaires d’ouverture',
    elsewhere: 'Dans le JSON\u00a0:',
    advanced: 'Avancé (JSON)',
    previewUnavailable: 'Aperçu indisponible\u00a0: corrigez le champ signalé.',
  },
  en: {
    weeklyTitle: 'Weekly hours',
    weeklyHint: 'The practice’s hours. An end at 00:00 means midnight; an end before the start runs into the next day.',
    closed: 'Closed',
    closedAllDay: 'Closed all day',
    start: 'Start',
    end: 'End',
    addRange: 'Add a range',
    remove: 'Remove',
    removeRangeOf: ' range {n} {owner}',
    rangeOf: 'Range {n} {owner}',
    addRangeTo: ' ({owner})',
    ofDay: 'on {day}',
    ofException: 'of closure {n}',
    holidaysTitle: 'Public holidays',
    holidaysClosed: 'Closed on public holidays (France)',
    region: 'List of public holidays',
    regionNone: 'France (national list)',
    regionAlsaceMoselle: 'Alsace-Moselle (+ Good Friday, 26 December)',
    regionGuadeloupe: 'Guadeloupe (+ 27 May, Abolition of Slavery Day)',
    regionGuyane: 'French Guiana (+ 10 June, Abolition of Slavery Day)',
    regionLaReunion: 'Réunion (+ 20 December, Abolition of Slavery Day)',
    regionMartinique: 'Martinique (+ 22 May, Abolition of Slavery Day)',
    regionMayotte: 'Mayotte (+ 27 April, Abolition of Slavery Day)',
    regionSaintBarthelemy: 'Saint Barthélemy (+ 9 October, Abolition of Slavery Day)',
    regionSaintMartin: 'Saint Martin (+ 28 May, Abolition of Slavery Day)',
    exceptionsTitle: 'Closures and special hours',
    exceptionsHint: 'From the first to the last day, both included. With no range, the practice is closed all day.',
    exceptionsNone: 'No closure planned.',
    exceptionName: 'Closure {n}',
    from: 'From',
    to: 'To',
    labelFr: 'Label (French)',
    labelEn: 'Label (English)',
    exceptionHours: 'Hours on those days',
    addException: 'Add a closure or special hours',
    removeExceptionShown: 'Delete this closure',
    removeExceptionNumber: ' ({n})',
    title: 'Opening hours',
    elsewhere: 'In the JSON:',
    advanced: 'Advanced (JSON)',
    previewUnavailable: 'Preview unavailable: fix the field marked in red.',
  },
};

export type HoursEditorMessageKey = Key;

/** A sentence of the hours form in `lang`, with `{placeholders}` filled. */
export function hoursEditorText(lang: Lang, key: Key, vars?: Record<string, string | number>): string {
  return format(catalogue[lang][key], vars);
}
