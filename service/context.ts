/**
 * What every layer is handed: `Deps` (built once by server.ts, or by a test) and what middleware puts
 * on the Hono context. Imports types only, so any module may import it without making a circle.
 */
import type { Config } from './env.js';
import type { Sealer } from './crypto.js';
import type { Logger } from './log.js';
import type { Store } from './store/store.js';
import type { EventBus } from './events.js';
import type { PasswordHasher } from './auth/password.js';
import type { RetryNowResult } from './notify/outbox.js';
import type { Practice, User } from './store/store.js';

export interface Deps {
  store: Store;
  sealer: Sealer;
  log: Logger;
  events: EventBus;
  passwords: PasswordHasher;
  /** `smsUrl`: the SMS provider, whose delivery reports routes/hooks.ts checks (absent: none are accepted from Twilio). */
  config: Pick<Config, 'publicUrl' | 'trustProxy'> & Partial<Pick<Config, 'smsUrl'>>;
  /** The one clock; tests pass a fixed or stepping one. */
  now: () => Date;
  /** Called after a commit that queued outbox messages, so delivery starts at once. */
  wakeOutbox: () => void;
  /** The admins' "retry now": tries one pending or dead message at once (the outbox worker's `retryNow`). */
  retryOutbox: (id: number) => Promise<RetryNowResult>;
}

/** What middleware puts on the Hono context for the handlers after it. */
export interface AppEnv {
  Variables: {
    /** The signed-in account, set by `requireSession`. */
    user: User;
    /** The session's CSRF token, echoed by `GET /v1/me`. */
    csrf: string;
  };
}

/** What the public routes' middleware puts on the context: the practice named in the path, read once. */
export interface PublicEnv {
  Variables: {
    practice: Practice;
  };
}
