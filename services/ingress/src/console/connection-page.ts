import type { ConnectionView, EventView } from '@tokenlane/lifecycle';
import { statusBadge } from './connections-page.js';
import { html, when, type SafeHtml } from './html.js';
import { CONSOLE_PATH, layout } from './layout.js';

/** The three operator actions, each confirmed on a page of its own before it runs. */
export const ACTIONS = {
  refresh: {
    label: 'Refresh now',
    confirm: 'Refresh this connection now',
    explain:
      'Asks the provider for new tokens at once, even while the connection backs off from failed refreshes. Recorded as an event with trigger "operator".',
    danger: false,
  },
  revoke: {
    label: 'Revoke',
    confirm: 'Revoke this connection',
    explain:
      'Revokes the grant at the provider (best effort) and wipes the tokens. The user must link again. Recorded as connection.revoked with trigger "operator".',
    danger: true,
  },
  relink: {
    label: 'Get re-link URL',
    confirm: 'Create a re-link URL',
    explain:
      'Creates a link that re-authorizes this same connection, for you to send to its user. Whoever opens it can link their account to this connection: send it only to the user. Recorded as link.created with trigger "operator".',
    danger: false,
  },
} as const;

export type ConsoleAction = keyof typeof ACTIONS;

const DONE: Record<string, string> = {
  refresh: 'Refresh requested. The attempt appears in the timeline once the worker ran it.',
  revoke: 'Revocation requested. The connection shows revoked once the worker ran it.',
};

/** One timeline row: what happened, its outcome, code, duration and who triggered it. */
function timelineRow(event: EventView): SafeHtml {
  const data = event.data;
  const text = (key: string) => {
    const value = data[key];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;
  };
  const outcome: Record<string, [string, string]> = {
    'connection.refreshed': ['refreshed', 'outcome-ok'],
    'connection.recovered': ['recovered', 'outcome-ok'],
    'connection.created': ['linked', 'outcome-ok'],
    'connection.refresh_failed': ['failed', 'outcome-bad'],
    'connection.degraded': ['degraded', 'outcome-warn'],
    'connection.reauth_required': ['needs the user', 'outcome-bad'],
    'connection.revoked': ['revoked', 'outcome-bad'],
    'link.created': ['link made', ''],
    'link.failed': ['link failed', 'outcome-bad'],
  };
  const [label, tone] = outcome[event.type] ?? [event.type, ''];
  const duration = text('durationMs');
  const details = [
    text('attempt') === undefined ? '' : `attempt ${text('attempt')}`,
    text('nextAttemptAt') === undefined ? '' : `next ${text('nextAttemptAt')}`,
    text('reason') === undefined ? '' : `reason ${text('reason')}`,
    text('expiresAt') === undefined ? '' : `expires ${text('expiresAt')}`,
  ].filter((part) => part !== '');
  return html`<tr>
    <td>${when(event.createdAt)}</td>
    <td><code>${event.type}</code></td>
    <td class="${tone}">${label}</td>
    <td>
      ${text('code') === undefined ? html`<span class="muted">—</span>` : html`<code>${text('code')}</code>`}
    </td>
    <td class="num">
      ${duration === undefined ? html`<span class="muted">—</span>` : `${duration} ms`}
    </td>
    <td>${text('trigger') ?? html`<span class="muted">—</span>`}</td>
    <td class="muted">${details.join(', ')}</td>
  </tr>`;
}

/** `/admin/connections/:id`: the fields, the actions, the timeline of events and attempts. */
export function connectionPage(
  connection: ConnectionView,
  events: readonly EventView[],
  done: string | undefined,
): SafeHtml {
  const c = connection;
  const fields: [string, SafeHtml | string | number][] = [
    ['Id', html`<span class="mono">${c.id}</span>`],
    ['User id', c.userId],
    ['Provider', c.provider],
    ['Provider user id', c.providerUserId ?? '—'],
    ['Status', statusBadge(c.status)],
    ['Scopes', c.scopes.join(' ') || '—'],
    ['Access token expires', when(c.expiresAt)],
    ['Next refresh due', when(c.refreshDueAt)],
    ['Last refreshed', when(c.lastRefreshedAt)],
    ['Last error code', c.lastErrorCode ?? '—'],
    ['Failed attempts in a row', c.refreshAttempts],
    ['Created', when(c.createdAt)],
    ['Updated', when(c.updatedAt)],
    ['Revoked', when(c.revokedAt)],
  ];
  const notice =
    done !== undefined && DONE[done] !== undefined
      ? html`<p class="notice" role="status">${DONE[done]}</p>`
      : '';
  const actions = (Object.keys(ACTIONS) as ConsoleAction[]).map(
    (action) =>
      html`<a
        class="button${ACTIONS[action].danger ? ' danger' : ''}"
        href="${CONSOLE_PATH}/connections/${c.id}/confirm/${action}"
        >${ACTIONS[action].label}</a
      >`,
  );
  return layout(
    { title: `Connection ${c.id}`, nav: 'connections' },
    html`<p><a href="${CONSOLE_PATH}/connections">← Connections</a></p>
      <h1>Connection <span class="mono">${c.id}</span></h1>
      ${notice}
      <div class="actions">${actions}</div>
      <div class="grid">
        <section class="panel" aria-labelledby="h-fields">
          <h2 id="h-fields">Fields</h2>
          <dl class="fields">
            ${fields.map(
              ([name, value]) =>
                html`<dt>${name}</dt>
                  <dd>${value}</dd>`,
            )}
          </dl>
        </section>
      </div>
      <section aria-labelledby="h-timeline">
        <h2 id="h-timeline">Timeline</h2>
        <table>
          <caption class="muted">
            Events and refresh attempts, newest first (the latest ${events.length})
          </caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Outcome</th>
              <th scope="col">Code</th>
              <th scope="col" class="num">Duration</th>
              <th scope="col">Triggered by</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            ${
              events.length === 0
                ? html`<tr>
                    <td colspan="7" class="muted">No events.</td>
                  </tr>`
                : events.map(timelineRow)
            }
          </tbody>
        </table>
      </section>`,
  );
}

/** The confirmation step of an action: what it does, one button to run it, a way back. */
export function confirmPage(connection: ConnectionView, action: ConsoleAction): SafeHtml {
  const spec = ACTIONS[action];
  const back = `${CONSOLE_PATH}/connections/${connection.id}`;
  return layout(
    { title: spec.confirm, nav: 'connections' },
    html`<h1>${spec.confirm}?</h1>
      <p>
        Connection <span class="mono">${connection.id}</span> of user
        <strong>${connection.userId}</strong> at
        <strong>${connection.provider}</strong> (${statusBadge(connection.status)}).
      </p>
      <p>${spec.explain}</p>
      <form method="post" action="${back}/${action}" class="actions">
        <button type="submit" class="${spec.danger ? 'danger' : ''}" autofocus>
          ${spec.confirm}
        </button>
        <a class="button secondary" href="${back}">Cancel</a>
      </form>`,
  );
}

/**
 * The re-link URL, with a copy button. It is stored (encrypted) until it is opened or expires,
 * and asking again meanwhile hands out the same URL: the page says so rather than promising
 * it is gone.
 */
export function relinkPage(connection: ConnectionView, url: string, expiresAt: string): SafeHtml {
  const back = `${CONSOLE_PATH}/connections/${connection.id}`;
  return layout(
    { title: 'Re-link URL', nav: 'connections' },
    html`<h1>Re-link URL</h1>
      <p class="notice" role="status">
        A link for user <strong>${connection.userId}</strong> at
        <strong>${connection.provider}</strong>, usable until ${when(expiresAt)} and opened once.
        tokenlane keeps it, encrypted, until then: asking again before it is opened gives this same
        URL. Send it only to this user.
      </p>
      <label for="relink-url">Re-link URL</label>
      <div class="copy">
        <input id="relink-url" readonly value="${url}" />
        <button type="button" data-copy="relink-url">Copy</button>
      </div>
      <p><a href="${back}">← Back to the connection</a></p>`,
  );
}
