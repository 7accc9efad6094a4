import type { CliIo } from '../session.js';

/** A CliIo writing to strings, for running the CLI in-process; `interrupt()` plays Ctrl-C. */
export function memoryIo(env: Record<string, string> = {}, tty = false) {
  const out = { stdout: '', stderr: '' };
  const handlers = new Set<() => void>();
  const io: CliIo = {
    stdout: { write: (text: string) => (out.stdout += text), isTTY: tty, columns: 80 },
    stderr: { write: (text: string) => (out.stderr += text), isTTY: tty, columns: 80 },
    env,
    onInterrupt: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  const interrupt = () => {
    for (const handler of [...handlers]) handler();
  };
  return { io, out, interrupt };
}
