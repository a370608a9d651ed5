/**
 * Entry of `widget.js`: the first screen (first-screen.ts), and where the callback form's chunk is (form.ts), fetched
 * by the widget when needed; each language's sentences are chunks too (messages.ts).
 */
// First, so that it runs first: it asks for the practices' configurations while the rest is set up.
import './prefetch.js';
import { setFormChunk } from './permanence-widget.js';

setFormChunk(() => import('./form.js'));

export { PermanenceWidget, PermanenceHoursPanel, PermanenceInstructions } from './first-screen.js';
export { PermanenceErrorEvent, PermanenceReadyEvent, PermanenceSubmittedEvent } from './events.js';
