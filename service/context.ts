/** What middleware puts on the Hono context for the handlers after it. */
import type { User } from './store/store.js';

export interface AppEnv {
  Variables: {
    /** The signed-in account, set by `requireSession`. */
    user: User;
    /** The session's CSRF token, echoed by `GET /v1/me`. */
    csrf: string;
  };
}
