/** Texts of the messages sent to patients and practitioners (email and SMS). Never a health detail in any of them. */
import type { Catalogue } from '../i18n.js';

type Key =
  | 'confirmSubject'
  | 'confirmGreeting'
  | 'confirmBody'
  | 'confirmCancel'
  | 'confirmEmergency'
  | 'confirmSignature'
  | 'confirmSms'
  | 'confirmSmsDuplicate'
  | 'duplicateNote'
  | 'whenNow'
  | 'whenAt';

export const notifyMessages: Catalogue<Key> = {
  fr: {
    confirmSubject: 'Demande de rappel {ref} enregistrée – {practice}',
    confirmGreeting: 'Bonjour {name},',
    confirmBody: 'Votre demande de rappel auprès de {practice} est bien enregistrée sous la référence {ref}. Nous vous rappellerons {when} au {phone}.',
    confirmCancel: 'Pour consulter ou annuler votre demande : {url}',
    confirmEmergency: 'En cas d’urgence vitale, n’attendez pas notre appel : composez le 15 ou le 112.',
    confirmSignature: '{practice} – {practicePhone}',
    confirmSms: '{practice} : demande {ref} enregistrée, rappel {when}. Annuler : {url}',
    confirmSmsDuplicate: '{practice} : demande {ref} déjà en attente, complétée. Rappel {when}. Annuler : {url}',
    duplicateNote: 'Vous aviez déjà une demande en attente : nous l’avons complétée, la référence reste la même.',
    whenNow: 'dès que possible',
    whenAt: 'à partir du {date}',
  },
  en: {
    confirmSubject: 'Callback request {ref} received – {practice}',
    confirmGreeting: 'Hello {name},',
    confirmBody: 'Your callback request to {practice} is registered under reference {ref}. We will call you back {when} on {phone}.',
    confirmCancel: 'To see or cancel your request: {url}',
    confirmEmergency: 'In a life-threatening emergency, do not wait for our call: dial 15 or 112.',
    confirmSignature: '{practice} – {practicePhone}',
    confirmSms: '{practice}: request {ref} received, callback {when}. Cancel: {url}',
    confirmSmsDuplicate: '{practice}: request {ref} already waiting, updated. Callback {when}. Cancel: {url}',
    duplicateNote: 'You already had a request waiting: we added to it, the reference stays the same.',
    whenNow: 'as soon as possible',
    whenAt: 'from {date}',
  },
};
