import { namedConnectionId } from '@tokenlane/core';
import { MIGRATION_MODES, MIGRATION_STATUSES } from '@tokenlane/db';
import {
  cancelMigration,
  listMigrationViews,
  migrationView,
  pauseMigration,
  resumeMigration,
  startMigration,
} from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authedErrorResponses } from '../errors.js';

const timestamp = z.string().meta({ format: 'date-time' });
const count = z.number().int().nonnegative();

export const migrationViewSchema = z
  .object({
    id: z.string(),
    from: z.string(),
    to: z.string(),
    mode: z.enum(MIGRATION_MODES),
    status: z.enum(MIGRATION_STATUSES),
    pausedReason: z
      .string()
      .nullable()
      .describe(
        'Why a paused run stopped: `credentials` or `clock` (the provider refused ours), `failure_rate` (over 20 % of the last 50 outcomes failed) or `operator`',
      ),
    dryRun: z.boolean(),
    counts: z
      .object({
        total: count,
        pending: count.describe('Not decided yet; total is the sum of every other count'),
        migrated: count,
        awaitingConsent: count,
        reauthRequired: count,
        failed: count,
        skipped: count,
      })
      .describe('Connections by outcome'),
    createdAt: timestamp,
    finishedAt: timestamp.nullable(),
  })
  .meta({ id: 'Migration' });

const startBody = z
  .strictObject({
    from: z.string().min(1).max(64),
    to: z.string().min(1).max(64).describe("Must be `from`'s declared successor"),
    mode: z
      .enum(MIGRATION_MODES)
      .optional()
      .describe('Default: token_exchange where `from` supports it, else reconsent'),
    connectionIds: z.array(z.uuid()).min(1).max(10_000).optional(),
    dryRun: z.boolean().optional().describe('Report what would happen; change nothing'),
  })
  .meta({ id: 'StartMigration' });

const idParams = z.object({ id: z.string().max(64) });

/** Provider migrations: move a provider's connections to its declared successor. */
export const migrationRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  app.post(
    '/v1/migrations',
    {
      schema: {
        summary: "Start moving a provider's connections to its successor",
        tags: ['migrations'],
        body: startBody,
        response: { 202: migrationViewSchema, ...authedErrorResponses(400, 404, 422) },
      },
    },
    async (request, reply) => {
      const { connectionIds, ...input } = request.body;
      const view = await startMigration(runtime, {
        ...input,
        connectionIds: connectionIds?.map(namedConnectionId),
      });
      return reply.code(202).send(view);
    },
  );

  app.get(
    '/v1/migrations',
    {
      schema: {
        summary: 'List migrations, newest first',
        tags: ['migrations'],
        response: {
          200: z.object({ data: z.array(migrationViewSchema) }),
          ...authedErrorResponses(),
        },
      },
    },
    async () => ({ data: await listMigrationViews(runtime) }),
  );

  app.get(
    '/v1/migrations/:id',
    {
      schema: {
        summary: 'A migration and its counts',
        tags: ['migrations'],
        params: idParams,
        response: { 200: migrationViewSchema, ...authedErrorResponses(404) },
      },
    },
    async (request) => migrationView(runtime, request.params.id),
  );

  app.post(
    '/v1/migrations/:id/cancel',
    {
      schema: {
        summary: 'Stop a running migration; what is done stays done',
        tags: ['migrations'],
        params: idParams,
        response: { 202: migrationViewSchema, ...authedErrorResponses(404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await cancelMigration(runtime, request.params.id)),
  );

  app.post(
    '/v1/migrations/:id/pause',
    {
      schema: {
        summary: 'Pause a running migration; pending connections wait, nothing is lost',
        tags: ['migrations'],
        params: idParams,
        response: { 202: migrationViewSchema, ...authedErrorResponses(404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await pauseMigration(runtime, request.params.id)),
  );

  app.post(
    '/v1/migrations/:id/resume',
    {
      schema: {
        summary: 'Resume a paused migration',
        tags: ['migrations'],
        params: idParams,
        response: { 202: migrationViewSchema, ...authedErrorResponses(404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await resumeMigration(runtime, request.params.id)),
  );
  done();
};
