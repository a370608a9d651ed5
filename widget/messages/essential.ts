/**
 * The one sentence the widget needs in both languages before a language's chunk has come, or when it cannot come:
 * built into the entry as its values alone (scripts/build.js), not as the catalogue it is read from.
 */
import { widgetMessages } from '../../shared/messages/widget.js';

export default { fr: widgetMessages.fr.unavailable, en: widgetMessages.en.unavailable };
