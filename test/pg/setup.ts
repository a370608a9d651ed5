/** The PostgreSQL project's setup file: a test's databases are emptied for the next once it is over, and dropped with the file. */
import { afterAll, afterEach, expect } from 'vitest';
import { releaseDatabases } from './store.js';

afterEach(async () => {
  await releaseDatabases('test', expect.getState().currentTestName);
});

afterAll(async () => {
  await releaseDatabases('file');
});
