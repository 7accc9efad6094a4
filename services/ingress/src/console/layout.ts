import { html, type SafeHtml } from './html.js';

/** Where the console lives; the queue dashboard stays at /admin/queues. */
export const CONSOLE_PATH = '/admin';

const NAV = [
  { href: CONSOLE_PATH, label: 'Overview', key: 'overview' },
  { href: `${CONSOLE_PATH}/connections`, label: 'Connections', key: 'connections' },
  { href: `${CONSOLE_PATH}/migrations`, label: 'Migrations', key: 'migrations' },
  { href: `${CONSOLE_PATH}/queues`, label: 'Queues', key: 'queues' },
  { href: '/docs', label: 'API reference', key: 'docs' },
] as const;

/** The page frame: skip link, navigation, one `<main>` with the page's `<h1>`. */
export function layout(
  page: { title: string; nav: (typeof NAV)[number]['key'] | 'none' },
  body: SafeHtml,
): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title} · tokenlane console</title>
        <link rel="stylesheet" href="${CONSOLE_PATH}/assets/console.css" />
        <script src="${CONSOLE_PATH}/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <span class="brand">tokenlane</span>
          <nav aria-label="Console">
            <ul>
              ${NAV.map(
                (item) =>
                  html`<li>
                    <a
                      href="${item.href}"
                      ${item.key === page.nav ? html` aria-current="page"` : ''}
                      >${item.label}</a
                    >
                  </li>`,
              )}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex="-1">${body}</main>
      </body>
    </html>`;
}
