/** The emergency panel shown when a callback reason reads as life-threatening (see shared/triage.ts): numbers and texts. */
import type { Catalogue } from '../i18n.js';

type Key = 'title' | 'intro' | 'samu' | 'europe' | 'suicide' | 'deaf' | 'stillSent' | 'call' | 'text';

export const emergencyMessages: Catalogue<Key> = {
  fr: {
    title: 'Urgence vitale ? Appelez maintenant.',
    intro: 'Ce que vous décrivez peut être une urgence. Si une vie est en danger, appelez immédiatement :',
    samu: 'SAMU – urgence médicale',
    europe: 'numéro d’urgence européen, depuis n’importe quel téléphone',
    suicide: 'prévention du suicide, gratuit, 24 h/24 et 7 j/7',
    deaf: 'par SMS ou avec l’application Urgence 114, pour les personnes sourdes, malentendantes ou qui ne peuvent pas parler',
    stillSent: 'Votre demande de rappel est quand même transmise, en priorité. Mais n’attendez pas notre rappel pour appeler.',
    call: 'Appeler le {number}',
    text: 'Envoyer un SMS au {number}',
  },
  en: {
    title: 'Life-threatening emergency? Call now.',
    intro: 'What you describe may be an emergency. If a life is at risk, call straight away:',
    samu: 'SAMU – medical emergencies (France)',
    europe: 'European emergency number, from any phone',
    suicide: 'suicide prevention (France), free, 24/7',
    deaf: 'by text message or the Urgence 114 app, for people who are deaf, hard of hearing or unable to speak',
    stillSent: 'Your callback request is still sent, first in line. But do not wait for our call before calling.',
    call: 'Call {number}',
    text: 'Text {number}',
  },
};

export interface EmergencyNumber {
  /** The catalogue key describing this number. */
  key: 'samu' | 'europe' | 'suicide' | 'deaf';
  number: string;
  /** `tel:` to call, or `sms:` for 114, which takes text messages rather than calls. */
  href: string;
}

/** The numbers in the order the panel lists them: medical emergency first, as most red flags are medical. */
export const EMERGENCY_NUMBERS: readonly EmergencyNumber[] = [
  { key: 'samu', number: '15', href: 'tel:15' },
  { key: 'europe', number: '112', href: 'tel:112' },
  { key: 'suicide', number: '3114', href: 'tel:3114' },
  { key: 'deaf', number: '114', href: 'sms:114' },
];

/** The same numbers, with 3114 moved first when the triage matched only `suicide`: then it is the one that helps. */
export function emergencyNumbersFor(matched: readonly string[]): readonly EmergencyNumber[] {
  if (matched.length !== 1 || matched[0] !== 'suicide') return EMERGENCY_NUMBERS;
  return [...EMERGENCY_NUMBERS].sort((a, b) => Number(b.key === 'suicide') - Number(a.key === 'suicide'));
}
