import type { Dispatcher } from 'undici';
import { processApiResponse, queryString, sendApiRequest, type ApiRequest } from './http.js';
import { ConnectionProxy } from './proxy.js';
import type {
  AccessToken,
  Connection,
  CreateLinkInput,
  GetTokenOptions,
  Link,
  ListConnectionsQuery,
  ListEventsQuery,
  Migration,
  Page,
  PinResult,
  ProviderInfo,
  RelinkInput,
  StartMigrationInput,
  TokenlaneEvent,
} from './types.js';

export interface TokenlaneClientOptions {
  /** Where the ingress listens, e.g. `https://tokenlane.internal` (a path prefix is kept). */
  readonly baseUrl: string;
  /** One of `TOKENLANE_API_KEYS`. */
  readonly apiKey: string;
  /** An undici dispatcher (connection pool, proxy, or a MockAgent in tests). */
  readonly dispatcher?: Dispatcher;
  /** Per-request timeout for headers and body; default 60 s (a token call may refresh). */
  readonly timeoutMs?: number;
}

const USER_AGENT = 'tokenlane-client/0.1.0';
const id = encodeURIComponent;

/**
 * The typed SDK for tokenlane's HTTP API (docs/api.md). Every method throws a
 * TokenlaneApiError for a non-2xx answer, carrying the API's stable `code`.
 */
export class TokenlaneClient {
  readonly #transport: Parameters<typeof sendApiRequest>[0];

  constructor(options: TokenlaneClientOptions) {
    if (!URL.canParse(options.baseUrl)) throw new TypeError('baseUrl must be an absolute URL');
    if (options.apiKey === '') throw new TypeError('apiKey must not be empty');
    this.#transport = {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      apiKey: options.apiKey,
      dispatcher: options.dispatcher,
      timeoutMs: options.timeoutMs ?? 60_000,
      userAgent: USER_AGENT,
    };
  }

  async #call(request: ApiRequest): Promise<unknown> {
    return processApiResponse(await sendApiRequest(this.#transport, request));
  }

  /**
   * Calls through tokenlane (docs/proxy.md): `client.proxy(id).get('/v2/usercollection/…',
   * { query })` resolves to the provider's own fetch `Response`. Needs the `proxy` scope; the
   * token never reaches this process.
   */
  proxy(connectionId: string): ConnectionProxy {
    return new ConnectionProxy(this.#transport, connectionId);
  }

  /** `POST /v1/links`: starts linking a user; send them to `linkWebUrl`. */
  async createLink(input: CreateLinkInput): Promise<Link> {
    return (await this.#call({ method: 'POST', path: '/v1/links', body: input })) as Link;
  }

  /**
   * `POST /v1/connections/:id/relink`: a link that re-authorizes the connection in place. Call
   * it when your user is present (after `connection.reauth_required`) and send them to
   * `linkWebUrl` in the browser they are using: the link binds to the browser that opens it.
   * Asking again returns the same live link.
   */
  async relink(connectionId: string, input: RelinkInput = {}): Promise<Link> {
    const path = `/v1/connections/${id(connectionId)}/relink`;
    return (await this.#call({ method: 'POST', path, body: input })) as Link;
  }

  /** `POST /v1/links/:linkId/pin`: completes an out-of-band link with the user's PIN. */
  async completePin(linkId: string, pin: string): Promise<PinResult> {
    const path = `/v1/links/${id(linkId)}/pin`;
    return (await this.#call({ method: 'POST', path, body: { pin } })) as PinResult;
  }

  /** `GET /v1/connections/:id`: the connection (never its tokens). */
  async getConnection(connectionId: string): Promise<Connection> {
    const path = `/v1/connections/${id(connectionId)}`;
    return (await this.#call({ method: 'GET', path })) as Connection;
  }

  /** `GET /v1/connections`: one page, oldest first. */
  async listConnections(query: ListConnectionsQuery = {}): Promise<Page<Connection>> {
    const path = `/v1/connections${queryString({ ...query })}`;
    return (await this.#call({ method: 'GET', path })) as Page<Connection>;
  }

  /** Every connection matching `query`, fetching pages as the loop goes. */
  async *iterateConnections(
    query: Omit<ListConnectionsQuery, 'after'> = {},
  ): AsyncGenerator<Connection, void, undefined> {
    let after: string | undefined;
    do {
      const page = await this.listConnections(after === undefined ? query : { ...query, after });
      yield* page.data;
      after = page.nextCursor ?? undefined;
    } while (after !== undefined);
  }

  /**
   * `GET /v1/connections/:id/token`: a token valid for at least `minValidity` seconds,
   * refreshed first when needed. A `reauth_required` error carries `details.linkWebUrl` when the key
   * also has `connections:write`.
   */
  async getToken(connectionId: string, options: GetTokenOptions = {}): Promise<AccessToken> {
    const path = `/v1/connections/${id(connectionId)}/token${queryString({ minValidity: options.minValidity })}`;
    return (await this.#call({ method: 'GET', path })) as AccessToken;
  }

  /** `POST /v1/connections/:id/refresh`: enqueues (or joins) a refresh. */
  async refresh(connectionId: string): Promise<void> {
    await this.#call({ method: 'POST', path: `/v1/connections/${id(connectionId)}/refresh` });
  }

  /**
   * `POST /v1/connections/:id/unauthorized`: the provider answered 401 to `accessToken` (OAuth
   * 1.0a: the `token`). A report about a token already replaced does nothing.
   */
  async reportUnauthorized(connectionId: string, accessToken: string): Promise<void> {
    const path = `/v1/connections/${id(connectionId)}/unauthorized`;
    await this.#call({ method: 'POST', path, body: { accessToken } });
  }

  /** `DELETE /v1/connections/:id`: revokes at the provider, then wipes the tokens. */
  async deleteConnection(connectionId: string): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/v1/connections/${id(connectionId)}` });
  }

  /** `GET /v1/events`: lifecycle events after `after`, oldest first. */
  async listEvents(query: ListEventsQuery = {}): Promise<Page<TokenlaneEvent>> {
    const path = `/v1/events${queryString({ ...query })}`;
    return (await this.#call({ method: 'GET', path })) as Page<TokenlaneEvent>;
  }

  /** Every event after `after` that exists now, fetching pages as the loop goes. */
  async *iterateEvents(
    query: ListEventsQuery = {},
  ): AsyncGenerator<TokenlaneEvent, void, undefined> {
    let after = query.after;
    for (;;) {
      const page = await this.listEvents(after === undefined ? query : { ...query, after });
      yield* page.data;
      if (page.nextCursor === null) return;
      after = page.nextCursor;
    }
  }

  /** `GET /v1/providers`: ids, kinds, whether configured, deprecations. */
  async listProviders(): Promise<readonly ProviderInfo[]> {
    const page = (await this.#call({ method: 'GET', path: '/v1/providers' })) as {
      data: readonly ProviderInfo[];
    };
    return page.data;
  }

  /** `POST /v1/migrations`: starts moving a provider's connections to its successor. */
  async startMigration(input: StartMigrationInput): Promise<Migration> {
    return (await this.#call({ method: 'POST', path: '/v1/migrations', body: input })) as Migration;
  }

  /** `GET /v1/migrations/:id`: a migration and its counts. */
  async getMigration(migrationId: string): Promise<Migration> {
    return (await this.#call({
      method: 'GET',
      path: `/v1/migrations/${id(migrationId)}`,
    })) as Migration;
  }

  /** `GET /v1/migrations`: every migration, newest first. */
  async listMigrations(): Promise<readonly Migration[]> {
    const page = (await this.#call({ method: 'GET', path: '/v1/migrations' })) as {
      data: readonly Migration[];
    };
    return page.data;
  }

  /** `POST /v1/migrations/:id/cancel`: stops it; what is done stays done. */
  async cancelMigration(migrationId: string): Promise<Migration> {
    const path = `/v1/migrations/${id(migrationId)}/cancel`;
    return (await this.#call({ method: 'POST', path })) as Migration;
  }

  /** `POST /v1/migrations/:id/pause`: stops it where it stands; pending connections wait. */
  async pauseMigration(migrationId: string): Promise<Migration> {
    const path = `/v1/migrations/${id(migrationId)}/pause`;
    return (await this.#call({ method: 'POST', path })) as Migration;
  }

  /** `POST /v1/migrations/:id/resume`: a paused migration goes on. */
  async resumeMigration(migrationId: string): Promise<Migration> {
    const path = `/v1/migrations/${id(migrationId)}/resume`;
    return (await this.#call({ method: 'POST', path })) as Migration;
  }
}
