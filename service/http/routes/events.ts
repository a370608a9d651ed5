/** `GET /v1/events`: queue changes pushed to the console over Server-Sent Events, only for practices the user may see. */
import { streamSSE } from 'hono/streaming';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { canSeePractice, liveSessionUser } from '../../auth/session.js';
import { declareRoutes } from '../define.js';

/** Under the 30 s after which proxies commonly drop a silent connection, and inside SPEC's 15–25 s. */
const HEARTBEAT_MS = 20_000;

export function eventRoutes(deps: Deps, options: { heartbeatMs?: number } = {}) {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const { app, route } = declareRoutes<AppEnv>(deps);

  route(
    {
      method: 'get',
      path: '/v1/events',
      summary: 'Queue changes, as they happen',
      session: 'any',
      responses: {
        200: {
          description:
            'Server-Sent Events `callback.created` and `callback.updated`, each `{ref, practice}` in JSON, for the practices this account may see; `resync` (`{}`) when changes may have gone unheard (the instance lost its link to the others for a while): read the queue again; a heartbeat comment every 20 s',
          media: ['text/event-stream'],
        },
      },
    },
    (c) => {
      let user = c.get('user');
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        // Events are written one after another, in the order they happened, each after its access check.
        let sent = Promise.resolve();
        const unsubscribe = deps.events.subscribe(
          (event) => {
            sent = sent.then(async () => {
              // Re-read per event: an account disabled or taken off a practice hears nothing more of it, not even until the next heartbeat.
              const current = await deps.store.getUser(user.id);
              if (!current || current.disabled || !canSeePractice(current, event.practice)) return;
              await stream.writeSSE({ event: event.type, data: JSON.stringify({ ref: event.ref, practice: event.practice }) });
            }).catch(() => {});
          },
          // Changes made on other instances may have gone unheard: the console reads its views again. Nothing about any practice.
          () => {
            sent = sent.then(() => stream.writeSSE({ event: 'resync', data: '{}' })).catch(() => {});
          },
        );
        let wake: () => void = () => {};
        stream.onAbort(() => {
          unsubscribe();
          wake();
        });
        deps.log.info('events_connected', { user: user.id });
        await stream.write(': connected\nretry: 3000\n\n');
        try {
          while (!stream.aborted) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, heartbeatMs);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            if (stream.aborted) break;
            // The session may have expired, been closed or its account disabled while the stream was open; practices may have changed.
            const fresh = await liveSessionUser(deps, c);
            if (!fresh) break;
            user = fresh;
            await stream.write(': heartbeat\n\n');
          }
        } finally {
          unsubscribe();
          deps.log.info('events_closed', { user: user.id });
        }
      });
    },
  );

  return app;
}
