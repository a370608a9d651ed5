/** Entry of `widget.js`: defines the widget's tags, each only once, because host pages sometimes load the script twice. */
import { PermanenceCallbackForm } from './callback-form.js';
import { PermanenceCallbackReceipt } from './callback-receipt.js';
import { PermanenceEmergencyPanel } from './emergency-panel.js';
import { PermanenceHoursPanel } from './hours-panel.js';
import { PermanenceInstructions } from './instructions-view.js';
import { PermanenceWidget } from './permanence-widget.js';

const tags: [string, CustomElementConstructor][] = [
  ['permanence-hours-panel', PermanenceHoursPanel],
  ['permanence-instructions', PermanenceInstructions],
  ['permanence-emergency-panel', PermanenceEmergencyPanel],
  ['permanence-callback-receipt', PermanenceCallbackReceipt],
  ['permanence-callback-form', PermanenceCallbackForm],
  // Last, so its children are known by the time it first renders.
  ['permanence-widget', PermanenceWidget],
];
for (const [tag, element] of tags) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

export { PermanenceWidget, PermanenceCallbackForm, PermanenceCallbackReceipt, PermanenceEmergencyPanel, PermanenceHoursPanel, PermanenceInstructions };
export { PermanenceErrorEvent, PermanenceReadyEvent, PermanenceSubmittedEvent } from './events.js';
