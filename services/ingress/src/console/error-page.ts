import { html, type SafeHtml } from './html.js';
import { CONSOLE_PATH, layout } from './layout.js';

/** What went wrong and what to do next, per status; no code, id or stack trace on a page. */
const ERROR_WORDS: Readonly<Record<number, { title: string; text: string }>> = {
  400: {
    title: 'Address not understood',
    text: 'The console does not understand this address or form. Start again from the overview.',
  },
  404: {
    title: 'Not found',
    text: 'Nothing here: the connection or migration this address names does not exist. Check the link, or find it from the overview.',
  },
  409: {
    title: 'Nothing was changed',
    text: 'This action no longer fits: what it acts on changed since the page was loaded (it may be finished, or already paused or running). Open it again to see where it stands now.',
  },
  503: {
    title: 'Try again in a moment',
    text: 'A service the console needs (Postgres or Redis) is not answering. Reload in a moment; if it lasts, check those services.',
  },
};

const FAILED = {
  title: 'Something went wrong',
  text: 'The console could not show this page. The error is in the ingress log; reload in a moment, and look there if it happens again.',
};

/** A console page for a failed request, in plain words, with a way back. */
export function errorPage(status: number): SafeHtml {
  const words = ERROR_WORDS[status] ?? FAILED;
  return layout(
    { title: words.title, nav: 'none' },
    html`<h1>${words.title}</h1>
      <p>${words.text}</p>
      <p><a href="${CONSOLE_PATH}">← Overview</a></p>`,
  );
}
