import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * Runs `run` under the V8 CPU profiler when `path` is set (`--cpu-profile=<file>`), and writes
 * the profile there: the window of one measurement only, without startup, seeding or the
 * baselines that `node --cpu-prof` would mix in. Read it with profile-top.ts.
 */
export async function profiled<T>(path: string | undefined, run: () => Promise<T>): Promise<T> {
  if (path === undefined) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(path, JSON.stringify(profile));
    session.disconnect();
  }
}
