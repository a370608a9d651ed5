/** The French sentences of the widget's first screen, a chunk of their own: the build replaces this module by its value (scripts/build.js). */
import { firstScreen } from './catalogue.js';

export default firstScreen('fr');
