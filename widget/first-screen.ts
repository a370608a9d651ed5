/** The elements of the widget's first screen (the card, the hours, the instructions), defined once each. */
import { defineOnce } from './define.js';
import { PermanenceHoursPanel } from './hours-panel.js';
import { PermanenceInstructions } from './instructions-view.js';
import { PermanenceWidget } from './permanence-widget.js';

// The widget last, so its children are known by the time it first renders.
defineOnce({
  'permanence-hours-panel': PermanenceHoursPanel,
  'permanence-instructions': PermanenceInstructions,
  'permanence-widget': PermanenceWidget,
});

export { PermanenceWidget, PermanenceHoursPanel, PermanenceInstructions };
