import type { ConnectionId } from '@tokenlane/core';
import { buildApp } from '@tokenlane/ingress';
import { freePort } from '@tokenlane/queue';
import { openBenchRuntime, type Infra } from './infra.js';
import { seedConnections } from './refresh.js';

/** Section 8's ingress, listening, with one connection whose token lasts the whole run. */
export interface ProxyTarget {
  readonly port: number;
  readonly id: ConnectionId;
  close(): Promise<void>;
}

/**
 * Opens the bench runtime with the resource server as the provider's API, starts the ingress
 * on a free port and seeds the connection the callers go through. Used inline (proxy.ts) and
 * in the forked ingress (proxy-ingress.ts).
 */
export async function startProxyTarget(
  infra: Pick<Infra, 'redisUrl' | 'adminUrl' | 'dir'> & { readonly endpoint: { url: string } },
  logLevel: 'error' | 'info',
): Promise<ProxyTarget> {
  const { rt, close } = await openBenchRuntime(
    infra,
    'proxy',
    { apiBaseUrl: `${infra.endpoint.url}/api` },
    { logLevel },
  );
  const app = buildApp({ runtime: rt });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  const now = Date.now();
  const [id] = await seedConnections(
    rt,
    1,
    new Date(now + 3_000_000),
    new Date(now + 3_600_000),
    'proxy',
  );
  if (id === undefined) throw new Error('no connection seeded');
  return {
    port,
    id,
    close: async () => {
      await app.close();
      await close();
    },
  };
}
