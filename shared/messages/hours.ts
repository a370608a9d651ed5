/** Texts about opening hours: French public holidays, the status line, closures, and the errors of a bad schedule. */
import type { Catalogue } from '../i18n.js';

export type HolidayKey =
  | 'newYear'
  | 'goodFriday'
  | 'easterMonday'
  | 'labour'
  | 'victory'
  | 'ascension'
  | 'whitMonday'
  | 'bastille'
  | 'assumption'
  | 'allSaints'
  | 'armistice'
  | 'christmas'
  | 'stStephen'
  | 'slaveryAbolition';

type Key =
  | HolidayKey
  | 'exceptionClosed'
  | 'exceptionSpecial'
  | 'open'
  | 'openAlways'
  | 'closedToday'
  | 'opens'
  | 'atTime'
  | 'dayAtTime'
  | 'closedDay'
  | 'closure';

/** Only what the widget shows; the error texts below stay out of its bundle. */
export const hoursMessages: Catalogue<Key> = {
  fr: {
    newYear: 'Jour de l’an',
    goodFriday: 'Vendredi saint',
    easterMonday: 'Lundi de Pâques',
    labour: 'Fête du Travail',
    victory: 'Victoire 1945',
    ascension: 'Ascension',
    whitMonday: 'Lundi de Pentecôte',
    bastille: 'Fête nationale',
    assumption: 'Assomption',
    allSaints: 'Toussaint',
    armistice: 'Armistice 1918',
    christmas: 'Noël',
    stStephen: 'Saint-Étienne',
    slaveryAbolition: 'Abolition de l’esclavage',
    exceptionClosed: 'Fermeture exceptionnelle',
    exceptionSpecial: 'Horaires exceptionnels',
    open: 'Ouvert · ferme {when}',
    openAlways: 'Ouvert 24 h/24',
    closedToday: 'Fermé aujourd’hui ({reason})',
    opens: ' · ouvre {when}',
    atTime: 'à {time}',
    dayAtTime: '{day} à {time}',
    closedDay: 'Fermé',
    closure: '{date} : {label}',
  },
  en: {
    newYear: 'New Year’s Day',
    goodFriday: 'Good Friday',
    easterMonday: 'Easter Monday',
    labour: 'Labour Day',
    victory: 'Victory in Europe Day',
    ascension: 'Ascension Day',
    whitMonday: 'Whit Monday',
    bastille: 'Bastille Day',
    assumption: 'Assumption Day',
    allSaints: 'All Saints’ Day',
    armistice: 'Armistice Day',
    christmas: 'Christmas Day',
    stStephen: 'St Stephen’s Day',
    slaveryAbolition: 'Abolition of Slavery Day',
    exceptionClosed: 'Exceptional closure',
    exceptionSpecial: 'Special hours',
    open: 'Open · closes {when}',
    openAlways: 'Open 24/7',
    closedToday: 'Closed today ({reason})',
    opens: ' · opens {when}',
    atTime: 'at {time}',
    dayAtTime: '{day} at {time}',
    closedDay: 'Closed',
    closure: '{date}: {label}',
  },
};

/** Codes `validateHours` puts on a field; the console shows these sentences beside it. */
export type HoursErrorCode =
  | 'required'
  | 'invalid'
  | 'unknown_field'
  | 'too_long'
  | 'invalid_timezone'
  | 'invalid_time'
  | 'invalid_date'
  | 'empty_range'
  | 'overlap'
  | 'before_from'
  | 'unknown_region';

export const hoursErrorMessages: Catalogue<HoursErrorCode> = {
  fr: {
    required: 'Champ obligatoire.',
    invalid: 'Valeur invalide.',
    unknown_field: 'Champ inconnu.',
    too_long: 'Trop long.',
    invalid_timezone: 'Fuseau horaire inconnu (exemple : Europe/Paris).',
    invalid_time: 'Heure invalide : HH:MM, de 00:00 à 24:00.',
    invalid_date: 'Date invalide : AAAA-MM-JJ.',
    empty_range: 'Le début et la fin sont identiques.',
    overlap: 'Cette plage chevauche une autre plage.',
    before_from: 'La fin précède le début.',
    unknown_region: 'Région inconnue : choisissez l’une des listes de jours fériés proposées.',
  },
  en: {
    required: 'Required.',
    invalid: 'Invalid value.',
    unknown_field: 'Unknown field.',
    too_long: 'Too long.',
    invalid_timezone: 'Unknown time zone (e.g. Europe/Paris).',
    invalid_time: 'Invalid time: HH:MM, from 00:00 to 24:00.',
    invalid_date: 'Invalid date: YYYY-MM-DD.',
    empty_range: 'Start and end are the same.',
    overlap: 'This range overlaps another one.',
    before_from: 'The end is before the start.',
    unknown_region: 'Unknown region: choose one of the lists of public holidays offered.',
  },
};
