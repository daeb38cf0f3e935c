/** Where the page's files are served from (see createWebRouter). */
export const ASSETS_PATH = "/assets";

export type RenderPageShellOptions = {
  /** where the script finds the REST API and its event streams, e.g. `/api/v1` */
  apiBase: string;
};

/**
 * The one HTML document behind `/`, `/syncs/:syncId` (and its changes and compare views), a file's page and a
 * repository's search: no data, no inline script or style (the CSP is `default-src 'self'`); app.js reads the API
 * base from a meta tag and renders the view for `location.pathname`.
 */
export function renderPageShell({ apiBase }: RenderPageShellOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="project-sync-api" content="${escapeAttribute(apiBase)}">
<title>Project Sync</title>
<link rel="icon" href="${ASSETS_PATH}/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${ASSETS_PATH}/app.css">
<script type="module" src="${ASSETS_PATH}/app.js"></script>
</head>
<body>
<header class="site-header"><a href="/" class="brand">Project Sync</a><nav id="account" class="account" aria-label="Account"></nav></header>
<div id="notices"></div>
<main id="app"><p class="muted">Loading…</p></main>
<noscript><p>The status page needs JavaScript. The same data is in the REST API under ${escapeText(apiBase)} and in the command-line tool.</p></noscript>
</body>
</html>
`;
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

const escapeText = escapeAttribute;
