/**
 * Entry of the form's chunk: the callback form with its validation, triage, receipt and emergency panel. The widget
 * imports it when the patient reaches or opens the form, or once the browser is idle (permanence-widget.ts, told how
 * by index.ts).
 */
// Defined already when the form comes; imported so that the build puts the first screen's code in one chunk with what
// it shares with the form (Lit's templates, the hours, the API client), rather than half in widget.js: two files
// gzipped apart weighed half a kilobyte more.
import './first-screen.js';
import { PermanenceCallbackForm } from './callback-form.js';
import { PermanenceCallbackReceipt } from './callback-receipt.js';
import { PermanenceEmergencyPanel } from './emergency-panel.js';
import { defineOnce } from './define.js';

// Inner elements first, so each is known by the time the one holding it first renders.
defineOnce({
  'permanence-emergency-panel': PermanenceEmergencyPanel,
  'permanence-callback-receipt': PermanenceCallbackReceipt,
  'permanence-callback-form': PermanenceCallbackForm,
});

export { PermanenceCallbackForm, PermanenceCallbackReceipt, PermanenceEmergencyPanel };
