import {
  cancelMigration,
  listMigrationViews,
  migrationView,
  pauseMigration,
  resumeMigration,
  type MigrationView,
} from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../errors.js';
import { CONSOLE_PATH } from './layout.js';
import { actionsFor, MIGRATION_ACTIONS, type MigrationAction } from './migration-words.js';
import {
  migrationConfirmPage,
  migrationPage,
  migrationPath,
  migrationsPage,
} from './migrations-page.js';
import { sameOrigin, sendPage } from './respond.js';

/** Migrations on the list page. */
export const MIGRATIONS_SHOWN = 50;

const OPERATIONS: Readonly<
  Record<MigrationAction, (runtime: Runtime, id: string) => Promise<MigrationView>>
> = { pause: pauseMigration, resume: resumeMigration, cancel: cancelMigration };

const actionKeys = Object.keys(MIGRATION_ACTIONS) as [MigrationAction, ...MigrationAction[]];
const idParams = z.object({ id: z.string().max(64) });
const actionParams = idParams.extend({ action: z.enum(actionKeys) });
const isAction = (value: string | undefined): value is MigrationAction =>
  value !== undefined && value in MIGRATION_ACTIONS;

/**
 * The console's migration panel (docs/operations.md, "Console"): the list, one migration's
 * state in plain words, and pause, resume and cancel, each confirmed and posted from the
 * console's own pages. Registered inside `consoleRoutes`, so its basic auth, form parser and
 * error pages apply. A bad id is `migration_not_found`, a 404 page.
 */
export const migrationConsoleRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  const providerName = (id: string) => runtime.providers.get(id)?.displayName ?? id;

  app.get(`${CONSOLE_PATH}/migrations`, { schema: { hide: true } }, async (_request, reply) =>
    sendPage(reply, migrationsPage(await listMigrationViews(runtime, MIGRATIONS_SHOWN))),
  );

  app.get(
    `${CONSOLE_PATH}/migrations/:id`,
    {
      schema: {
        hide: true,
        params: idParams,
        querystring: z.object({ done: z.string().max(16).optional() }),
      },
    },
    async (request, reply) => {
      const view = await migrationView(runtime, request.params.id);
      const done = isAction(request.query.done) ? request.query.done : undefined;
      return sendPage(reply, migrationPage(view, providerName, done));
    },
  );

  app.get(
    `${CONSOLE_PATH}/migrations/:id/confirm/:action`,
    { schema: { hide: true, params: actionParams } },
    async (request, reply) => {
      const view = await migrationView(runtime, request.params.id);
      if (!actionsFor(view).includes(request.params.action)) {
        throw new HttpError(409, 'conflict', `The migration is ${view.status}`);
      }
      return sendPage(reply, migrationConfirmPage(view, request.params.action));
    },
  );

  app.post(
    `${CONSOLE_PATH}/migrations/:id/:action`,
    { schema: { hide: true, params: actionParams } },
    async (request, reply) => {
      if (!sameOrigin(request, reply)) return reply;
      const { id, action } = request.params;
      const view = await OPERATIONS[action](runtime, id);
      runtime.logger.info({ migrationId: view.id, action }, 'console action');
      return reply.redirect(`${migrationPath(view.id)}?done=${action}`, 303);
    },
  );
  done();
};
