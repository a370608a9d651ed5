/**
 * Every module that declares a transaction (see `transaction()` in store/store.ts). The SQLite writer
 * runs on its own thread and finds a transaction by name: it imports this module to load them all.
 */
import './cancel.js';
import './idempotency.js';
import './intake.js';
import './messages.js';
import './practices.js';
import './retention.js';
import './signin.js';
import './users.js';
import './work.js';

/** What the composition root hands `openStore()`. */
export const TRANSACTION_MODULES = [import.meta.url];
