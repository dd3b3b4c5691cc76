import { html } from 'ghtml';

/** The console's sections, in the navigation's order. */
export const CONSOLE_SECTIONS = [
  { id: 'incidents', path: '/console/incidents', title: 'Incidents' },
  { id: 'checklists', path: '/console/checklists', title: 'Checklists' },
  { id: 'metrics', path: '/console/metrics', title: 'Response metrics' },
  { id: 'audit', path: '/console/audit', title: 'Audit log' },
] as const;

export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number]['id'];

/** Where the console's own and vendored files are served (see `register-console-routes.ts`). */
export const ASSETS = '/console/assets';

/** A page of the console. */
export interface ConsolePage {
  title: string;
  section?: ConsoleSection;
  /** Who is signed in (the person's name or identity); absent on refusals. */
  viewer?: string;
  /** The page's content: HTML built with `html` (already escaped). */
  body: string;
  /** Charts: load the chart library and the console's script. */
  charts?: boolean;
}

/**
 * The whole HTML document: landmarks (banner, navigation, main, contentinfo), a skip link, the
 * stylesheet, and scripts only as files (`defer`): the Content-Security-Policy allows no inline script or style.
 */
export function renderLayout(page: ConsolePage): string {
  const nav = CONSOLE_SECTIONS.map(
    (section) => html`<li><a href="${section.path}"!${section.id === page.section ? ' aria-current="page"' : ''}>${section.title}</a></li>`,
  );
  const charts = page.charts
    ? html`<link rel="stylesheet" href="${ASSETS}/vendor/uPlot.min.css">
<script src="${ASSETS}/vendor/uPlot.iife.min.js" defer></script>
<script src="${ASSETS}/console.js" defer></script>`
    : '';
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${page.title} · Warden console</title>
<link rel="stylesheet" href="${ASSETS}/console.css">
!${charts}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="banner">
<p class="brand"><a href="/console">Warden</a> <span class="read-only">read-only console</span></p>
<nav aria-label="Console sections"><ul>!${page.viewer === undefined ? '' : nav}</ul></nav>
!${page.viewer === undefined ? '' : html`<p class="viewer">Signed in as <strong>${page.viewer}</strong> · <a href="/console/auth/signout">Sign out</a></p>`}
</header>
<main id="main" tabindex="-1">
<h1>${page.title}</h1>
!${page.body}
</main>
<footer class="footer"><p>Times are in UTC. Responders act in chat; this console only shows.</p></footer>
</body>
</html>`}\n`;
}
