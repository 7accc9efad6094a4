import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { JOB_NAMES, jobNamed } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import { timingSafeEqualString } from '@tokenlane/vault';
import type { FastifyPluginCallback, FastifyReply, onRequestAsyncHookHandler } from 'fastify';
import { adminThrottle, countAdminFailure } from '../admin-throttle.js';

/** Where the dashboard lives; docs/api.md. */
export const ADMIN_PATH = '/admin/queues';
export const ADMIN_USER = 'admin';

/**
 * True for `Authorization: Basic base64(admin:<password>)` (RFC 7617). Both the user and the
 * password are compared in constant time, always both, so timing tells nothing.
 */
export function isAdmin(header: string | undefined, password: string): boolean {
  const encoded = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header ?? '')?.[1];
  const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? '' : decoded.slice(0, colon);
  const presented = colon < 0 ? '' : decoded.slice(colon + 1);
  const userOk = timingSafeEqualString(user, ADMIN_USER);
  const passwordOk = timingSafeEqualString(presented, password);
  return colon >= 0 && userOk && passwordOk;
}

/**
 * Basic auth for the console and the dashboard, with failed logins throttled per address
 * ({@link ADMIN_FAILURES_PER_WINDOW} a minute, then 429 until the minute is over, whatever the
 * password). A request without credentials (a browser's first, before it prompts) is not a
 * failed login. Answers itself rather than throwing: bull-board sets its own error handler on
 * the routes, which would turn a thrown 401 into its 500 page.
 */
export function basicAuth(password: string, rt: Runtime): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const throttled = await adminThrottle(rt, request.ip);
    if (throttled.limited) return refuseThrottled(reply, throttled.retryAfterSeconds);
    const header = request.headers.authorization;
    if (isAdmin(header, password)) return undefined;
    if (header !== undefined) {
      const counted = await countAdminFailure(rt, request.ip);
      if (counted.limited) return refuseThrottled(reply, counted.retryAfterSeconds);
    }
    return reply
      .code(401)
      .header('www-authenticate', 'Basic realm="tokenlane admin", charset="UTF-8"')
      .header('cache-control', 'no-store')
      .send({
        error: { code: 'unauthorized', message: 'The admin console needs the admin password' },
      });
  };
}

function refuseThrottled(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .header('cache-control', 'no-store')
    .send({
      error: {
        code: 'rate_limited',
        message: 'Too many failed admin logins from this address; wait before trying again',
      },
    });
}

/** Job data shown only when it is exactly its job's payload (ids and enums), else a notice. */
export function formatJobData(queue: string, data: unknown): unknown {
  const parsed = jobNamed(queue)?.payload.safeParse(data);
  return parsed?.success === true
    ? parsed.data
    : { hidden: 'job data does not match the job catalog' };
}

/** Fields of a job's return value that may be shown as text; numbers and booleans always are. */
const SHOWN_RESULT_TEXT = new Set([
  'status',
  'code',
  'reason',
  'connectionId',
  'linkSessionId',
  'eventId',
]);

/** A job's return value reduced to flat, known, secret-free fields (lifecycle outcomes are). */
export function formatReturnValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return typeof value === 'number' || typeof value === 'boolean' ? value : null;
  }
  return Object.fromEntries(
    Object.entries(value).filter(
      ([key, field]) =>
        typeof field === 'number' ||
        typeof field === 'boolean' ||
        field === null ||
        (typeof field === 'string' && SHOWN_RESULT_TEXT.has(key)),
    ),
  );
}

/**
 * The queue dashboard (bull-board) at `/admin/queues` over every queue of the job catalog,
 * behind HTTP basic auth (user `admin`, `TOKENLANE_ADMIN_PASSWORD`). Without the password the
 * plugin registers nothing: the path is a 404, never an open dashboard.
 */
export const adminRoutes: FastifyPluginCallback<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  const password = runtime.config.adminPassword;
  if (password === undefined) {
    done();
    return;
  }
  const serverAdapter = new FastifyAdapter().setBasePath(ADMIN_PATH);
  createBullBoard({
    queues: runtime.queues.all(JOB_NAMES).map((queue) => {
      const adapter = new BullMQAdapter(queue, { allowRetries: true });
      adapter.setFormatter('data', (data) => formatJobData(queue.name, data));
      adapter.setFormatter('returnValue', formatReturnValue);
      return adapter;
    }),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'tokenlane' } },
  });
  // A scope of its own: the auth hook covers the board's pages, assets and API, nothing else.
  app.register(
    (scope, _options, registered) => {
      scope.addHook('onRequest', basicAuth(password, runtime));
      void scope.register(serverAdapter.registerPlugin());
      registered();
    },
    { prefix: ADMIN_PATH },
  );
  done();
};
