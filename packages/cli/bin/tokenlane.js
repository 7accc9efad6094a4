#!/usr/bin/env node
// The `tokenlane` launcher. In a checkout (tsx installed) it runs the TypeScript source with
// the workspace packages resolved to their sources too, so no build is needed and nothing is
// stale; where tsx is absent (a production image) or NODE_ENV=production with a build present,
// it runs the compiled dist/.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const dist = new URL('../dist/main.js', import.meta.url);

function tsxLoader() {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return undefined;
  }
}

const built = existsSync(fileURLToPath(dist));
const tsx = existsSync(source) ? tsxLoader() : undefined;

if (tsx === undefined || (built && process.env.NODE_ENV === 'production')) {
  if (!built) {
    process.stderr.write('tokenlane: not built and tsx is not installed; run `npm run build`\n');
    process.exit(1);
  }
  await import(dist.href);
} else {
  // `--conditions` can only be set when node starts, hence a child process.
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      '--conditions=@tokenlane/source',
      '--import',
      tsx,
      source,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  // Ctrl-C reaches the child through the terminal's process group; a SIGTERM sent to this
  // launcher alone is passed on. Either way the child decides when to stop.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGHUP', () => child.kill('SIGHUP'));
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else {
      process.exit(code ?? 1);
    }
  });
}
