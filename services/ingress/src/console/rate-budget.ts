import type { WindowBudget } from '@tokenlane/lifecycle';
import { html, type SafeHtml } from './html.js';

const NAMED: Readonly<Record<number, string>> = {
  1: 'a second',
  60: 'a minute',
  3_600: 'an hour',
  86_400: 'a day',
};

/** "a minute", "an hour", "per 15 minutes", "per 90 seconds": how an operator says it. */
export function perWindow(seconds: number): string {
  const named = NAMED[seconds];
  if (named !== undefined) return named;
  if (seconds % 3_600 === 0) return `per ${String(seconds / 3_600)} hours`;
  if (seconds % 60 === 0) return `per ${String(seconds / 60)} minutes`;
  return `per ${String(seconds)} seconds`;
}

/**
 * A provider's rate budget in the console's provider panel: each window's limit and what is
 * left of it now (a per-user window has no single "left": its limit only).
 */
export function budgetCell(windows: readonly WindowBudget[]): SafeHtml {
  if (windows.length === 0) return html`<span class="muted">no limit set</span>`;
  return html`${windows.map((window, i) => {
    const limit = `${window.requests.toLocaleString('en')} ${perWindow(window.perSeconds)}`;
    const line =
      window.remaining === null
        ? html`${limit} per user`
        : html`${limit}: <strong>${window.remaining.toLocaleString('en')}</strong> left`;
    return i === 0 ? line : html`<br />${line}`;
  })}`;
}
