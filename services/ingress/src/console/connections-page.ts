import type { ConnectionView } from '@tokenlane/lifecycle';
import { html, queryString, when, type SafeHtml } from './html.js';
import { CONSOLE_PATH, layout } from './layout.js';

/** The list's filters as the query string carries them. */
export interface ListFilters {
  readonly provider?: string | undefined;
  readonly status?: string | undefined;
  readonly userId?: string | undefined;
  readonly lastErrorCode?: string | undefined;
}

export interface ConnectionsPage {
  readonly filters: ListFilters;
  readonly rows: readonly ConnectionView[];
  /** The cursor of the next page, when there is one. */
  readonly next: string | undefined;
  /** A page size other than the default, kept by the paging links. */
  readonly limit: number | undefined;
  /** Whether this page was reached through a cursor (so a first page exists). */
  readonly paged: boolean;
  readonly providers: readonly string[];
  readonly statuses: readonly string[];
  readonly errorCodes: readonly string[];
}

function select(
  name: string,
  label: string,
  options: readonly string[],
  value: string | undefined,
): SafeHtml {
  return html`<label for="f-${name}"
    >${label}<select id="f-${name}" name="${name}">
      <option value="">any</option>
      ${options.map(
        (option) =>
          html`<option value="${option}" ${option === value ? html` selected` : ''}>
            ${option}
          </option>`,
      )}
    </select></label
  >`;
}

/** A status as a badge; the text carries the meaning, colour only repeats it. */
export function statusBadge(status: string): SafeHtml {
  return html`<span class="status status-${status}">${status}</span>`;
}

/** `/admin/connections`: filters, one page of connections, keyset paging. */
export function connectionsPage(page: ConnectionsPage): SafeHtml {
  const { filters } = page;
  const form = html`<form
    class="filters"
    method="get"
    action="${CONSOLE_PATH}/connections"
    role="search"
    aria-label="Filter connections"
  >
    ${select('provider', 'Provider', page.providers, filters.provider)}
    ${select('status', 'Status', page.statuses, filters.status)}
    <label for="f-userId"
      >User id<input
        id="f-userId"
        name="userId"
        value="${filters.userId ?? ''}"
        autocomplete="off"
        maxlength="256"
    /></label>
    ${select('lastErrorCode', 'Last error code', page.errorCodes, filters.lastErrorCode)}
    <button type="submit">Filter</button>
    <a class="button secondary" href="${CONSOLE_PATH}/connections">Clear</a>
  </form>`;
  const rows =
    page.rows.length === 0
      ? html`<tr>
          <td colspan="7" class="muted">No connection matches.</td>
        </tr>`
      : page.rows.map(
          (c) =>
            html`<tr>
              <td><a class="mono" href="${CONSOLE_PATH}/connections/${c.id}">${c.id}</a></td>
              <td>${c.userId}</td>
              <td>${c.provider}</td>
              <td>${statusBadge(c.status)}</td>
              <td>
                ${c.lastErrorCode === null ? html`<span class="muted">—</span>` : html`<code>${c.lastErrorCode}</code>`}
              </td>
              <td>${when(c.expiresAt)}</td>
              <td>${when(c.createdAt)}</td>
            </tr>`,
        );
  const base = { ...filters, limit: page.limit === undefined ? undefined : String(page.limit) };
  const pager = html`<nav class="pager" aria-label="Pages">
    ${page.paged ? html`<a href="${CONSOLE_PATH}/connections${queryString(base)}">First page</a>` : ''}
    ${page.next === undefined ? html`<span class="muted">Last page</span>` : html`<a rel="next" href="${CONSOLE_PATH}/connections${queryString({ ...base, after: page.next })}">Next page</a>`}
  </nav>`;
  return layout(
    { title: 'Connections', nav: 'connections' },
    html`<h1>Connections</h1>
      ${form}
      <table>
        <caption class="muted">
          Oldest first, ${page.rows.length} on this page
        </caption>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">User id</th>
            <th scope="col">Provider</th>
            <th scope="col">Status</th>
            <th scope="col">Last error</th>
            <th scope="col">Access token expires</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
      ${pager}`,
  );
}
