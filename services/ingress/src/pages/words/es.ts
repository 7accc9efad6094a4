import type { Words } from './types.js';

export const es: Words = {
  connectTitle: ({ app, provider }) => `Conectar ${provider} con ${app}`,
  connectLead: ({ app, provider }) =>
    `${app} pide conectarse a tu cuenta de ${provider} para mantener tus datos al día.`,
  connectButton: ({ provider }) => `Continuar a ${provider}`,
  connectNote: ({ provider }) =>
    `Iniciarás sesión en ${provider} y elegirás qué compartir. Este enlace funciona una sola vez.`,
  outcomes: {
    connected: {
      title: ({ provider }) => `Tu cuenta de ${provider} está conectada`,
      what: ({ app, provider }) =>
        `${app} ya puede usar los datos de ${provider} que elegiste compartir.`,
      next: ({ app }) => `Puedes cerrar esta ventana y volver a ${app}.`,
    },
    pending: {
      title: () => 'Casi listo',
      what: ({ provider }) =>
        `Todavía estamos terminando la conexión con tu cuenta de ${provider}.`,
      next: ({ app }) =>
        `Puedes cerrar esta ventana. ${app} mostrará la conexión en breve; si no, vuelve a conectar desde ${app}.`,
    },
    denied: {
      title: ({ provider }) => `${provider} no se conectó`,
      what: ({ app, provider }) =>
        `Elegiste no dar acceso a ${app} en ${provider}. No se compartió nada.`,
      next: ({ app, provider }) =>
        `Si fue un error, empieza de nuevo desde ${app} y permite el acceso en ${provider}.`,
    },
    failed: {
      title: () => 'La conexión no funcionó',
      what: ({ app, provider }) =>
        `${app} no pudo terminar de conectar tu cuenta de ${provider}. No se cambió nada.`,
      next: ({ app }) =>
        `Vuelve a ${app} e inténtalo de nuevo. Si sigue fallando, contacta con el soporte de ${app}.`,
    },
    provider_error: {
      title: ({ provider }) => `${provider} tuvo un problema`,
      what: ({ provider }) =>
        `${provider} no pudo terminar el inicio de sesión por un problema de su parte. No se cambió nada.`,
      next: ({ app }) => `Espera unos minutos y empieza de nuevo desde ${app}.`,
    },
    account_mismatch: {
      title: ({ provider }) => `Otra cuenta de ${provider}`,
      what: ({ app, provider }) =>
        `Iniciaste sesión en una cuenta de ${provider} distinta de la conectada a ${app}. No se cambió nada.`,
      next: ({ app, provider }) =>
        `Empieza de nuevo desde ${app} e inicia sesión en ${provider} con la cuenta que conectaste antes.`,
    },
    link_expired: {
      title: () => 'Este enlace ha caducado',
      what: ({ provider }) =>
        `Los enlaces para conectar ${provider} duran poco tiempo, y este ya caducó. No se cambió nada.`,
      next: ({ app }) => `Pide a ${app} un enlace nuevo y ábrelo enseguida.`,
    },
    link_used: {
      title: () => 'Este enlace ya se usó',
      what: () =>
        'Cada enlace funciona una vez, y este ya se abrió o se completó, quizá en otro navegador o pestaña.',
      next: ({ app, provider }) =>
        `Si tu cuenta de ${provider} aún no está conectada, pide a ${app} un enlace nuevo.`,
    },
    other_browser: {
      title: () => 'Termina en el navegador donde empezaste',
      what: () =>
        'Este enlace se abrió en otro navegador, así que no se puede terminar aquí. No se cambió nada.',
      next: ({ app }) =>
        `Vuelve al navegador donde abriste el enlace, o pide a ${app} un enlace nuevo y ábrelo aquí.`,
    },
    unknown_link: {
      title: () => 'No encontramos este enlace',
      what: () => 'Puede que el enlace esté incompleto o mal copiado. No se cambió nada.',
      next: ({ app }) => `Pide a ${app} un enlace nuevo y ábrelo tal como lo recibiste.`,
    },
  },
  help: ({ app }) => `Contactar con el soporte de ${app}`,
  logoAlt: ({ app }) => `Logotipo de ${app}`,
};
