/** Transactions the store contract suite runs: declared in a module of their own, so a writer thread can load them without vitest. */
import { ApiProblem } from '../../../service/errors.js';
import { transaction, type NewAuditEntry } from '../../../service/store/store.js';

/** Writes audit entries, then fails when asked to: everything it wrote must vanish. */
export const auditThenMaybeFail = transaction('test.audit_then_fail', async (tx, { entries, fail }: { entries: NewAuditEntry[]; fail: 'problem' | 'error' | null }) => {
  for (const entry of entries) await tx.audit(entry);
  if (fail === 'problem') throw new ApiProblem(409, 'test_conflict', 'Refused on purpose', { name: 'invalid' }, { 'Retry-After': '7' });
  if (fail === 'error') throw new Error('failed on purpose');
  return (await tx.listAudit({ limit: 1000 })).length;
});

/** Reads what it just wrote, inside its own transaction. */
export const writeThenRead = transaction('test.write_then_read', async (tx, { action, at }: { action: string; at: string }) => {
  await tx.audit({ at, action });
  return (await tx.listAudit({ limit: 10, action })).length;
});

export const TEST_TRANSACTIONS = import.meta.url;

/** Counts the audit entries of `action`, then writes one more saying how many it saw: run at once, each must see all before it. */
export const countThenAudit = transaction('test.count_then_audit', async (tx, { action, at }: { action: string; at: string }) => {
  const seen = (await tx.listAudit({ limit: 1000, action })).length;
  await tx.audit({ at, action, details: { seen } });
  return seen;
});
