/**
 * The one logger: a JSON line per event on stdout/stderr. Callers pass identifiers
 * (ref, practice, channel), never what a patient wrote: no reason, no name, no note.
 */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

type Level = keyof Logger;

/** A logger writing JSON lines; `sink` lets tests collect the lines instead. */
export function createLogger(sink: (level: Level, line: string) => void = defaultSink): Logger {
  const write = (level: Level) => (event: string, fields: Record<string, unknown> = {}) =>
    sink(level, JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

function defaultSink(level: Level, line: string): void {
  (level === 'info' ? process.stdout : process.stderr).write(line + '\n');
}

/** A logger that keeps its lines, for tests that check what was (not) logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger((_level, line) => lines.push(line)), { lines });
}
