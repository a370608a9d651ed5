/** The widget's English sentences of the form and the receipt, fetched with the form: the build replaces this module by its value. */
import { theForm } from './catalogue.js';

export default theForm('en');
