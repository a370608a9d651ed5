/**
 * The monthly activity report's figures and its columns, defined once: the service writes its JSON and CSV
 * from them, the console its table. Invoicing reads the CSV by its column keys and the JSON by its fields.
 */
import type { Lang } from './i18n.js';

/** One practice's month, or the total of several (the service's JSON answer, field for field). */
export interface ActivityFigures {
  practice: string;
  name: string;
  /** Requests made, merged repeats included. */
  received: number;
  /** A conversation happened: the patient was reached, or a message was taken. */
  handled: number;
  /** Billable requests: the handled ones. */
  billable: number;
  nonBillable: { duplicate: number; spam: number; wrong_number: number; cancelled: number; abandoned: number };
  /** Still open, with fewer failed calls than make a request abandoned. */
  open: number;
  medianMinutesToFirstCall: number | null;
  /** Of the requests that needed a call, the share first called by `dueAt` + 30 minutes (0 to 1). */
  calledOnTimeShare: number | null;
}

export interface ActivityReport {
  month: string;
  items: ActivityFigures[];
  total: ActivityFigures;
}

/** How a value reads: text, a whole count, minutes (one decimal), or a share from 0 to 1 (a percentage on screen). */
export type ActivityFormat = 'text' | 'count' | 'minutes' | 'share';

export interface ActivityColumn {
  /** The CSV header, which invoicing reads: never renamed. */
  key: string;
  /** The heading on screen. */
  header: Record<Lang, string>;
  format: ActivityFormat;
  /**
   * Where the console shows it: as each row's heading, as a cell, or not at all (the caption names the month,
   * and the practice's name stands for its slug).
   */
  screen: 'rowHeader' | 'cell' | 'none';
  /** Shown under the "not billable" heading. */
  group?: 'nonBillable';
  /** The value; `null` when there is none (no call made yet): an empty CSV cell, a dash on screen. */
  value(figures: ActivityFigures, month: string): string | number | null;
}

/** The columns in the order of the CSV and of the console's table. */
export const ACTIVITY_COLUMNS: readonly ActivityColumn[] = [
  { key: 'month', header: { fr: 'Mois', en: 'Month' }, format: 'text', screen: 'none', value: (_, month) => month },
  { key: 'practice', header: { fr: 'Identifiant', en: 'Identifier' }, format: 'text', screen: 'none', value: (f) => f.practice },
  { key: 'name', header: { fr: 'Cabinet', en: 'Practice' }, format: 'text', screen: 'rowHeader', value: (f) => f.name },
  { key: 'received', header: { fr: 'Reçues', en: 'Received' }, format: 'count', screen: 'cell', value: (f) => f.received },
  { key: 'handled', header: { fr: 'Traitées', en: 'Handled' }, format: 'count', screen: 'cell', value: (f) => f.handled },
  { key: 'billable', header: { fr: 'Facturables', en: 'Billable' }, format: 'count', screen: 'cell', value: (f) => f.billable },
  { key: 'non_billable_duplicate', header: { fr: 'Doublons', en: 'Duplicates' }, format: 'count', screen: 'cell', group: 'nonBillable', value: (f) => f.nonBillable.duplicate },
  { key: 'non_billable_spam', header: { fr: 'Indésirables', en: 'Spam' }, format: 'count', screen: 'cell', group: 'nonBillable', value: (f) => f.nonBillable.spam },
  { key: 'non_billable_wrong_number', header: { fr: 'Mauvais numéros', en: 'Wrong numbers' }, format: 'count', screen: 'cell', group: 'nonBillable', value: (f) => f.nonBillable.wrong_number },
  { key: 'non_billable_cancelled', header: { fr: 'Annulées', en: 'Cancelled' }, format: 'count', screen: 'cell', group: 'nonBillable', value: (f) => f.nonBillable.cancelled },
  { key: 'non_billable_abandoned', header: { fr: 'Abandonnées', en: 'Abandoned' }, format: 'count', screen: 'cell', group: 'nonBillable', value: (f) => f.nonBillable.abandoned },
  { key: 'open', header: { fr: 'En cours', en: 'Still open' }, format: 'count', screen: 'cell', value: (f) => f.open },
  { key: 'median_minutes_to_first_call', header: { fr: 'Délai médian du 1er appel (min)', en: 'Median time to first call (min)' }, format: 'minutes', screen: 'cell', value: (f) => f.medianMinutesToFirstCall },
  { key: 'called_on_time_share', header: { fr: 'Rappelées à l’heure', en: 'Called on time' }, format: 'share', screen: 'cell', value: (f) => f.calledOnTimeShare },
];

/** The heading over a group of columns. */
export const ACTIVITY_GROUPS: Record<NonNullable<ActivityColumn['group']>, Record<Lang, string>> = {
  nonBillable: { fr: 'Non facturables', en: 'Not billable' },
};

/** The CSV's file name, the same from the service's Content-Disposition and the console's `download` attribute. */
export const reportFileName = (month: string, practice: string | undefined, flavour: 'csv' | 'csv-fr') =>
  `activity-${month}${practice ? `-${practice}` : ''}${flavour === 'csv-fr' ? '-fr' : ''}.csv`;
