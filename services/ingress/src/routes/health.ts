import { checkReadiness, type Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const readinessSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ redis: z.boolean(), database: z.boolean(), migrations: z.boolean() }),
});

/**
 * `GET /healthz` (liveness: the process answers) and `GET /readyz` (readiness: Redis and
 * the database answer and no migration is pending; 503 with the failing checks otherwise).
 */
export const healthRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness',
        tags: ['health'],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: Redis, database and migrations',
        tags: ['health'],
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const { ready, checks } = await checkReadiness(runtime);
      void reply.code(ready ? 200 : 503).header('cache-control', 'no-store');
      return { status: ready ? ('ok' as const) : ('unavailable' as const), checks };
    },
  );
  done();
};
