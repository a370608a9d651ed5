/** Texts of the console's contacts and on-call form (`console/on-call-editor.ts`), in French and English. */
import { format, type Catalogue, type Lang } from '../i18n.js';

type Key =
  | 'title'
  | 'intro'
  | 'nowSlot'
  | 'nowDefault'
  | 'nowDefaultOpen'
  | 'nowNone'
  | 'runsOut'
  | 'ranOut'
  | 'thenDefault'
  | 'thenNobody'
  | 'contactsTitle'
  | 'contactsHint'
  | 'contactsNone'
  | 'contactNumber'
  | 'name'
  | 'phone'
  | 'email'
  | 'reachHint'
  | 'notifyBy'
  | 'notifyByDefault'
  | 'notifyByEmail'
  | 'notifyBySms'
  | 'remove'
  | 'named'
  | 'contactHasSlots'
  | 'contactRemoved'
  | 'addContact'
  | 'testAlert'
  | 'toNamed'
  | 'testSaveFirst'
  | 'testSent'
  | 'testNoChannel'
  | 'testCapped'
  | 'testFailed'
  | 'channelSms'
  | 'channelEmail'
  | 'accountOk'
  | 'accountNoAccess'
  | 'giveAccess'
  | 'accessGiven'
  | 'accountOtherRole'
  | 'accountNone'
  | 'createAccount'
  | 'accountNameFirst'
  | 'accountCreated'
  | 'accountPasswordHint'
  | 'accountNotTemporary'
  | 'accountTaken'
  | 'routingTitle'
  | 'defaultContact'
  | 'defaultHint'
  | 'nobody'
  | 'escalationTitle'
  | 'escalationHint'
  | 'listEmpty'
  | 'moveUp'
  | 'moveDown'
  | 'removeFromList'
  | 'contactToAdd'
  | 'add'
  | 'position'
  | 'ackMinutes'
  | 'ackHint'
  | 'digestAt'
  | 'digestHint'
  | 'slotsTitle'
  | 'slotsHint'
  | 'slotsNone'
  | 'slotRange'
  | 'removeSlot'
  | 'addSlotTitle'
  | 'slotFrom'
  | 'slotTo'
  | 'slotContact'
  | 'addSlot'
  | 'slotAdded'
  | 'slotRemoved'
  | 'needContacts'
  | 'rotationTitle'
  | 'rotationHint'
  | 'rotationOrder'
  | 'rotationFrom'
  | 'rotationAt'
  | 'rotationWeeks'
  | 'rotationPreview'
  | 'rotationEmpty'
  | 'rotationOverlap'
  | 'rotationApply'
  | 'rotationApplyNone'
  | 'rotationApplied'
  | 'week'
  | 'save'
  | 'unsaved'
  | 'saved'
  | 'err_unreachable'
  | 'err_unknown_contact'
  | 'err_invalid_range'
  | 'err_duplicate'
  | 'err_channel';

const catalogue: Catalogue<Key> = {
  fr: {
    title: 'Messages au cabinet et astreinte',
    intro: 'Qui reçoit les messages pris pour ce cabinet, et qui est d’astreinte quand. Ces réglages s’enregistrent avec leur propre bouton, en bas de cette partie.',
    nowSlot: 'De garde maintenant\u00a0: {name}, jusqu’au {until}.',
    nowDefault: 'Maintenant\u00a0: {name} (contact par défaut), jusqu’au {until}.',
    nowDefaultOpen: 'Maintenant\u00a0: {name} (contact par défaut).',
    nowNone: 'Personne ne reçoit les messages maintenant\u00a0: aucune garde en cours et pas de contact par défaut.',
    runsOut: 'Le planning d’astreinte s’arrête le {date}.',
    ranOut: 'Le planning d’astreinte est épuisé\u00a0: aucune garde à venir.',
    thenDefault: 'Ensuite, les messages vont au contact par défaut, {name}.',
    thenNobody: 'Ensuite, personne ne les reçoit\u00a0: ajoutez des gardes (roulement hebdomadaire ci-dessous) ou un contact par défaut.',
    contactsTitle: 'Contacts',
    contactsHint: 'Les personnes à qui les messages peuvent aller. Un message urgent part par SMS et par e-mail\u00a0; les autres par le canal choisi.',
    contactsNone: 'Aucun contact\u00a0: les messages vont à l’adresse de notification du cabinet.',
    contactNumber: 'Contact {n}',
    name: 'Nom',
    phone: 'Téléphone mobile',
    email: 'E-mail',
    reachHint: 'Un téléphone ou un e-mail au moins.',
    notifyBy: 'Messages non urgents par',
    notifyByDefault: 'E-mail, sinon SMS',
    notifyByEmail: 'E-mail',
    notifyBySms: 'SMS',
    remove: 'Retirer',
    named: ' {name}',
    contactHasSlots: '{name} a encore des gardes à venir ({n})\u00a0: retirez-les d’abord.',
    contactRemoved: '{name} retiré des contacts\u00a0; enregistrez pour l’appliquer.',
    addContact: 'Ajouter un contact',
    testAlert: 'Envoyer une alerte de test',
    toNamed: ' à {name}',
    testSaveFirst: 'Enregistrez d’abord ce contact pour lui envoyer une alerte de test.',
    testSent: 'Alerte de test envoyée à {name} par {channels}.',
    testNoChannel: 'Aucune alerte envoyée\u00a0: ce contact n’a ni téléphone ni e-mail.',
    testCapped: 'Alerte de test non envoyée\u00a0: trop de SMS sont partis vers les contacts de ce cabinet depuis une heure. Réessayez plus tard.',
    testFailed: 'L’alerte de test n’a pas pu être envoyée. Réessayez.',
    channelSms: 'SMS',
    channelEmail: 'e-mail',
    accountOk: 'Compte praticien\u00a0: lit ses messages dans la console.',
    accountNoAccess: 'Son compte praticien n’a pas accès à ce cabinet.',
    giveAccess: 'Lui donner accès',
    accessGiven: 'Accès à ce cabinet donné à {email}.',
    accountOtherRole: 'Un compte de la console utilise déjà cette adresse ({role}).',
    accountNone: 'Pas encore de compte pour lire ses messages dans la console.',
    createAccount: 'Créer son compte praticien',
    accountNameFirst: 'Indiquez d’abord son nom.',
    accountCreated: 'Compte créé pour {email}. Mot de passe temporaire, affiché une seule fois\u00a0:',
    accountPasswordHint: 'Transmettez-le à la personne\u00a0: elle en choisira un nouveau à sa première connexion.',
    accountNotTemporary: 'Compte créé pour {email}, mais ce mot de passe n’a pas pu être rendu temporaire\u00a0: changez-le depuis la page Comptes.',
    accountTaken: 'Un compte existe déjà avec cette adresse.',
    routingTitle: 'Qui reçoit quoi',
    defaultContact: 'Contact par défaut',
    defaultHint: 'Reçoit les messages quand aucune garde ne couvre le moment.',
    nobody: 'Personne',
    escalationTitle: 'Escalade d’un message urgent non confirmé',
    escalationHint: 'Sans confirmation dans le délai, le message part au contact suivant de cette liste, dans cet ordre.',
    listEmpty: 'Liste vide.',
    moveUp: 'Monter',
    moveDown: 'Descendre',
    removeFromList: 'Retirer',
    contactToAdd: 'Contact à ajouter',
    add: 'Ajouter',
    position: '{name}\u00a0: position {position} sur {count}.',
    ackMinutes: 'Délai de confirmation d’un message urgent (minutes)',
    ackHint: 'De 1 à 120 minutes\u00a0; 10 par défaut.',
    digestAt: 'Heure du récapitulatif quotidien',
    digestHint: 'Un e-mail par jour aux contacts qui ont une adresse, à cette heure ({zone}). Vide\u00a0: pas de récapitulatif.',
    slotsTitle: 'Gardes datées',
    slotsHint: 'Une garde remplace le contact par défaut de son début à sa fin. Dates et heures\u00a0: {zone}.',
    slotsNone: 'Aucune garde à venir.',
    slotRange: 'Du {from} au {to}',
    removeSlot: ' la garde de {name} du {from}',
    addSlotTitle: 'Ajouter une garde',
    slotFrom: 'Début',
    slotTo: 'Fin',
    slotContact: 'De garde',
    addSlot: 'Ajouter la garde',
    slotAdded: 'Garde ajoutée\u00a0; enregistrez pour l’appliquer.',
    slotRemoved: 'Garde retirée\u00a0; enregistrez pour l’appliquer.',
    needContacts: 'Ajoutez d’abord un contact.',
    rotationTitle: 'Roulement hebdomadaire',
    rotationHint: 'Écrit des gardes d’une semaine, relevées chaque semaine au même jour et à la même heure, les contacts à tour de rôle.',
    rotationOrder: 'Ordre du roulement',
    rotationFrom: 'Première relève (date)',
    rotationAt: 'Heure de la relève',
    rotationWeeks: 'Nombre de semaines',
    rotationPreview: 'Aperçu',
    rotationEmpty: 'Choisissez au moins un contact et une date.',
    rotationOverlap: 'Ces gardes recouvrent {n} garde(s) déjà prévue(s)\u00a0: là où elles se chevauchent, celle qui commence le plus tard l’emporte.',
    rotationApply: 'Ajouter ces {n} gardes au planning',
    rotationApplyNone: 'Ajouter les gardes au planning',
    rotationApplied: '{n} gardes ajoutées au planning\u00a0; enregistrez pour les appliquer.',
    week: 'Semaine {n}',
    save: 'Enregistrer les contacts et l’astreinte',
    unsaved: 'Modifications non enregistrées.',
    saved: 'Contacts et astreinte enregistrés.',
    err_unreachable: 'Indiquez un téléphone ou un e-mail.',
    err_unknown_contact: 'Ce contact n’existe pas (ou plus).',
    err_invalid_range: 'La fin doit venir après le début.',
    err_duplicate: 'Deux contacts ont le même identifiant.',
    err_channel: 'Ce canal manque à ce contact\u00a0: ajoutez le téléphone ou l’e-mail.',
  },
  en: {
    title: 'Messages to the practice and on-call',
    intro: 'Who receives the messages taken for this practice, and who is on call when. These settings are saved with their own button, at the end of this part.',
    nowSlot: 'On call now: {name}, until {until}.',
    nowDefault: 'Now: {name} (default contact), until {until}.',
    nowDefaultOpen: 'Now: {name} (default contact).',
    nowNone: 'Nobody receives messages now: no slot covers this moment and there is no default contact.',
    runsOut: 'The on-call schedule stops on {date}.',
    ranOut: 'The on-call schedule has run out: no slot ahead.',
    thenDefault: 'After that, messages go to the default contact, {name}.',
    thenNobody: 'After that, nobody receives them: add slots (weekly rotation below) or a default contact.',
    contactsTitle: 'Contacts',
    contactsHint: 'The people messages can go to. An urgent message goes by SMS and by email; the others by the channel chosen.',
    contactsNone: 'No contacts: messages go to the practice’s notification address.',
    contactNumber: 'Contact {n}',
    name: 'Name',
    phone: 'Mobile phone',
    email: 'Email',
    reachHint: 'A phone number or an email at least.',
    notifyBy: 'Non-urgent messages by',
    notifyByDefault: 'Email, else SMS',
    notifyByEmail: 'Email',
    notifyBySms: 'SMS',
    remove: 'Remove',
    named: ' {name}',
    contactHasSlots: '{name} still has slots ahead ({n}): remove them first.',
    contactRemoved: '{name} removed from the contacts; save to apply it.',
    addContact: 'Add a contact',
    testAlert: 'Send a test alert',
    toNamed: ' to {name}',
    testSaveFirst: 'Save this contact first to send it a test alert.',
    testSent: 'Test alert sent to {name} by {channels}.',
    testNoChannel: 'No alert sent: this contact has neither phone nor email.',
    testCapped: 'Test alert not sent: too many SMS went to this practice’s contacts in the last hour. Try again later.',
    testFailed: 'The test alert could not be sent. Please try again.',
    channelSms: 'SMS',
    channelEmail: 'email',
    accountOk: 'Practitioner account: reads their messages in the console.',
    accountNoAccess: 'Their practitioner account has no access to this practice.',
    giveAccess: 'Give them access',
    accessGiven: 'Access to this practice given to {email}.',
    accountOtherRole: 'A console account already uses this address ({role}).',
    accountNone: 'No account yet to read their messages in the console.',
    createAccount: 'Create their practitioner account',
    accountNameFirst: 'Give their name first.',
    accountCreated: 'Account created for {email}. Temporary password, shown only once:',
    accountPasswordHint: 'Give it to the person: they will choose a new one when they first sign in.',
    accountNotTemporary: 'Account created for {email}, but this password could not be made temporary: change it from the Accounts page.',
    accountTaken: 'An account with this address already exists.',
    routingTitle: 'Who gets what',
    defaultContact: 'Default contact',
    defaultHint: 'Receives messages when no slot covers the moment.',
    nobody: 'Nobody',
    escalationTitle: 'Escalation of an unacknowledged urgent message',
    escalationHint: 'Without acknowledgement in time, the message goes to the next contact on this list, in this order.',
    listEmpty: 'Empty list.',
    moveUp: 'Move up',
    moveDown: 'Move down',
    removeFromList: 'Remove',
    contactToAdd: 'Contact to add',
    add: 'Add',
    position: '{name}: position {position} of {count}.',
    ackMinutes: 'Time to acknowledge an urgent message (minutes)',
    ackHint: 'From 1 to 120 minutes; 10 by default.',
    digestAt: 'Daily digest time',
    digestHint: 'One email a day to the contacts who have an address, at this time ({zone}). Empty: no digest.',
    slotsTitle: 'Dated on-call slots',
    slotsHint: 'A slot overrides the default contact from its start to its end. Dates and times: {zone}.',
    slotsNone: 'No slot ahead.',
    slotRange: 'From {from} to {to}',
    removeSlot: ' the slot of {name} from {from}',
    addSlotTitle: 'Add a slot',
    slotFrom: 'Start',
    slotTo: 'End',
    slotContact: 'On call',
    addSlot: 'Add the slot',
    slotAdded: 'Slot added; save to apply it.',
    slotRemoved: 'Slot removed; save to apply it.',
    needContacts: 'Add a contact first.',
    rotationTitle: 'Weekly rotation',
    rotationHint: 'Writes week-long slots, handed over each week on the same day and at the same time, the contacts taking turns.',
    rotationOrder: 'Rotation order',
    rotationFrom: 'First handover (date)',
    rotationAt: 'Handover time',
    rotationWeeks: 'Number of weeks',
    rotationPreview: 'Preview',
    rotationEmpty: 'Choose at least one contact and a date.',
    rotationOverlap: 'These slots overlap {n} slot(s) already planned: where they overlap, the one starting later wins.',
    rotationApply: 'Add these {n} slots to the schedule',
    rotationApplyNone: 'Add the slots to the schedule',
    rotationApplied: '{n} slots added to the schedule; save to apply them.',
    week: 'Week {n}',
    save: 'Save contacts and on-call',
    unsaved: 'Unsaved changes.',
    saved: 'Contacts and on-call saved.',
    err_unreachable: 'Give a phone number or an email.',
    err_unknown_contact: 'This contact does not exist (any more).',
    err_invalid_range: 'The end must come after the start.',
    err_duplicate: 'Two contacts have the same identifier.',
    err_channel: 'This contact lacks that channel: add the phone number or the email.',
  },
};

export type OnCallEditorMessageKey = Key;

/** A sentence of the contacts and on-call form in `lang`, with `{placeholders}` filled. */
export function onCallEditorText(lang: Lang, key: Key, vars?: Record<string, string | number>): string {
  return format(catalogue[lang][key], vars);
}
