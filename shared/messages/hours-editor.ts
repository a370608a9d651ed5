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
