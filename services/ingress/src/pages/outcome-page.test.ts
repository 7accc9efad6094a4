import { describe, expect, it } from 'vitest';
import { escapeHtml as escape } from '../console/html.js';
import { outcomeOfFailure, outcomePage } from './outcome-page.js';
import { endUserCsp, type Brand, type PageContext } from './page.js';
import { LANGUAGES, OUTCOMES, wordsFor, type Language } from './words/index.js';

const brand: Brand = { appName: 'Acme <b>Health</b> & "Co"' };
const context = (language: Language, own: Brand = brand): PageContext => ({
  brand: own,
  language,
  words: wordsFor(language),
});
const names = { app: brand.appName, provider: 'Fit<script>bit' };

describe('outcome pages', () => {
  it.each(LANGUAGES)(
    'render every outcome in %s: named, escaped, no script, phone-sized',
    (language) => {
      for (const outcome of OUTCOMES) {
        const page = outcomePage(context(language), names, outcome).text;
        expect(page).toContain(`<html lang="${language}">`);
        expect(page).toContain(
          '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        );
        expect(page).toContain('Acme &lt;b&gt;Health&lt;/b&gt; &amp; &quot;Co&quot;');
        expect(page).not.toContain('<b>Health');
        expect(page).not.toMatch(/<script|Fit<script/);
        expect(page).toContain(
          `<h1>${escape(wordsFor(language).outcomes[outcome].title(names))}</h1>`,
        );
      }
    },
  );

  it('show the logo and the support link when configured, and the CSP allows only that origin', () => {
    const branded: Brand = {
      ...brand,
      logoUrl: 'https://cdn.example/a/logo.png?v=2',
      supportUrl: 'https://help.example/contact',
    };
    const page = outcomePage(context('de', branded), names, 'connected').text;
    expect(page).toContain('<img src="https://cdn.example/a/logo.png?v=2" alt="Logo von Acme');
    expect(page).toContain('<a href="https://help.example/contact">Support von Acme');
    expect(endUserCsp(branded)).toContain('; img-src https://cdn.example;');
    expect(endUserCsp(brand)).not.toContain('img-src');
    expect(endUserCsp(brand)).toMatch(
      /^default-src 'none'; style-src 'sha256-[\w+/=]+'; base-uri 'none'; frame-ancestors 'none'$/,
    );
    expect(outcomePage(context('en'), names, 'connected').text).not.toMatch(/<img|<a /);
  });

  it.each([
    ['access_denied', 'denied'],
    ['account_mismatch', 'account_mismatch'],
    ['server_error', 'provider_error'],
    ['temporarily_unavailable', 'provider_error'],
    ['authorization_failed', 'provider_error'],
    ['provider_unavailable', 'provider_error'],
    ['invalid_grant', 'failed'],
    ['exchange_failed', 'failed'],
    ['link_cancelled', 'failed'],
    ['invalid_pin', 'failed'],
  ] as const)('a link failed with %s reads as %s', (code, outcome) => {
    expect(outcomeOfFailure(code)).toBe(outcome);
  });
});
