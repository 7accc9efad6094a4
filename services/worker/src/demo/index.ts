import type { Config, Logger } from '@tokenlane/config';
import { startDemoProvider, type DemoProvider } from './demo-provider.js';

export {
  DEMO_ACCESS_TOKEN_TTL_SECONDS,
  DEMO_CLIENT_ID,
  DEMO_PROVIDER_ID,
  startDemoProvider,
} from './demo-provider.js';
export type { DemoProvider, DemoProviderOptions } from './demo-provider.js';

/** Where the demo provider runs, or `undefined` when it is off. */
export interface DemoSettings {
  readonly port: number;
  readonly issuer: string;
}

/**
 * The demo provider runs under `npm start` unless `NODE_ENV=production` or `TOKENLANE_DEMO=off`.
 * Its port is `TOKENLANE_DEMO_PORT`, else PORT + 2 (PORT + 1 is the worker's health port);
 * its issuer is PUBLIC_URL's host on that port, so the browser reaches it where it reaches us.
 */
export function demoSettings(
  config: Pick<Config, 'nodeEnv' | 'port' | 'publicUrl'>,
  env: Readonly<Record<string, string | undefined>>,
): DemoSettings | undefined {
  const switch_ = (env.TOKENLANE_DEMO ?? '').trim().toLowerCase();
  if (!['', 'on', 'off'].includes(switch_)) {
    throw new Error(`TOKENLANE_DEMO must be "on" or "off" (got "${switch_}")`);
  }
  if (switch_ === 'off' || (config.nodeEnv === 'production' && switch_ !== 'on')) return undefined;
  const raw = (env.TOKENLANE_DEMO_PORT ?? '').trim();
  const port = raw === '' ? config.port + 2 : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error('TOKENLANE_DEMO_PORT must be a port number (1-65535)');
  }
  const issuer = new URL(config.publicUrl);
  issuer.protocol = 'http:';
  issuer.port = String(port);
  return { port, issuer: issuer.origin };
}

/** Starts the demo provider when {@link demoSettings} says so, and says where it is. */
export async function startDevDemo(
  config: Config,
  logger: Logger,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<DemoProvider | undefined> {
  const settings = demoSettings(config, env);
  if (settings === undefined) return undefined;
  const demo = await startDemoProvider({
    ...settings,
    callbackUrl: config.callbackUrl,
    ...(env.HOST === undefined ? {} : { host: env.HOST }),
  });
  logger.info(
    { issuer: demo.issuer },
    'demo provider started (provider "demo"; TOKENLANE_DEMO=off to disable)',
  );
  return demo;
}
