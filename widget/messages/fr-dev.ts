/** What the widget tells a webmaster in French in the browser console, fetched only when the snippet is wrong: the build replaces this module by its value. */
import { forTheConsole } from './catalogue.js';

export default forTheConsole('fr');
