/** When a request will be called back, in words: the same in the widget's choices and receipt, the confirmations and the cancel page. */
import type { Catalogue } from '../i18n.js';

type Key = 'asap' | 'today' | 'tomorrow' | 'between' | 'from';

export const dueMessages: Catalogue<Key> = {
  fr: {
    asap: 'dès que possible',
    today: 'aujourd’hui',
    tomorrow: 'demain',
    between: '{day} entre {from} et {to}',
    from: '{day} à partir de {time}',
  },
  en: {
    asap: 'as soon as possible',
    today: 'today',
    tomorrow: 'tomorrow',
    between: '{day} between {from} and {to}',
    from: '{day} from {time}',
  },
};
