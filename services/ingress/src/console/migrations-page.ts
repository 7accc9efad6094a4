import type { MigrationView } from '@tokenlane/lifecycle';
import { html, when, type SafeHtml } from './html.js';
import { CONSOLE_PATH, layout } from './layout.js';
import {
  actionsFor,
  MIGRATION_ACTIONS,
  MODE_WORDS,
  stateExplanation,
  stateLine,
  type MigrationAction,
} from './migration-words.js';

/** A provider's display name, for the sentences that explain a state. */
export type ProviderName = (id: string) => string;

export const migrationPath = (id: string) => `${CONSOLE_PATH}/migrations/${id}`;

const COUNTS = [
  ['total', 'Total'],
  ['pending', 'Pending'],
  ['migrated', 'Moved'],
  ['awaitingConsent', 'Awaiting consent'],
  ['reauthRequired', 'Needs the user'],
  ['failed', 'Failed'],
  ['skipped', 'Skipped'],
] as const;

const mode = (m: MigrationView) => `${MODE_WORDS[m.mode]}${m.dryRun ? ' (dry run)' : ''}`;
const tone = (m: MigrationView) =>
  m.status === 'paused' ? 'outcome-bad' : m.status === 'running' ? 'outcome-ok' : '';

function row(m: MigrationView): SafeHtml {
  return html`<tr>
    <th scope="row"><a href="${migrationPath(m.id)}">${m.from} → ${m.to}</a></th>
    <td>${mode(m)}</td>
    <td class="${tone(m)}">${stateLine(m)}</td>
    ${COUNTS.map(([key]) => html`<td class="num">${m.counts[key]}</td>`)}
    <td>${when(m.createdAt)}</td>
    <td>${when(m.finishedAt)}</td>
  </tr>`;
}

/** `/admin/migrations`: every provider migration, newest first, with its state and counts. */
export function migrationsPage(migrations: readonly MigrationView[]): SafeHtml {
  return layout(
    { title: 'Migrations', nav: 'migrations' },
    html`<h1>Migrations</h1>
      <p class="muted">
        Provider migrations move connections to a provider's successor (docs/migrations.md). Open
        one to pause, resume or cancel it.
      </p>
      <div class="scroll">
        <table>
          <caption class="muted">
            Migrations, newest first (the latest ${migrations.length}), connections by outcome
          </caption>
          <thead>
            <tr>
              <th scope="col">From → to</th>
              <th scope="col">Mode</th>
              <th scope="col">State</th>
              ${COUNTS.map(([, label]) => html`<th scope="col" class="num">${label}</th>`)}
              <th scope="col">Created</th>
              <th scope="col">Finished</th>
            </tr>
          </thead>
          <tbody>
            ${
              migrations.length === 0
                ? html`<tr>
                    <td colspan="${COUNTS.length + 5}" class="muted">No migration yet.</td>
                  </tr>`
                : migrations.map(row)
            }
          </tbody>
        </table>
      </div>`,
  );
}

/** `/admin/migrations/:id`: the state in plain words, the actions that apply, the counts. */
export function migrationPage(
  m: MigrationView,
  providerName: ProviderName,
  done: MigrationAction | undefined,
): SafeHtml {
  const fields: [string, SafeHtml | string][] = [
    ['Id', html`<span class="mono">${m.id}</span>`],
    ['From', `${providerName(m.from)} (${m.from})`],
    ['To', `${providerName(m.to)} (${m.to})`],
    ['Mode', mode(m)],
    ['State', stateLine(m)],
    ['Created', when(m.createdAt)],
    ['Finished', when(m.finishedAt)],
  ];
  const actions = actionsFor(m).map(
    (action) =>
      html`<a
        class="button${MIGRATION_ACTIONS[action].danger ? ' danger' : ''}"
        href="${migrationPath(m.id)}/confirm/${action}"
        >${MIGRATION_ACTIONS[action].label}</a
      >`,
  );
  return layout(
    { title: `Migration ${m.from} → ${m.to}`, nav: 'migrations' },
    html`<p><a href="${CONSOLE_PATH}/migrations">← Migrations</a></p>
      <h1>Migration ${m.from} → ${m.to}</h1>
      ${done === undefined ? '' : html`<p class="notice" role="status">${MIGRATION_ACTIONS[done].done}</p>`}
      <p class="notice${m.status === 'paused' ? ' bad' : ''}">
        <strong>${stateLine(m)}.</strong> ${stateExplanation(m, providerName(m.from))}
      </p>
      ${actions.length === 0 ? '' : html`<div class="actions">${actions}</div>`}
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
        <section class="panel" aria-labelledby="h-counts">
          <h2 id="h-counts">Connections by outcome</h2>
          <dl class="fields">
            ${COUNTS.map(
              ([key, label]) =>
                html`<dt>${label}</dt>
                  <dd>${m.counts[key]}</dd>`,
            )}
          </dl>
        </section>
      </div>`,
  );
}

/** The confirmation step of a migration action: what it does, one button, a way back. */
export function migrationConfirmPage(m: MigrationView, action: MigrationAction): SafeHtml {
  const spec = MIGRATION_ACTIONS[action];
  const back = migrationPath(m.id);
  return layout(
    { title: spec.confirm, nav: 'migrations' },
    html`<h1>${spec.confirm}?</h1>
      <p>
        Migration <strong>${m.from} → ${m.to}</strong> (${stateLine(m)}), ${m.counts.pending} of
        ${m.counts.total} connections pending.
      </p>
      <p>${spec.explain}</p>
      <form method="post" action="${back}/${action}" class="actions">
        <button type="submit" class="${spec.danger ? 'danger' : ''}" autofocus>
          ${spec.confirm}
        </button>
        <a class="button secondary" href="${back}">Go back</a>
      </form>`,
  );
}
