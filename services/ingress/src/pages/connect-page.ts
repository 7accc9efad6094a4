import { html, type SafeHtml } from '../console/html.js';
import { endUserPage } from './page.js';
import { wordsFor, type Language } from './words.js';

/** Who the page speaks for and about. */
export interface ConnectPageInput {
  readonly language: Language;
  readonly appName: string;
  readonly providerName: string;
}

/**
 * What `GET /connect/<id>` shows: the app, the provider, and one button that continues by
 * POST to the same URL (no `action`: the id stays out of the markup). Fetching this page
 * spends nothing, so a link scanner opening the URL first leaves it for the user.
 */
export function connectPage({ language, appName, providerName }: ConnectPageInput): SafeHtml {
  const words = wordsFor(language);
  const title = words.connectTitle(appName, providerName);
  return endUserPage(
    language,
    title,
    html`<h1>${title}</h1>
      <p>${words.connectLead(appName, providerName)}</p>
      <form method="post">
        <button type="submit">${words.connectButton(providerName)}</button>
      </form>
      <p class="muted">${words.connectNote(providerName)}</p>`,
  );
}

/** A link that is spent, expired or finished: what happened and what to do. */
export function linkUnusablePage(language: Language, appName: string): SafeHtml {
  const words = wordsFor(language);
  return endUserPage(
    language,
    words.linkUnusableTitle,
    html`<h1>${words.linkUnusableTitle}</h1>
      <p>${words.linkUnusableText(appName)}</p>`,
  );
}
