import { EXIT_CODES } from './errors.js';
import { runCli } from './cli.js';
import type { CliIo } from './session.js';

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  onInterrupt: (handler) => {
    let signals = 0;
    // The first signal asks the command to stop cleanly; a second one means now.
    const listener = () => {
      signals += 1;
      if (signals > 1) process.exit(EXIT_CODES.failure);
      handler();
    };
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
    return () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    };
  },
};

const code = await runCli(process.argv.slice(2), io);
// Exit explicitly (a pooled socket must not keep a finished command alive), but only once
// piped output is flushed: process.exit drops pending pipe writes.
await Promise.all(
  [process.stdout, process.stderr].map(
    (stream) =>
      new Promise<void>((resolve) => {
        stream.write('', () => {
          resolve();
        });
      }),
  ),
);
process.exit(code);
