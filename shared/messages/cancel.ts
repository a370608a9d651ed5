/**
 * Texts of the page a patient opens from the link in their confirmation, to see their request and cancel it.
 * `{15}`, `{112}` and `{practicePhone}` become `tel:` links on the page.
 */
import type { Catalogue } from '../i18n.js';

type Key =
  | 'title'
  | 'reference'
  | 'queued'
  | 'claimed'
  | 'done'
  | 'cancelled'
  | 'cancelQuestion'
  | 'cancelButton'
  | 'cancelledNow'
  | 'alreadyCancelled'
  | 'alreadyClosed'
  | 'invalidTitle'
  | 'invalidBody'
  | 'emergency'
  | 'questions';

export const cancelMessages: Catalogue<Key> = {
  fr: {
    title: 'Votre demande de rappel',
    reference: '{practice}\u00a0: demande {ref}',
    queued: 'Votre demande est bien en attente. Nous vous rappellerons {when}.',
    claimed: 'Un membre de notre équipe s’occupe de votre demande\u00a0: nous allons vous rappeler très bientôt.',
    done: 'Cette demande a déjà été traitée.',
    cancelled: 'Cette demande est annulée\u00a0: nous ne vous rappellerons pas à son sujet.',
    cancelQuestion: 'Vous n’avez plus besoin d’être rappelé·e\u00a0? Vous pouvez annuler votre demande.',
    cancelButton: 'Annuler ma demande',
    cancelledNow: 'C’est fait\u00a0: votre demande est annulée. Merci de nous avoir prévenus.',
    alreadyCancelled: 'Cette demande était déjà annulée\u00a0; il n’y a rien d’autre à faire.',
    alreadyClosed: 'Cette demande a déjà été traitée\u00a0: elle ne peut plus être annulée.',
    invalidTitle: 'Lien non valide',
    invalidBody: 'Ce lien n’est pas valide. Vérifiez qu’il est complet, ou appelez directement le cabinet.',
    emergency: 'En cas d’urgence vitale, n’attendez pas notre appel\u00a0: composez le {15} ou le {112}.',
    questions: 'Une question\u00a0? Appelez le {practicePhone}.',
  },
  en: {
    title: 'Your callback request',
    reference: 'Request {ref} to {practice}',
    queued: 'Your request is waiting. We will call you back {when}.',
    claimed: 'A member of our team is taking care of your request: we will call you back very soon.',
    done: 'This request has already been handled.',
    cancelled: 'This request is cancelled: we will not call you back about it.',
    cancelQuestion: 'No longer need a call back? You can cancel your request.',
    cancelButton: 'Cancel my request',
    cancelledNow: 'Done: your request is cancelled. Thank you for letting us know.',
    alreadyCancelled: 'This request was already cancelled; there is nothing else to do.',
    alreadyClosed: 'This request has already been handled: it can no longer be cancelled.',
    invalidTitle: 'Invalid link',
    invalidBody: 'This link is not valid. Check that it is complete, or call the practice directly.',
    emergency: 'In a life-threatening emergency, do not wait for our call: dial {15} or {112}.',
    questions: 'A question? Call {practicePhone}.',
  },
};
