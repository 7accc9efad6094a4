import type { MigrationView } from '@tokenlane/lifecycle';
import { refreshChart } from './chart.js';
import { CHART_HOURS, type Overview } from './data.js';
import { html, queryString, type SafeHtml } from './html.js';
import { CONSOLE_PATH, layout } from './layout.js';
import { stateLine } from './migration-words.js';
import { migrationPath } from './migrations-page.js';
import { budgetCell } from './rate-budget.js';

const listLink = (filters: Record<string, string>) =>
  `${CONSOLE_PATH}/connections${queryString(filters)}`;

/** One open migration in a line: its state in plain words and how far it got. */
function migrationLine(m: MigrationView): SafeHtml {
  const decided = m.counts.total - m.counts.pending;
  return html`<li>
    <a href="${migrationPath(m.id)}">${m.from} → ${m.to}</a>:
    <span class="${m.status === 'paused' ? 'outcome-bad' : ''}">${stateLine(m)}</span>,
    <progress max="${m.counts.total}" value="${decided}">${decided} of ${m.counts.total}</progress>
    ${decided} of ${m.counts.total} decided
    ${m.status === 'paused' ? html` (<a href="${migrationPath(m.id)}">what to do</a>)` : ''}
  </li>`;
}

/** Refreshes this late trip the TokenlaneRefreshLag alert too (deploy/prometheus/alerts.yml). */
export const LAG_WARNING_SECONDS = 600;

/** A line on top of the overview when refreshes fall behind, saying where to look. */
function lagNotice(lagSeconds: number): SafeHtml | string {
  if (lagSeconds < LAG_WARNING_SECONDS) return '';
  const minutes = Math.floor(lagSeconds / 60);
  return html`<p class="notice bad" role="alert">
    Refreshes are behind: a connection is ${minutes} minutes past the time its token should have
    been refreshed. Check that the workers are running and look at the
    <a href="${CONSOLE_PATH}/queues">queues</a> and provider health below.
  </p>`;
}

/** `/admin`: connections per provider and status, the refresh chart, provider health. */
export function overviewPage(overview: Overview): SafeHtml {
  const providers = [...overview.counts.keys()].sort();
  const totals = overview.statuses.map((status) =>
    providers.reduce((sum, p) => sum + (overview.counts.get(p)?.get(status) ?? 0), 0),
  );
  const counts = html`<div class="scroll">
    <table>
      <caption class="muted">
        Connections by provider and status
      </caption>
      <thead>
        <tr>
          <th scope="col">Provider</th>
          ${overview.statuses.map((status) => html`<th scope="col" class="num">${status}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${providers.map(
          (provider) =>
            html`<tr>
              <th scope="row"><a href="${listLink({ provider })}">${provider}</a></th>
              ${overview.statuses.map((status) => {
                const n = overview.counts.get(provider)?.get(status) ?? 0;
                return html`<td class="num">
                  ${n === 0 ? html`<span class="muted">0</span>` : html`<a href="${listLink({ provider, status })}">${n}</a>`}
                </td>`;
              })}
            </tr>`,
        )}
        ${
          providers.length === 0
            ? html`<tr>
                <td colspan="${overview.statuses.length + 1}" class="muted">No connections yet.</td>
              </tr>`
            : ''
        }
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">All</th>
          ${totals.map((n) => html`<td class="num">${n}</td>`)}
        </tr>
      </tfoot>
    </table>
  </div>`;

  const health = html`<table>
    <caption class="muted">
      Configured providers; the breaker pauses one that refuses our credentials or keeps failing.
      The rate budget is shared by refreshes, identity look-ups and proxied calls.
    </caption>
    <thead>
      <tr>
        <th scope="col">Provider</th>
        <th scope="col">Refreshes</th>
        <th scope="col">Rate budget</th>
      </tr>
    </thead>
    <tbody>
      ${overview.health.map(
        ({ provider, healthy }) =>
          html`<tr>
            <th scope="row">${provider}</th>
            <td class="${healthy ? 'healthy' : 'unhealthy'}">
              ${healthy ? 'healthy' : 'paused (unhealthy)'}
            </td>
            <td>${budgetCell(overview.budgets.get(provider) ?? [])}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;

  const migrations = html`${
      overview.migrations.length === 0
        ? html`<p class="muted">No provider migration is running.</p>`
        : html`<ul>
            ${overview.migrations.map(migrationLine)}
          </ul>`
    }
    <p><a href="${CONSOLE_PATH}/migrations">All migrations</a></p>`;

  return layout(
    { title: 'Overview', nav: 'overview' },
    html`<h1>Overview</h1>
      ${lagNotice(overview.refreshLagSeconds)}
      <div class="grid">
        <section class="panel wide" aria-labelledby="h-counts">
          <h2 id="h-counts">Connections</h2>
          ${counts}
        </section>
        <section class="panel span2" aria-labelledby="h-chart">
          <h2 id="h-chart">Refreshes, last ${CHART_HOURS} hours</h2>
          ${refreshChart(overview.activity, overview.chartFrom, CHART_HOURS)}
        </section>
        <section class="panel" aria-labelledby="h-health">
          <h2 id="h-health">Provider health</h2>
          ${health}
        </section>
        <section class="panel" aria-labelledby="h-migrations">
          <h2 id="h-migrations">Migrations</h2>
          ${migrations}
        </section>
      </div>`,
  );
}
