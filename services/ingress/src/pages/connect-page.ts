import { html, type SafeHtml } from '../console/html.js';
import { endUserPage, type PageContext } from './page.js';
import type { Names } from './words/index.js';

/**
 * What `GET /connect/<id>` shows: the app, the provider, and one button that continues by
 * POST to the same URL (no `action`: the id stays out of the markup). Fetching this page
 * spends nothing, so a link scanner opening the URL first leaves it for the user.
 */
export function connectPage(context: PageContext, names: Names): SafeHtml {
  const { words } = context;
  const title = words.connectTitle(names);
  return endUserPage(
    context,
    names,
    title,
    html`<h1>${title}</h1>
      <p>${words.connectLead(names)}</p>
      <form method="post">
        <button type="submit">${words.connectButton(names)}</button>
      </form>
      <p class="muted">${words.connectNote(names)}</p>`,
  );
}
