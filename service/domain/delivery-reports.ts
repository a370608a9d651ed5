/** SMS providers' delivery reports: recorded on the outbox row, a failure sends the notice by the other channel, consoles refresh. */
import type { Deps } from '../context.js';
import type { DeliveryReport } from '../notify/sms/index.js';
import { deliveryState, type OutboxItem } from '../store/store.js';
import { auditDelivery, deliveryFailed } from './messages.js';

/**
 * Records what `provider` reported of the SMS it knows as `providerRef`; answers the outbox row, or undefined when no
 * row has that reference (a message purged since, or sent by another installation on the same account).
 */
export async function recordSmsReport(deps: Deps, provider: string, providerRef: string, report: DeliveryReport): Promise<OutboxItem | undefined> {
  const item = await deps.store.recordDeliveryReport(providerRef, { status: report.status, at: deps.now().toISOString(), ...(report.error ? { error: report.error } : {}) });
  // The row's id and where it stands now (a late "delivered" leaves a failure as it is); never its recipient.
  deps.log.info('sms_delivery_report', { provider, outbox: item?.id ?? null, status: report.status, state: item ? deliveryState(item) : null });
  if (!item) return undefined;
  await auditDelivery(deps, item, deliveryState(item));
  // Only a failure that stands: a "failed" arriving after "delivered" changes nothing.
  if (report.status === 'failed' && item.failedAt) await deliveryFailed(deps, item);
  if (item.messageId) {
    const message = await deps.store.getMessage(item.messageId);
    if (message) deps.events.publish({ type: 'callback.updated', practice: message.practice, ref: message.ref });
  }
  return item;
}
