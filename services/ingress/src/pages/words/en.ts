import type { Words } from './types.js';

export const en: Words = {
  connectTitle: ({ app, provider }) => `Connect ${provider} to ${app}`,
  connectLead: ({ app, provider }) =>
    `${app} asks to connect to your ${provider} account, so it can keep your data up to date.`,
  connectButton: ({ provider }) => `Continue to ${provider}`,
  connectNote: ({ provider }) =>
    `You will sign in at ${provider} and choose what to share. This link works once.`,
  outcomes: {
    connected: {
      title: ({ provider }) => `Your ${provider} account is connected`,
      what: ({ app, provider }) => `${app} can now use the ${provider} data you chose to share.`,
      next: ({ app }) => `You can close this window and go back to ${app}.`,
    },
    pending: {
      title: () => 'Almost done',
      what: ({ provider }) => `We are still finishing the connection to your ${provider} account.`,
      next: ({ app }) =>
        `You can close this window. ${app} will show the connection shortly; if it does not, connect again from ${app}.`,
    },
    denied: {
      title: ({ provider }) => `${provider} was not connected`,
      what: ({ app, provider }) =>
        `You chose not to give ${app} access at ${provider}. Nothing was shared.`,
      next: ({ app, provider }) =>
        `If that was a mistake, start again from ${app} and allow access at ${provider}.`,
    },
    failed: {
      title: () => 'The connection did not work',
      what: ({ app, provider }) =>
        `${app} could not finish connecting your ${provider} account. Nothing was changed.`,
      next: ({ app }) =>
        `Go back to ${app} and try again. If it keeps failing, contact ${app}'s support.`,
    },
    provider_error: {
      title: ({ provider }) => `${provider} had a problem`,
      what: ({ provider }) =>
        `${provider} could not finish the sign-in because of a problem on its side. Nothing was changed.`,
      next: ({ app }) => `Wait a few minutes, then start again from ${app}.`,
    },
    account_mismatch: {
      title: ({ provider }) => `A different ${provider} account`,
      what: ({ app, provider }) =>
        `You signed in to a different ${provider} account than the one connected to ${app}. Nothing was changed.`,
      next: ({ app, provider }) =>
        `Start again from ${app} and sign in at ${provider} with the account you connected before.`,
    },
    link_expired: {
      title: () => 'This link has expired',
      what: ({ provider }) =>
        `Links to connect ${provider} work for a short time only, and this one has run out. Nothing was changed.`,
      next: ({ app }) => `Ask ${app} for a new link and open it right away.`,
    },
    link_used: {
      title: () => 'This link was already used',
      what: () =>
        'Each link works once, and this one was already opened or finished, perhaps in another browser or tab.',
      next: ({ app, provider }) =>
        `If your ${provider} account is not connected yet, ask ${app} for a new link.`,
    },
    other_browser: {
      title: () => 'Finish in the browser where you started',
      what: () =>
        'This link was opened in another browser, so it cannot be finished here. Nothing was changed.',
      next: ({ app }) =>
        `Go back to the browser where you opened the link, or ask ${app} for a new link and open it here.`,
    },
    unknown_link: {
      title: () => 'We could not find this link',
      what: () => 'The link may be incomplete or mistyped. Nothing was changed.',
      next: ({ app }) => `Ask ${app} for a new link, and open it exactly as you received it.`,
    },
  },
  help: ({ app }) => `Contact ${app} support`,
  logoAlt: ({ app }) => `${app} logo`,
};
