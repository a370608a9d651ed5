/** Entry of `console.js`: defines the console's tags (each once) and mounts the app into the page. */
import { PermanenceAlertSettings } from './alert-settings.js';
import { PermanenceAuditView } from './audit-view.js';
import { PermanenceCallbackView } from './callback-view.js';
import { PermanenceHoursEditor } from './hours-editor.js';
import { PermanenceLogin } from './login-form.js';
import { PermanencePasswordChange } from './password-change.js';
import { PermanenceMarkdownPreview } from './markdown-preview.js';
import { PermanenceMessagesView } from './messages-view.js';
import { PermanenceOutboxView } from './outbox-view.js';
import { PermanenceOnCallEditor } from './on-call-editor.js';
import { PermanenceMessageStatus } from './message-status.js';
import { PermanenceOperatorInstructions } from './operator-instructions.js';
import { PermanencePracticePanel } from './practice-panel.js';
import { PermanencePatientsView } from './patients-view.js';
import { PermanenceConsole } from './permanence-console.js';
import { PermanencePracticeEditor } from './practice-editor.js';
import { PermanencePracticesView } from './practices-view.js';
import { PermanenceQueueView } from './queue-view.js';
import { PermanenceReasonEntries } from './reason-entries.js';
import { PermanenceReportsView } from './reports-view.js';
import { PermanenceUsersView } from './users-view.js';

const tags: [string, CustomElementConstructor][] = [
  ['permanence-login', PermanenceLogin],
  ['permanence-password-change', PermanencePasswordChange],
  ['permanence-reason-entries', PermanenceReasonEntries],
  ['permanence-alert-settings', PermanenceAlertSettings],
  ['permanence-queue-view', PermanenceQueueView],
  ['permanence-operator-instructions', PermanenceOperatorInstructions],
  ['permanence-practice-panel', PermanencePracticePanel],
  ['permanence-callback-view', PermanenceCallbackView],
  ['permanence-messages-view', PermanenceMessagesView],
  ['permanence-practices-view', PermanencePracticesView],
  ['permanence-markdown-preview', PermanenceMarkdownPreview],
  ['permanence-hours-editor', PermanenceHoursEditor],
  ['permanence-practice-editor', PermanencePracticeEditor],
  ['permanence-on-call-editor', PermanenceOnCallEditor],
  ['permanence-message-status', PermanenceMessageStatus],
  ['permanence-users-view', PermanenceUsersView],
  ['permanence-reports-view', PermanenceReportsView],
  ['permanence-audit-view', PermanenceAuditView],
  ['permanence-outbox-view', PermanenceOutboxView],
  ['permanence-patients-view', PermanencePatientsView],
  // Last, so the views are known by the time it first renders.
  ['permanence-console', PermanenceConsole],
];
for (const [tag, element] of tags) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
