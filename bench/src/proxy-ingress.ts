// Section 8's ingress in a process of its own, started by `fork` from proxy.ts: the callers
// and the ingress then do not share one event loop, and `--cpu-prof` can profile it alone.
// Asked over IPC with the run's infrastructure; answers with its port and the connection id.
import { once } from 'node:events';
import type { Infra } from './infra.js';
import { startProxyTarget } from './proxy-target.js';

interface Start {
  readonly infra: Pick<Infra, 'redisUrl' | 'adminUrl' | 'dir'> & { readonly endpointUrl: string };
}

const [message] = (await once(process, 'message')) as [Start];
const { endpointUrl, ...rest } = message.infra;
const infra = { ...rest, endpoint: { url: endpointUrl } };
const target = await startProxyTarget(infra, 'info');
const { port, id } = target;
process.send?.({ port, id });
// 'cpu': the CPU time this process has used so far (µs); 'stop': close and exit.
await new Promise<void>((resolve) => {
  process.on('message', (asked: string) => {
    if (asked === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuUs: user + system });
    } else resolve();
  });
});
await target.close();
process.exit(0);
