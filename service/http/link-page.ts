/**
 * The small pages a signed link opens outside the console: the patient's request page (/c/…) and a practitioner's
 * acknowledgement of an urgent message (/m/…). One stylesheet, no script, no inline style, never cached.
 */
import type { Context } from 'hono';
import type { Lang } from '../../shared/i18n.js';
import { escapeHtml } from '../../shared/html.js';

/** Where the pages' stylesheet is served (routes/cancel.ts). */
export const LINK_PAGE_CSS_PATH = '/c/page.css';

/** No script, no inline style: the CSP forbids both, so an injected byte could not run anyway. */
const PAGE_CSP = "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const LINK_PAGE_CSS = `body{font:1.05rem/1.5 system-ui,sans-serif;margin:0;padding:1.5rem;color:#1b1b1b;background:#f6f7f9;overflow-wrap:anywhere}
main{max-width:34rem;margin:auto;background:#fff;padding:1.5rem;border-radius:.75rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}.notice{background:#e8f4ea;padding:.75rem;border-radius:.5rem}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.5rem;border:1px solid #a4161a;background:#a4161a;color:#fff;cursor:pointer}
.emergency{font-weight:600}.emergency a{color:#a4161a}a[href^="tel:"]{white-space:nowrap}
`;

/** A page of `body` (ready HTML) under `title` (text), in `lang`. */
export function linkPage(c: Context, lang: Lang, title: string, body: string, status: 200 | 404 = 200) {
  c.header('Content-Security-Policy', PAGE_CSP);
  // The URL carries the token: it must not sit in a shared cache (nor leave in a Referer header: every answer says no-referrer).
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex');
  return c.html(
    `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${LINK_PAGE_CSS_PATH}">
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`,
    status,
  );
}
