/**
 * Texts sent to a practice's own people (its contacts): urgent messages and their reminders, routine notices by SMS,
 * test alerts, the daily digest, and the acknowledgement page. Identifiers, names, times and counts only: never a
 * patient's name, reason or the operator's message. The practice record has no language: each goes out in French,
 * then English (an SMS carries its link once, in the French part).
 */
import type { Catalogue } from '../i18n.js';

type Key =
  | 'urgentSubject'
  | 'urgentBody'
  | 'urgentReminder'
  | 'urgentConfirm'
  | 'urgentConsole'
  | 'urgentSms'
  | 'routineSms'
  | 'testSubject'
  | 'testBody'
  | 'testSms'
  | 'digestSubject'
  | 'digestBody'
  | 'digestUrgent'
  | 'signature'
  | 'ackTitle'
  | 'ackIntro'
  | 'ackButton'
  | 'ackDone'
  | 'ackAlready'
  | 'ackConsole'
  | 'ackInvalid';

export const practitionerMessages: Catalogue<Key> = {
  fr: {
    urgentSubject: 'URGENT – message de votre permanence',
    urgentBody: '{practice} : votre permanence téléphonique a pris un message urgent pour vous à {time}.',
    urgentReminder: 'Rappel n° {step} : ce message n’a pas encore été confirmé.',
    urgentConfirm: 'Confirmez la réception en un clic : {url}',
    urgentConsole: 'Pour le lire, connectez-vous : {console}',
    urgentSms: 'URGENT {practice} : message de votre permanence ({time}). Confirmez : {url}',
    routineSms: '{practice} : nouveau message de votre permanence. {url}',
    testSubject: 'Test d’alerte',
    testBody: 'Ceci est un test d’alerte de votre permanence téléphonique pour {name} ({practice}). Aucune action n’est requise.',
    testSms: 'Test d’alerte de votre permanence pour {name} ({practice}). Aucune action requise.',
    digestSubject: 'Résumé du jour',
    digestBody: '{practice} : {count} message(s) pris pour vous ces dernières 24 heures, dont {unread} non lu(s).',
    digestUrgent: '{urgent} message(s) urgent(s) en attente de votre confirmation.',
    signature: 'Votre permanence téléphonique',
    ackTitle: 'Message urgent',
    ackIntro: '{practice} : votre permanence a pris un message urgent pour vous le {time}.',
    ackButton: 'Je confirme la réception',
    ackDone: 'Réception confirmée le {time}. Merci : les relances sont arrêtées.',
    ackAlready: 'Ce message a déjà été confirmé le {time}.',
    ackConsole: 'Lire le message dans la console',
    ackInvalid: 'Ce lien n’est pas valide. Connectez-vous à la console pour lire vos messages.',
  },
  en: {
    urgentSubject: 'URGENT – message from your answering service',
    urgentBody: '{practice}: your answering service took an urgent message for you at {time}.',
    urgentReminder: 'Reminder {step}: this message has not been acknowledged yet.',
    urgentConfirm: 'Confirm receipt in one click: {url}',
    urgentConsole: 'To read it, sign in: {console}',
    urgentSms: 'Urgent message from your answering service: please confirm at the link.',
    routineSms: 'New message from your answering service.',
    testSubject: 'Test alert',
    testBody: 'This is a test alert from your answering service for {name} ({practice}). No action is needed.',
    testSms: 'Test alert, no action needed.',
    digestSubject: 'Daily summary',
    digestBody: '{practice}: {count} message(s) taken for you in the last 24 hours, {unread} of them unread.',
    digestUrgent: '{urgent} urgent message(s) awaiting your acknowledgement.',
    signature: 'Your answering service',
    ackTitle: 'Urgent message',
    ackIntro: '{practice}: your answering service took an urgent message for you on {time}.',
    ackButton: 'I confirm receipt',
    ackDone: 'Receipt confirmed at {time}. Thank you: the reminders have stopped.',
    ackAlready: 'This message was already acknowledged on {time}.',
    ackConsole: 'Read the message in the console',
    ackInvalid: 'This link is not valid. Sign in to the console to read your messages.',
  },
};
