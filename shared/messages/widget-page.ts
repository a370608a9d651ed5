/**
 * Sentences `<permanence-widget>` says itself, beside the form's (messages/widget.ts): the call-back action, the fold
 * of long instructions, and what it tells a practice's webmaster in the browser console when the snippet is wrong.
 */
import type { Catalogue } from '../i18n.js';

type Key =
  | 'callbackAction'
  | 'instructionsMore'
  | 'instructionsLess'
  | 'dev_noPractice'
  | 'dev_unknownPractice'
  | 'dev_originNotAllowed'
  | 'dev_chunkFailed'
  | 'dev_widgetAddress';

export const widgetPageMessages: Catalogue<Key> = {
  fr: {
    callbackAction: 'Être rappelé',
    instructionsMore: 'Lire toutes les consignes',
    instructionsLess: 'Réduire les consignes',
    dev_noPractice:
      'Permanence\u00a0: l’attribut practice manque sur <permanence-widget>. Ajoutez l’identifiant du cabinet, celui de la console Permanence, par exemple <permanence-widget practice="cabinet-martin">.',
    dev_unknownPractice:
      'Permanence\u00a0: le service {api} ne connaît aucun cabinet «\u00a0{practice}\u00a0». Corrigez l’attribut practice de <permanence-widget>\u00a0: c’est l’identifiant du cabinet dans la console Permanence.',
    dev_originNotAllowed:
      'Permanence\u00a0: ce site ({origin}) n’est pas autorisé pour le cabinet «\u00a0{practice}\u00a0». Ajoutez {origin} aux «\u00a0Sites autorisés\u00a0» du cabinet dans la console Permanence.',
    dev_widgetAddress:
      'Permanence\u00a0: chargez widget.js à l’adresse exacte du code à coller, {origin}/widget.js, sans paramètre\u00a0: à une autre adresse, le formulaire ne peut pas se charger.',
    dev_chunkFailed:
      'Permanence\u00a0: une partie du widget n’a pas pu être chargée depuis {origin}. Vérifiez que la Content-Security-Policy de la page autorise les scripts de {origin} (script-src) et que le service répond.',
  },
  en: {
    callbackAction: 'Ask to be called back',
    instructionsMore: 'Read all the instructions',
    instructionsLess: 'Show fewer instructions',
    dev_noPractice:
      'Permanence: <permanence-widget> has no practice attribute. Add the practice’s identifier from the Permanence console, e.g. <permanence-widget practice="cabinet-martin">.',
    dev_unknownPractice:
      'Permanence: the service at {api} has no practice "{practice}". Fix the practice attribute of <permanence-widget>: it is the practice’s identifier in the Permanence console.',
    dev_originNotAllowed:
      'Permanence: this website ({origin}) is not allowed for the practice "{practice}". Add {origin} to the practice’s "Allowed websites" in the Permanence console.',
    dev_widgetAddress:
      'Permanence: load widget.js from the exact address in the snippet, {origin}/widget.js, without a query: from any other address the form cannot load.',
    dev_chunkFailed:
      'Permanence: part of the widget could not be loaded from {origin}. Check that the page’s Content-Security-Policy allows scripts from {origin} (script-src) and that the service answers.',
  },
};
