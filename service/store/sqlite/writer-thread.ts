/** The SQLite writer's thread: owns the one write connection and commits in groups (writer.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { createSealer } from '../../crypto.js';
import { migrate, openConnection, optimize } from './connection.js';
import { BatchWriter, toThreadError, type WriteJob } from './writer.js';

export interface WriterData {
  path: string;
  secretKey: string;
  previousKeys: string[];
  publicUrl: string;
  /** Modules declaring the transactions this writer runs (they register themselves by name on import). */
  transactionModules: string[];
}

/** Messages carry every job (or answer) of one turn of the event loop: a message costs more than the job it carries. */
export type ToWriter = { jobs: { id: number; job: WriteJob }[] } | { close: number };
export type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ReturnType<typeof toThreadError> };
export type FromWriter = { ready: true } | { failed: string } | { answers: Answer[] };

const data = workerData as WriterData;
const port = parentPort!;
try {
  for (const module of data.transactionModules) await import(module);
  const sealer = createSealer(data.secretKey, data.previousKeys);
  const db = openConnection(data.path);
  migrate(db, sealer);
  optimize(db, true);
  const writer = new BatchWriter(db, { sealer, publicUrl: data.publicUrl });
  // A batch's answers all settle in one sweep of microtasks after its commit: they leave together.
  const answers: Answer[] = [];
  const answer = (a: Answer) => {
    if (answers.push(a) === 1) queueMicrotask(() => port.postMessage({ answers: answers.splice(0) } satisfies FromWriter));
  };
  port.on('message', (message: ToWriter) => {
    if ('close' in message) {
      void writer.idle().then(() => {
        optimize(db);
        db.close();
        answer({ id: message.close, ok: true, value: null });
      });
      return;
    }
    for (const { id, job } of message.jobs) {
      writer.submit(job).then(
        (value) => answer({ id, ok: true, value }),
        (error: unknown) => answer({ id, ok: false, error: toThreadError(error) }),
      );
    }
  });
  port.postMessage({ ready: true } satisfies FromWriter);
} catch (err) {
  port.postMessage({ failed: err instanceof Error ? err.message : String(err) } satisfies FromWriter);
}
