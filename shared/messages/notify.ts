/** Texts of every message the service sends: patients' confirmations and "we tried", practitioners' "a message awaits" (email and SMS). Never a health detail in any of them. */
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
  | 'practitionerSubject'
  | 'practitionerBody'
  | 'practitionerSignature'
  | 'signinAlertSubject'
  | 'signinAlertBody'
  | 'triedSubject'
  | 'triedGreeting'
  | 'triedBody'
  | 'triedEmergency'
  | 'triedSignature'
  | 'triedSms';

export const notifyMessages: Catalogue<Key> = {
  fr: {
    confirmSubject: 'Demande de rappel {ref} enregistrée – {practice}',
    confirmGreeting: 'Bonjour {name},',
    confirmBody: '{practice} : votre demande de rappel est bien enregistrée sous la référence {ref}. Nous vous rappellerons {when} au {phone}.',
    confirmCancel: 'Pour consulter ou annuler votre demande : {url}',
    confirmEmergency: 'En cas d’urgence vitale, n’attendez pas notre appel : composez le 15 ou le 112.',
    confirmSignature: '{practice} – {practicePhone}',
    confirmSms: '{practice} : demande {ref} enregistrée, rappel {when}. Annuler : {url}',
    confirmSmsDuplicate: '{practice} : demande {ref} déjà en attente, complétée. Rappel {when}. Annuler : {url}',
    duplicateNote: 'Vous aviez déjà une demande en attente : nous l’avons complétée, la référence reste la même.',
    // The practice record has no language: the practitioner's notice goes out in both, French first,
    // and its subject is the French and English subjects side by side.
    practitionerSubject: 'Nouveau message',
    practitionerBody: 'Le secrétariat a pris un message pour vous ({practice}). Connectez-vous pour le lire : {url}',
    practitionerSignature: 'Votre permanence téléphonique',
    signinAlertSubject: 'Connexions refusées sur votre compte',
    signinAlertBody:
      'De nombreux essais de mot de passe ont échoué sur votre compte {email}, depuis des adresses où vous ne vous êtes jamais connecté\u00a0; ces connexions sont freinées. Vous pouvez toujours vous connecter depuis vos appareils et réseaux habituels : {url}. Si vous n’arrivez plus à vous connecter, demandez à un administrateur un mot de passe temporaire.',
    triedSubject: 'Nous avons essayé de vous rappeler – {practice}',
    triedGreeting: 'Bonjour {name},',
    triedBody:
      'Nous avons essayé de vous rappeler plusieurs fois au sujet de votre demande {ref}, sans parvenir à vous joindre. Vous pouvez appeler le cabinet au {practicePhone}.',
    triedEmergency: 'En cas d’urgence vitale, composez le 15 ou le 112.',
    triedSignature: '{practice} – {practicePhone}',
    triedSms: '{practice} : nous avons essayé de vous rappeler (demande {ref}) sans vous joindre. Appelez le {practicePhone}.',
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
    practitionerSubject: 'New message',
    practitionerBody: 'The answering service took a message for {practice}. Sign in to read it: {url}',
    practitionerSignature: 'Your telephone answering service',
    signinAlertSubject: 'Sign-ins refused on your account',
    signinAlertBody:
      'Many password attempts failed on your account {email}, from addresses you have never signed in from; those sign-ins are being slowed down. You can still sign in from your usual devices and networks: {url}. If you can no longer sign in, ask an administrator for a temporary password.',
    triedSubject: 'We tried to call you back – {practice}',
    triedGreeting: 'Hello {name},',
    triedBody:
      'We tried several times to call you back about your request {ref} but could not reach you. You can call {practice} on {practicePhone}.',
    triedEmergency: 'In a life-threatening emergency, dial 15 or 112.',
    triedSignature: '{practice} – {practicePhone}',
    triedSms: '{practice}: we tried to call you back (request {ref}) but could not reach you. Please call {practicePhone}.',
  },
};
