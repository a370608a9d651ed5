/** What the PostgreSQL project's global setup hands the test files (vitest's `provide` / `inject`). */

/** The database every test database is copied from, migrated once per run. */
export const TEMPLATE = 'permanence_template';

export interface PostgresContext {
  /** The cluster's maintenance database, where test databases are created and dropped. */
  url: string;
  /** The cluster's data folder, for tests that read what PostgreSQL wrote to disk. */
  dataDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresContext;
  }
}
