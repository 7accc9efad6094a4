import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config, Logger } from '@tokenlane/config';
import { KeyRing, randomToken } from '@tokenlane/vault';

/** The API keys and key ring a process runs with, after dev defaults were filled in. */
export interface ResolvedSecrets {
  readonly apiKeys: readonly string[];
  readonly keyRing: KeyRing;
  /** The generated dev API key, to print once at start; undefined when configured. */
  readonly generatedApiKey?: string;
}

/**
 * Fills in what a first run leaves unset (docs/api.md): outside production, a dev API key and an
 * encryption key are generated once and persisted under the data dir (mode 0600), so restarts
 * keep decrypting. In production both must be configured: generating them there would make
 * every replica encrypt under its own key.
 */
export async function resolveSecrets(config: Config, logger: Logger): Promise<ResolvedSecrets> {
  const production = config.nodeEnv === 'production';
  if (production && config.apiKeys.length === 0) {
    throw new Error('TOKENLANE_API_KEYS must be set when NODE_ENV=production');
  }
  if (production && config.encryptionKeys === undefined) {
    throw new Error('TOKENLANE_ENCRYPTION_KEYS must be set when NODE_ENV=production');
  }
  let keyRing = config.encryptionKeys;
  if (keyRing === undefined) {
    const file = join(config.dataDir, 'encryption-keys');
    keyRing = KeyRing.parse(await readOrCreate(file, () => KeyRing.generateSpec()));
    logger.warn(
      { file },
      'TOKENLANE_ENCRYPTION_KEYS is unset: using a development key stored on disk; set it in production',
    );
  }
  if (config.apiKeys.length > 0) return { apiKeys: config.apiKeys, keyRing };
  const apiKey = await readOrCreate(join(config.dataDir, 'dev-api-key'), () => randomToken(32));
  return { apiKeys: [apiKey], keyRing, generatedApiKey: apiKey };
}

async function readOrCreate(file: string, create: () => string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = create();
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  // `wx`: two processes starting at once must not both write; the loser reads the winner's.
  try {
    await writeFile(file, `${value}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreate(file, create);
    throw error;
  }
  await chmod(file, 0o600);
  return value;
}
