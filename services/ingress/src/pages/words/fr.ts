import type { Words } from './types.js';

export const fr: Words = {
  connectTitle: ({ app, provider }) => `Connecter ${provider} à ${app}`,
  connectLead: ({ app, provider }) =>
    `${app} demande à se connecter à votre compte ${provider} pour garder vos données à jour.`,
  connectButton: ({ provider }) => `Continuer vers ${provider}`,
  connectNote: ({ provider }) =>
    `Vous vous connecterez sur ${provider} et choisirez ce que vous partagez. Ce lien ne fonctionne qu’une fois.`,
  outcomes: {
    connected: {
      title: ({ provider }) => `Votre compte ${provider} est connecté`,
      what: ({ app, provider }) =>
        `${app} peut maintenant utiliser les données ${provider} que vous avez choisi de partager.`,
      next: ({ app }) => `Vous pouvez fermer cette fenêtre et revenir à ${app}.`,
    },
    pending: {
      title: () => 'Presque terminé',
      what: ({ provider }) =>
        `La connexion à votre compte ${provider} est en cours de finalisation.`,
      next: ({ app }) =>
        `Vous pouvez fermer cette fenêtre. ${app} affichera la connexion sous peu ; sinon, reconnectez-vous depuis ${app}.`,
    },
    denied: {
      title: ({ provider }) => `${provider} n’a pas été connecté`,
      what: ({ app, provider }) =>
        `Vous avez choisi de ne pas donner accès à ${app} sur ${provider}. Rien n’a été partagé.`,
      next: ({ app, provider }) =>
        `Si c’était une erreur, recommencez depuis ${app} et autorisez l’accès sur ${provider}.`,
    },
    failed: {
      title: () => 'La connexion n’a pas abouti',
      what: ({ app, provider }) =>
        `${app} n’a pas pu terminer la connexion de votre compte ${provider}. Rien n’a été modifié.`,
      next: ({ app }) =>
        `Revenez à ${app} et réessayez. Si cela échoue encore, contactez le support de ${app}.`,
    },
    provider_error: {
      title: ({ provider }) => `${provider} a rencontré un problème`,
      what: ({ provider }) =>
        `${provider} n’a pas pu terminer la connexion à cause d’un problème de son côté. Rien n’a été modifié.`,
      next: ({ app }) => `Patientez quelques minutes, puis recommencez depuis ${app}.`,
    },
    account_mismatch: {
      title: ({ provider }) => `Un autre compte ${provider}`,
      what: ({ app, provider }) =>
        `Vous vous êtes connecté à un autre compte ${provider} que celui relié à ${app}. Rien n’a été modifié.`,
      next: ({ app, provider }) =>
        `Recommencez depuis ${app} et connectez-vous sur ${provider} avec le compte relié auparavant.`,
    },
    link_expired: {
      title: () => 'Ce lien a expiré',
      what: ({ provider }) =>
        `Les liens pour connecter ${provider} ne sont valables que peu de temps, et celui-ci a expiré. Rien n’a été modifié.`,
      next: ({ app }) => `Demandez un nouveau lien à ${app} et ouvrez-le tout de suite.`,
    },
    link_used: {
      title: () => 'Ce lien a déjà été utilisé',
      what: () =>
        'Chaque lien ne fonctionne qu’une fois, et celui-ci a déjà été ouvert ou terminé, peut-être dans un autre navigateur ou onglet.',
      next: ({ app, provider }) =>
        `Si votre compte ${provider} n’est pas encore connecté, demandez un nouveau lien à ${app}.`,
    },
    other_browser: {
      title: () => 'Terminez dans le navigateur où vous avez commencé',
      what: () =>
        'Ce lien a été ouvert dans un autre navigateur et ne peut pas être terminé ici. Rien n’a été modifié.',
      next: ({ app }) =>
        `Revenez au navigateur où vous avez ouvert le lien, ou demandez un nouveau lien à ${app} et ouvrez-le ici.`,
    },
    unknown_link: {
      title: () => 'Ce lien est introuvable',
      what: () => 'Le lien est peut-être incomplet ou mal recopié. Rien n’a été modifié.',
      next: ({ app }) =>
        `Demandez un nouveau lien à ${app} et ouvrez-le exactement tel que vous l’avez reçu.`,
    },
  },
  help: ({ app }) => `Contacter le support de ${app}`,
  logoAlt: ({ app }) => `Logo de ${app}`,
};
