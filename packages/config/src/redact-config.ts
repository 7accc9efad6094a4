import type { Config } from './config.js';
import { redactUrl } from './url-display.js';

export const REDACTED = '[redacted]';

/** What a Config shows of itself in JSON and inspect: same shape, secrets replaced. */
export function redactConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: config.databaseUrl === undefined ? undefined : redactUrl(config.databaseUrl),
    redisUrl: config.redisUrl === undefined ? undefined : redactUrl(config.redisUrl),
    apiKeys: config.apiKeys.map(() => REDACTED),
    encryptionKeys: config.encryptionKeys?.toJSON(),
    webhook:
      config.webhook === undefined
        ? undefined
        : { url: redactUrl(config.webhook.url), secret: REDACTED },
    adminPassword: config.adminPassword === undefined ? undefined : REDACTED,
  };
}
