/** The SQLite writer's thread: owns the one write connection and commits in groups (writer.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { createSealer } from '../../crypto.js';
import { migrate, openConnection, optimize } from './connection.js';
import { BatchWriter, toThreadError, type WriteJob } from './writer.js';

export interface WriterData {
  path: string;
  secretKey: string;
  publicUrl: string;
  /** Modules declaring the transactions this writer runs (they register themselves by name on import). */
  transactionModules: string[];
}

export type ToWriter = { id: number; job: WriteJob } | { id: number; close: true };
export type FromWriter = { ready: true } | { failed: string } | { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ReturnType<typeof toThreadError> };

const data = workerData as WriterData;
const port = parentPort!;
try {
  for (const module of data.transactionModules) await import(module);
  const sealer = createSealer(data.secretKey);
  const db = openConnection(data.path);
  migrate(db, sealer);
  optimize(db, true);
  const writer = new BatchWriter(db, { sealer, publicUrl: data.publicUrl });
  port.on('message', (message: ToWriter) => {
    if ('close' in message) {
      void writer.idle().then(() => {
        optimize(db);
        db.close();
        port.postMessage({ id: message.id, ok: true, value: null } satisfies FromWriter);
      });
      return;
    }
    writer.submit(message.job).then(
      (value) => port.postMessage({ id: message.id, ok: true, value } satisfies FromWriter),
      (error: unknown) => port.postMessage({ id: message.id, ok: false, error: toThreadError(error) } satisfies FromWriter),
    );
  });
  port.postMessage({ ready: true } satisfies FromWriter);
} catch (err) {
  port.postMessage({ failed: err instanceof Error ? err.message : String(err) } satisfies FromWriter);
}
