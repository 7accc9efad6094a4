import type { Words } from './types.js';

export const ja: Words = {
  connectTitle: ({ app, provider }) => `${provider} を ${app} に接続`,
  connectLead: ({ app, provider }) =>
    `${app} が、データを最新に保つため、あなたの ${provider} アカウントへの接続を求めています。`,
  connectButton: ({ provider }) => `${provider} へ進む`,
  connectNote: ({ provider }) =>
    `${provider} にサインインし、共有する内容を選びます。このリンクは一度だけ使えます。`,
  outcomes: {
    connected: {
      title: ({ provider }) => `${provider} アカウントが接続されました`,
      what: ({ app, provider }) =>
        `${app} は、あなたが共有を選んだ ${provider} のデータを使えるようになりました。`,
      next: ({ app }) => `このウィンドウを閉じて ${app} に戻ってください。`,
    },
    pending: {
      title: () => 'もう少しで完了です',
      what: ({ provider }) => `${provider} アカウントとの接続を仕上げています。`,
      next: ({ app }) =>
        `このウィンドウは閉じてかまいません。まもなく ${app} に接続が表示されます。表示されない場合は ${app} からもう一度接続してください。`,
    },
    denied: {
      title: ({ provider }) => `${provider} は接続されませんでした`,
      what: ({ app, provider }) =>
        `${provider} で ${app} へのアクセスを許可しませんでした。何も共有されていません。`,
      next: ({ app, provider }) =>
        `誤りだった場合は、${app} からやり直し、${provider} でアクセスを許可してください。`,
    },
    failed: {
      title: () => '接続できませんでした',
      what: ({ app, provider }) =>
        `${app} は ${provider} アカウントの接続を完了できませんでした。何も変更されていません。`,
      next: ({ app }) =>
        `${app} に戻ってもう一度お試しください。繰り返し失敗する場合は ${app} のサポートにお問い合わせください。`,
    },
    provider_error: {
      title: ({ provider }) => `${provider} で問題が発生しました`,
      what: ({ provider }) =>
        `${provider} 側の問題により、サインインを完了できませんでした。何も変更されていません。`,
      next: ({ app }) => `数分待ってから、${app} からやり直してください。`,
    },
    account_mismatch: {
      title: ({ provider }) => `別の ${provider} アカウントです`,
      what: ({ app, provider }) =>
        `${app} に接続されているものとは別の ${provider} アカウントでサインインしました。何も変更されていません。`,
      next: ({ app, provider }) =>
        `${app} からやり直し、以前に接続したアカウントで ${provider} にサインインしてください。`,
    },
    link_expired: {
      title: () => 'このリンクは期限切れです',
      what: ({ provider }) =>
        `${provider} を接続するリンクの有効期間は短く、このリンクは期限が切れました。何も変更されていません。`,
      next: ({ app }) => `${app} に新しいリンクを依頼し、すぐに開いてください。`,
    },
    link_used: {
      title: () => 'このリンクは使用済みです',
      what: () =>
        '各リンクは一度だけ使えます。このリンクは、別のブラウザやタブで、すでに開かれたか完了しています。',
      next: ({ app, provider }) =>
        `${provider} アカウントがまだ接続されていない場合は、${app} に新しいリンクを依頼してください。`,
    },
    other_browser: {
      title: () => '始めたブラウザで完了してください',
      what: () =>
        'このリンクは別のブラウザで開かれたため、ここでは完了できません。何も変更されていません。',
      next: ({ app }) =>
        `リンクを開いたブラウザに戻るか、${app} に新しいリンクを依頼してこのブラウザで開いてください。`,
    },
    unknown_link: {
      title: () => 'このリンクは見つかりませんでした',
      what: () =>
        'リンクが途中で切れているか、誤って写されている可能性があります。何も変更されていません。',
      next: ({ app }) => `${app} に新しいリンクを依頼し、受け取ったとおりに開いてください。`,
    },
  },
  help: ({ app }) => `${app} のサポートに問い合わせる`,
  logoAlt: ({ app }) => `${app} のロゴ`,
};
