import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RUN_DIR_ENV } from '../support/secret-ledger.js';
import { renderReport } from './report.js';
import { runSoak } from './soak.js';

/**
 * `npm run soak -- --minutes N [--seed S] [--connections C] [--no-rejoin]`: the chaos soak.
 * Prints the seed first (replay a run with it), then a markdown table; exits 1 on a violation.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '3' },
      seed: { type: 'string' },
      connections: { type: 'string', default: '200' },
      'no-rejoin': { type: 'boolean', default: false },
    },
  });
  const minutes = Number(values.minutes);
  const seed =
    values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  const connections = Number(values.connections);
  if (!(minutes > 0) || !Number.isInteger(seed) || !(connections > 0)) {
    console.error('usage: npm run soak -- --minutes N [--seed S] [--connections C] [--no-rejoin]');
    return 2;
  }
  // The test support writes each service's log, the peers' secrets and the database dump
  // here (a vitest run scans them); kept when the soak fails, for reading.
  const runDir = await mkdtemp(join(tmpdir(), 'tokenlane-soak-'));
  process.env[RUN_DIR_ENV] = runDir;
  const report = await runSoak({
    minutes,
    seed,
    connections,
    rejoin: !values['no-rejoin'],
    log: (line) => {
      console.log(line);
    },
  });
  console.log(`\n${renderReport(report)}\n`);
  if (report.violations.length === 0) {
    await rm(runDir, { recursive: true, force: true });
    return 0;
  }
  for (const violation of report.violations) console.log(`VIOLATION ${violation}`);
  console.log(`logs kept in ${runDir}; replay with --seed ${seed}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
