import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallback } from 'fastify';

/**
 * `GET /metrics`: the Prometheus text exposition of this process's registry (no auth, like
 * `/healthz`: it holds counts and labels, never a secret; keep the port off the internet).
 */
export const metricsRoutes: FastifyPluginCallback<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['health'] } },
    async (_request, reply) => {
      const text = await runtime.metrics.text();
      void reply.type(runtime.metrics.contentType).header('cache-control', 'no-store');
      return text;
    },
  );
  done();
};
