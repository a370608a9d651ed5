/** Texts sent from the operators' console: the practitioner's "a message awaits" email and the patient's "we tried to reach you". No health detail in any. */
import type { Catalogue } from '../i18n.js';

type Key =
  | 'practitionerSubject'
  | 'practitionerBody'
  | 'practitionerSignature'
  | 'triedSubject'
  | 'triedGreeting'
  | 'triedBody'
  | 'triedEmergency'
  | 'triedSignature'
  | 'triedSms';

export const consoleNotifyMessages: Catalogue<Key> = {
  fr: {
    practitionerSubject: 'Un message vous attend – {practice}',
    practitionerBody: 'Le secrétariat a pris un message pour {practice}. Connectez-vous pour le lire : {url}',
    practitionerSignature: 'Votre permanence téléphonique',
    triedSubject: 'Nous avons essayé de vous rappeler – {practice}',
    triedGreeting: 'Bonjour {name},',
    triedBody:
      'Nous avons essayé de vous rappeler plusieurs fois au sujet de votre demande {ref}, sans parvenir à vous joindre. Vous pouvez appeler {practice} au {practicePhone}.',
    triedEmergency: 'En cas d’urgence vitale, composez le 15 ou le 112.',
    triedSignature: '{practice} – {practicePhone}',
    triedSms: '{practice} : nous avons essayé de vous rappeler (demande {ref}) sans vous joindre. Appelez le {practicePhone}.',
  },
  en: {
    practitionerSubject: 'A message is waiting for you – {practice}',
    practitionerBody: 'The answering service took a message for {practice}. Sign in to read it: {url}',
    practitionerSignature: 'Your telephone answering service',
    triedSubject: 'We tried to call you back – {practice}',
    triedGreeting: 'Hello {name},',
    triedBody:
      'We tried several times to call you back about your request {ref} but could not reach you. You can call {practice} on {practicePhone}.',
    triedEmergency: 'In a life-threatening emergency, dial 15 or 112.',
    triedSignature: '{practice} – {practicePhone}',
    triedSms: '{practice}: we tried to call you back (request {ref}) but could not reach you. Please call {practicePhone}.',
  },
};
