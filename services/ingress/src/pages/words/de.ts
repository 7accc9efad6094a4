import type { Words } from './types.js';

export const de: Words = {
  connectTitle: ({ app, provider }) => `${provider} mit ${app} verbinden`,
  connectLead: ({ app, provider }) =>
    `${app} möchte sich mit Ihrem ${provider}-Konto verbinden, um Ihre Daten aktuell zu halten.`,
  connectButton: ({ provider }) => `Weiter zu ${provider}`,
  connectNote: ({ provider }) =>
    `Sie melden sich bei ${provider} an und wählen, was Sie teilen. Dieser Link funktioniert einmal.`,
  outcomes: {
    connected: {
      title: ({ provider }) => `Ihr ${provider}-Konto ist verbunden`,
      what: ({ app, provider }) =>
        `${app} kann jetzt die ${provider}-Daten nutzen, die Sie freigegeben haben.`,
      next: ({ app }) => `Sie können dieses Fenster schließen und zu ${app} zurückkehren.`,
    },
    pending: {
      title: () => 'Fast geschafft',
      what: ({ provider }) => `Die Verbindung zu Ihrem ${provider}-Konto wird noch fertiggestellt.`,
      next: ({ app }) =>
        `Sie können dieses Fenster schließen. ${app} zeigt die Verbindung in Kürze an; falls nicht, verbinden Sie sich erneut über ${app}.`,
    },
    denied: {
      title: ({ provider }) => `${provider} wurde nicht verbunden`,
      what: ({ app, provider }) =>
        `Sie haben ${app} bei ${provider} keinen Zugriff gegeben. Es wurde nichts geteilt.`,
      next: ({ app, provider }) =>
        `War das ein Versehen, beginnen Sie erneut über ${app} und erlauben Sie den Zugriff bei ${provider}.`,
    },
    failed: {
      title: () => 'Die Verbindung hat nicht geklappt',
      what: ({ app, provider }) =>
        `${app} konnte die Verbindung mit Ihrem ${provider}-Konto nicht abschließen. Es wurde nichts geändert.`,
      next: ({ app }) =>
        `Kehren Sie zu ${app} zurück und versuchen Sie es erneut. Klappt es weiterhin nicht, wenden Sie sich an den Support von ${app}.`,
    },
    provider_error: {
      title: ({ provider }) => `${provider} hatte ein Problem`,
      what: ({ provider }) =>
        `${provider} konnte die Anmeldung wegen eines Problems auf seiner Seite nicht abschließen. Es wurde nichts geändert.`,
      next: ({ app }) => `Warten Sie ein paar Minuten und beginnen Sie dann erneut über ${app}.`,
    },
    account_mismatch: {
      title: ({ provider }) => `Ein anderes ${provider}-Konto`,
      what: ({ app, provider }) =>
        `Sie haben sich bei einem anderen ${provider}-Konto angemeldet als dem, das mit ${app} verbunden ist. Es wurde nichts geändert.`,
      next: ({ app, provider }) =>
        `Beginnen Sie erneut über ${app} und melden Sie sich bei ${provider} mit dem Konto an, das Sie zuvor verbunden haben.`,
    },
    link_expired: {
      title: () => 'Dieser Link ist abgelaufen',
      what: ({ provider }) =>
        `Links zum Verbinden von ${provider} gelten nur kurze Zeit, und dieser ist abgelaufen. Es wurde nichts geändert.`,
      next: ({ app }) => `Bitten Sie ${app} um einen neuen Link und öffnen Sie ihn gleich.`,
    },
    link_used: {
      title: () => 'Dieser Link wurde bereits verwendet',
      what: () =>
        'Jeder Link funktioniert einmal, und dieser wurde schon geöffnet oder abgeschlossen, vielleicht in einem anderen Browser oder Tab.',
      next: ({ app, provider }) =>
        `Ist Ihr ${provider}-Konto noch nicht verbunden, bitten Sie ${app} um einen neuen Link.`,
    },
    other_browser: {
      title: () => 'Schließen Sie im Browser ab, in dem Sie begonnen haben',
      what: () =>
        'Dieser Link wurde in einem anderen Browser geöffnet und kann hier nicht abgeschlossen werden. Es wurde nichts geändert.',
      next: ({ app }) =>
        `Kehren Sie zu dem Browser zurück, in dem Sie den Link geöffnet haben, oder bitten Sie ${app} um einen neuen Link und öffnen Sie ihn hier.`,
    },
    unknown_link: {
      title: () => 'Dieser Link wurde nicht gefunden',
      what: () =>
        'Der Link ist vielleicht unvollständig oder falsch abgeschrieben. Es wurde nichts geändert.',
      next: ({ app }) =>
        `Bitten Sie ${app} um einen neuen Link und öffnen Sie ihn genau so, wie Sie ihn erhalten haben.`,
    },
  },
  help: ({ app }) => `Support von ${app} kontaktieren`,
  logoAlt: ({ app }) => `Logo von ${app}`,
};
