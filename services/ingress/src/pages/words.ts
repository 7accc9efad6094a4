/**
 * Every word an end user's browser sees, one catalog per language (English for now; the
 * end-user pages issue adds de, fr, es, ja under the same keys). Values are plain text: the
 * page templates escape them.
 */
export interface Words {
  readonly connectTitle: (app: string, provider: string) => string;
  readonly connectLead: (app: string, provider: string) => string;
  readonly connectButton: (provider: string) => string;
  readonly connectNote: (provider: string) => string;
  readonly linkUnusableTitle: string;
  readonly linkUnusableText: (app: string) => string;
}

const en: Words = {
  connectTitle: (app, provider) => `Connect ${provider} to ${app}`,
  connectLead: (app, provider) =>
    `${app} asks to connect to your ${provider} account, so it can keep your data up to date.`,
  connectButton: (provider) => `Continue to ${provider}`,
  connectNote: (provider) =>
    `You will sign in at ${provider} and choose what to share. This link works once.`,
  linkUnusableTitle: 'This link can no longer be used',
  linkUnusableText: (app) =>
    `It was already opened, has expired, or the connection is finished. Ask ${app} for a new link.`,
};

export const LANGUAGES = ['en'] as const;
export type Language = (typeof LANGUAGES)[number];

const CATALOG: Readonly<Record<Language, Words>> = { en };

/** The words for `language` (today always English). */
export function wordsFor(language: Language): Words {
  return CATALOG[language];
}
