/** The operator console's pages: the HTML shell at `/console/`, its script and its page stylesheet, under a strict CSP. */
import { Hono } from 'hono';
import { bundle, etagOf, sendBundle } from './assets.js';

/** No inline script or style anywhere: Lit's styles go through constructable stylesheets, which CSP does not treat as inline. */
const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const SHELL = `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>Permanence · console</title>
    <link rel="stylesheet" href="/console/console.css" />
    <script type="module" src="/console/console.js"></script>
  </head>
  <body>
    <permanence-console></permanence-console>
    <noscript>La console demande JavaScript. · The console needs JavaScript.</noscript>
  </body>
</html>
`;

/** What the page itself needs before the app draws: no margin, the background. */
const PAGE_CSS = `html { background: #f6f7f9; }
body { margin: 0; }
permanence-console:not(:defined) { display: block; min-height: 100vh; }
`;


export function consoleRoutes(distDir = 'dist') {
  const script = bundle(`${distDir}/console.js`);
  const cssEtag = etagOf(PAGE_CSS);
  const app = new Hono();

  app.use('/console/*', async function consoleHeaders(c, next) {
    await next();
    // The page's own policy; nosniff, no referrer and no framing come with every answer (http/app.ts).
    c.header('Content-Security-Policy', CONSOLE_CSP);
  });

  app.get('/console', (c) => c.redirect('/console/', 301));

  app.get('/console/', (c) => {
    // The shell holds no data; what it shows comes from the API after sign-in, so it may be cached only briefly.
    c.header('Cache-Control', 'no-cache');
    return c.html(SHELL);
  });

  // Revalidated on each load, so operators get a new build at the next reload without a stale mix; compressed as the widget is.
  app.get('/console/console.js', (c) => sendBundle(c, script(), 'no-cache'));

  app.get('/console/console.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    c.header('ETag', cssEtag);
    if (c.req.header('If-None-Match') === cssEtag) return c.body(null, 304);
    return c.body(PAGE_CSS);
  });

  return app;
}
