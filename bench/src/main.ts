// npm run bench [-- --quick]: tokenlane against the bare parts it is built on (issue 7).
import { benchConsole } from './console-list.js';
import { benchHttp } from './http.js';
import { startInfra } from './infra.js';
import { benchRefresh, ROUNDS } from './refresh.js';
import { basename } from 'node:path';
import { sweepChart, throughputChart } from './charts.js';
import { fmt, machine, resultPath, table, writeResults, type Row } from './report.js';
import { benchSweep, type SweepResult } from './sweep.js';
import { benchOutage } from './outage.js';
import { benchProxy } from './proxy.js';
import { benchLatency, JITTER_MS, LATENCY_MS, type LatencyStep } from './latency.js';

const quick = process.argv.includes('--quick');
// --only=refresh|sweep|http|outage|console|proxy|latency runs one part (for profiling); results are still written.
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
// --cpu-profile=<file> writes V8 CPU profiles of section 1's last round: the refresh run there, and
// the sum-of-parts run beside it as <name>.parts.cpuprofile (read them with profile-top.ts).
const cpuProfile = process.argv
  .find((arg) => arg.startsWith('--cpu-profile='))
  ?.slice('--cpu-profile='.length);
/** --proxy-ingress=inline runs section 8's ingress in this process (the old way); fork by default. */
const proxyIngress = process.argv.includes('--proxy-ingress=inline') ? 'inline' : 'fork';
/** --proxy-profile=<dir>: the forked ingress writes its CPU profile there (bench/src/profile-top.ts reads it). */
const proxyProfile = process.argv
  .find((arg) => arg.startsWith('--proxy-profile='))
  ?.slice('--proxy-profile='.length);
const mode = quick ? 'quick' : 'full';
// --refresh-n=<N>: refreshes in section 1's main run (default 2,000 quick, 20,000 full): more
// of them dilute the JIT's warm-up when comparing CPU per refresh between two commits.
const refreshN = Number(process.argv.find((arg) => arg.startsWith('--refresh-n='))?.slice(12));
const N = Number.isInteger(refreshN) && refreshN > 0 ? refreshN : quick ? 2_000 : 20_000;
const SWEEP_SIZES = quick ? [10_000, 30_000, 100_000] : [10_000, 100_000, 1_000_000];
/** Jobs per point of the throughput-against-concurrency curve. */
const CURVE_N = quick ? 500 : 2_000;
const HTTP_REQUESTS = quick ? 2_000 : 10_000;
const STAMPEDE = 1_000;
/** Connections of one provider through a 10-minute outage (section 6). */
const OUTAGE_N = quick ? 2_000 : 10_000;
/** Proxied and direct calls each for the throughput comparison; seconds at 500 req/s. */
const PROXY_REQUESTS = quick ? 5_000 : 20_000;
const PROXY_PACED_SECONDS = quick ? 4 : 20;
/** Connections (and refresh events) behind the console's list and overview reads. */
const CONSOLE_ROWS = quick ? 100_000 : 1_000_000;
const SECTION_TIMEOUT_MS = quick ? 60_000 : 300_000;
/** Refresh concurrency of the one worker process at 200 ms provider latency (section 8). */
const LATENCY_STEPS = quick ? [50, 200, 1_000] : [50, 200, 500, 1_000, 2_000];
/** Seconds over which each latency step's connections fall due. */
const LATENCY_SECONDS = quick ? 3 : 8;

const rows: Row[] = [];
const raw: Record<string, unknown> = { mode };
const notes: string[] = [];
const pct = (x: number) => `${fmt(x * 100)} %`;

/** Runs one section under a time limit; a failure is reported and the others still run. */
async function section(name: string, run: () => Promise<void>): Promise<void> {
  if (only !== undefined && !name.includes(only)) return;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${SECTION_TIMEOUT_MS} ms`));
    }, SECTION_TIMEOUT_MS);
  });
  try {
    await Promise.race([run(), limit]);
    console.error(`✓ ${name} (${fmt((performance.now() - started) / 1000, 1)} s)`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    rows.push({ section: name, metric: 'FAILED', value: message.slice(0, 80), ratio: '' });
    raw[name] = { error: message };
    console.error(`✗ ${name}: ${message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The first step where the worker falls behind the offered load (CPU-bound from there). */
function knee(steps: readonly LatencyStep[]): string {
  const behind = steps.find((r) => r.perSec < 0.9 * r.offeredPerSec || r.p99DueToDoneMs > 2_000);
  const best = Math.max(...steps.map((r) => r.perSec));
  return behind === undefined
    ? `none up to c=${fmt(steps.at(-1)?.concurrency ?? 0)}; ${fmt(best)}/s`
    : `c=${fmt(behind.concurrency)}: ceiling ${fmt(best)}/s in one process`;
}

let stopInfra: () => Promise<void> = async () => undefined;
/** Stops our redis-server, Postgres and token endpoint before exiting early. */
const bail = (code: number, why: string) => {
  console.error(`bench: ${why}, stopping`);
  void stopInfra().finally(() => process.exit(code));
};
setTimeout(
  () => {
    bail(2, 'overall time limit reached');
  },
  quick ? 280_000 : 1_800_000,
).unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    bail(130, signal);
  });
}

console.error(`tokenlane bench (${mode}) on`, machine());
const infra = await startInfra();
stopInfra = () => infra.stop();
try {
  await section('1 refresh', async () => {
    const r = await benchRefresh(infra, N, CURVE_N, SECTION_TIMEOUT_MS, cpuProfile);
    raw.refresh = r;
    const s = '1 refresh';
    const c = r.refresh.concurrency;
    rows.push(
      {
        section: s,
        metric: `tokenlane refreshes/s (N=${fmt(N)} in ${ROUNDS} rounds, c=${c})`,
        value: fmt(r.refresh.perSec),
        ratio: `${fmt(r.ratio, 2)}× noop (rounds ${fmt(r.roundRatios.noop.min, 2)}–${fmt(r.roundRatios.noop.max, 2)}; goal ≥ 0.5)`,
      },
      {
        section: s,
        metric: `bare BullMQ no-op jobs/s (c=${c})`,
        value: fmt(r.noop.perSec),
        ratio: '1.00×',
      },
      {
        section: s,
        metric: `bare parts: BullMQ + undici grant + batched UPDATE jobs/s (c=${c})`,
        value: fmt(r.parts.perSec),
        ratio: `${fmt(r.refresh.perSec / r.parts.perSec, 2)}× refresh/parts (rounds ${fmt(r.roundRatios.parts.min, 2)}–${fmt(r.roundRatios.parts.max, 2)}; goal ≥ 0.8)`,
      },
      {
        section: s,
        metric: 'worker CPU per bare-parts job',
        value: `${fmt(r.parts.cpuMsPerJob, 3)} ms`,
        ratio: `${fmt(r.parts.cpuMsPerJob / r.refresh.cpuMsPerJob, 2)}× (parts CPU / refresh CPU)`,
      },
      {
        section: s,
        metric: 'worker CPU per refresh / per no-op job',
        value: `${fmt(r.refresh.cpuMsPerJob, 3)} / ${fmt(r.noop.cpuMsPerJob, 3)} ms`,
        ratio: `${fmt(r.cpuRatio, 2)}× (no-op CPU / refresh CPU)`,
      },
      {
        section: s,
        metric: 'Postgres transactions per refresh',
        value: fmt(r.refresh.statementsPerRefresh, 3),
        ratio: 'reads and writes batched across jobs',
      },
      {
        section: s,
        metric: `bare UPDATE by id/s (c=${c})`,
        value: fmt(r.updatePerSec),
        ratio: `${fmt(r.refresh.perSec / r.updatePerSec, 2)}× refresh/update`,
      },
      {
        section: s,
        metric: `bare token endpoint grants/s (c=${c})`,
        value: fmt(r.grantPerSec),
        ratio: `${fmt(r.refresh.perSec / r.grantPerSec, 2)}× refresh/grant`,
      },
      {
        section: s,
        metric: 'refreshed / token grants',
        value: `${fmt(r.refresh.refreshed)} / ${fmt(r.refresh.grants)}`,
        ratio: pct(r.refresh.refreshed / N),
      },
      ...r.curve.map((point) => ({
        section: '1 curve',
        metric: `refresh / no-op jobs/s at c=${point.refresh.concurrency} (N=${fmt(CURVE_N)})`,
        value: `${fmt(point.refresh.perSec)} / ${fmt(point.noop.perSec)}`,
        ratio: `${fmt(point.refresh.perSec / point.noop.perSec, 2)}× noop`,
      })),
    );
    const chart = resultPath(mode, 'throughput.png');
    await throughputChart(
      r.curve.flatMap((point) => [
        {
          concurrency: point.refresh.concurrency,
          worker: 'tokenlane refresh',
          perSec: point.refresh.perSec,
        },
        {
          concurrency: point.noop.concurrency,
          worker: 'bare BullMQ no-op',
          perSec: point.noop.perSec,
        },
      ]),
      chart,
    );
    notes.push(`![throughput against concurrency](${basename(chart)})`);
  });
  const sweeps: SweepResult[] = [];
  raw.sweep = sweeps;
  for (const total of SWEEP_SIZES) {
    await section(`2+3 sweep ${fmt(total)}`, async () => {
      const r = await benchSweep(infra, total);
      sweeps.push(r);
      const s = `2 sweep ${fmt(total)}`;
      const first = sweeps[0];
      rows.push(
        {
          section: s,
          metric: `find+enqueue ${fmt(r.due)} due (1 %)`,
          value: `${fmt(r.sweepMs)} ms`,
          ratio:
            first === undefined || first === r
              ? `${fmt((r.sweepMs / Math.max(1, r.due)) * 1000, 1)} µs/due`
              : `${fmt(r.sweepMs / first.sweepMs, 1)}× for ${fmt(r.due / first.due, 1)}× due`,
        },
        {
          section: s,
          metric: `bare BullMQ addBulk of ${fmt(r.due)} delayed jobs`,
          value: `${fmt(r.bareAddBulkMs)} ms`,
          ratio: `sweep = ${fmt(r.sweepMs / r.bareAddBulkMs, 2)}× bare`,
        },
        {
          section: s,
          metric: 'sweep with none due',
          value: `${fmt(r.idleSweepMs, 1)} ms`,
          ratio: `${fmt(r.idleSweepMs / r.sweepMs, 3)}× due sweep`,
        },
        {
          section: s,
          metric: 'due query plan',
          value: r.indexScan ? 'index scan (connections_refresh_due_idx)' : 'NOT an index scan',
          ratio: '',
        },
        {
          section: '3 redis',
          metric: `bytes/scheduled refresh (${fmt(total)})`,
          value: fmt(r.bytesPerScheduledJob),
          ratio: `${fmt(r.bytesPerScheduledJob / r.bytesPerScheduledJob)}× (base)`,
        },
        {
          section: '3 redis',
          metric: `bytes/idle connection (${fmt(total)})`,
          value: fmt(r.bytesPerIdleConnection, 2),
          ratio: `${fmt(r.bytesPerIdleConnection / r.bytesPerScheduledJob, 4)}× scheduled (goal 0)`,
        },
      );
      notes.push(`EXPLAIN at ${fmt(total)} rows:\n\n\`\`\`\n${r.plan}\n\`\`\``);
    });
  }
  if (sweeps.length > 1) {
    const chart = resultPath(mode, 'sweep.png');
    await sweepChart(
      sweeps.map((r) => ({
        connections: r.total,
        due: r.due,
        sweepMs: r.sweepMs,
        bareAddBulkMs: r.bareAddBulkMs,
      })),
      chart,
    );
    notes.push(`![sweep time against connections](${basename(chart)})`);
  }
  await section('4+5 http', async () => {
    const r = await benchHttp(infra, HTTP_REQUESTS, STAMPEDE);
    raw.http = r;
    rows.push(
      {
        section: '4 links',
        metric: `POST /v1/links p50 / p99 (c=${r.links.concurrency})`,
        value: `${fmt(r.links.p50Ms, 1)} / ${fmt(r.links.p99Ms, 1)} ms`,
        ratio: `p99 = ${fmt(r.links.p99Ms / r.links.p50Ms, 1)}× p50`,
      },
      {
        section: '4 links',
        metric: 'POST /v1/links req/s (errors)',
        value: `${fmt(r.links.perSec)} (${r.links.errors})`,
        ratio: `${fmt(r.links.perSec / r.tokens.perSec, 2)}× token API`,
      },
      {
        section: '4 links',
        metric: `callback → exchange → redirect p50 / p99 (c=${r.callbacks.concurrency})`,
        value: `${fmt(r.callbacks.p50Ms, 1)} / ${fmt(r.callbacks.p99Ms, 1)} ms`,
        ratio: `${fmt(r.callbacks.p50Ms / r.links.p50Ms, 1)}× POST p50; ${r.callbacks.exchanged}/${r.callbacks.requests} active, ${r.callbacks.errors} errors`,
      },
      {
        section: '5 token',
        metric: `GET token req/s, valid (c=${r.tokens.concurrency})`,
        value: `${fmt(r.tokens.perSec)} (${r.tokens.errors} errors)`,
        ratio: `p99 ${fmt(r.tokens.p99Ms, 1)} ms`,
      },
      {
        section: '5 token',
        metric: `${fmt(STAMPEDE)} callers, expired → grants`,
        value: fmt(r.stampede.grants),
        ratio: `${fmt(r.stampede.grants)}× (goal 1)`,
      },
      {
        section: '5 token',
        metric: 'their wait p50 / p99 (errors)',
        value: `${fmt(r.stampede.p50Ms)} / ${fmt(r.stampede.p99Ms)} ms (${r.stampede.errors})`,
        ratio: `p99 = ${fmt(r.stampede.p99Ms / r.tokens.p99Ms, 1)}× valid p99`,
      },
    );
  });
  await section('6 outage', async () => {
    const r = await benchOutage(infra, OUTAGE_N, SECTION_TIMEOUT_MS);
    raw.outage = r;
    const s = '6 outage';
    rows.push(
      {
        section: s,
        metric: `requests during a ${r.outageMinutes}-min 503 outage, ${fmt(r.connections)} connections`,
        value: fmt(r.requestsDuringOutage),
        ratio: `${fmt(r.perConnectionHour, 3)} per connection-hour (goal < 2)`,
      },
      {
        section: s,
        metric: `recovery → all refreshed (rate limit ${fmt(r.rateLimitPerSec)}/s)`,
        value: `${fmt(r.recoveryMs / 1000, 1)} s`,
        ratio: `${fmt(r.recoveryMs / r.drainFloorMs, 2)}× the rate-limit floor (goal < 120 s)`,
      },
    );
    notes.push(
      `Section 6 runs the failure policy on a clock ${r.timeScale}× compressed (backoff, breaker window and probe intervals scaled: the ${r.outageMinutes}-minute outage lasts ${(r.outageMinutes * 60) / r.timeScale} s); the provider's rate limit and the recovery time are real.`,
    );
  });
  await section('7 console', async () => {
    const r = await benchConsole(infra, CONSOLE_ROWS);
    raw.console = r;
    for (const m of r.measures) {
      rows.push({
        section: `7 console ${fmt(r.total)}`,
        metric: m.name,
        value: `${fmt(m.medianMs, 2)} ms`,
        ratio: `max ${fmt(m.maxMs, 2)} ms, ${m.rows} rows`,
      });
    }
    for (const { name, plan } of r.plans) {
      notes.push(
        `Console list at ${fmt(r.total)} connections, ${name}:\n\n\`\`\`\n${plan}\n\`\`\``,
      );
    }
  });
  await section('8 proxy', async () => {
    const r = await benchProxy(infra, PROXY_REQUESTS, PROXY_PACED_SECONDS, {
      ingress: proxyIngress,
      profileDir: proxyProfile,
    });
    raw.proxy = { ...r, ingress: proxyIngress };
    const s = '8 proxy';
    const c = r.proxied.concurrency;
    rows.push(
      {
        section: s,
        metric: `proxied GET req/s (c=${c}, ${fmt(r.proxied.requests)} calls, ${r.proxied.errors} errors)`,
        value: fmt(r.proxied.perSec),
        ratio: `${fmt(r.ratio, 2)}× direct (goal ≥ 0.6)`,
      },
      {
        section: s,
        metric: `direct undici GET req/s, same resource server (c=${c})`,
        value: fmt(r.direct.perSec),
        ratio: '1.00×',
      },
      {
        section: s,
        metric: `ingress CPU per proxied call (${proxyIngress}); callers' CPU per call direct / proxied`,
        value: `${fmt(r.ingressCpuMsPerCall, 3)} ms`,
        ratio: `${fmt(r.callersCpuMsPerCall.direct, 3)} / ${fmt(r.callersCpuMsPerCall.proxied, 3)} ms`,
      },
      {
        section: s,
        metric: `p50 / p99 at ${fmt(r.pacedProxied.perSec)} req/s: proxied`,
        value: `${fmt(r.pacedProxied.p50Ms, 2)} / ${fmt(r.pacedProxied.p99Ms, 2)} ms`,
        ratio: `${r.pacedProxied.errors} errors`,
      },
      {
        section: s,
        metric: `p50 / p99 at ${fmt(r.pacedDirect.perSec)} req/s: direct`,
        value: `${fmt(r.pacedDirect.p50Ms, 2)} / ${fmt(r.pacedDirect.p99Ms, 2)} ms`,
        ratio: `${r.pacedDirect.errors} errors`,
      },
      {
        section: s,
        metric: 'latency the proxy adds, p50 / p99',
        value: `${fmt(r.addedP50Ms, 2)} / ${fmt(r.addedP99Ms, 2)} ms`,
        ratio: 'goal < 1 / < 5 ms',
      },
    );
    notes.push(
      proxyIngress === 'fork'
        ? 'Section 8: callers in the bench process, the ingress in a process of its own (logging at info to /dev/null), the resource server in a third; both paths use keep-alive connections.'
        : 'Section 8: callers and ingress share the bench process and its event loop (the ingress logging errors only), so the ratio is partly how one core is split between them.',
    );
  });

  await section('9 latency', async () => {
    const { steps, live } = await benchLatency(
      infra,
      LATENCY_STEPS,
      LATENCY_SECONDS,
      SECTION_TIMEOUT_MS,
    );
    raw.latency = { steps, live };
    const s = `9 latency ${LATENCY_MS}±${JITTER_MS} ms`;
    for (const r of steps) {
      rows.push(
        {
          section: s,
          metric: `refreshes/s at c=${fmt(r.concurrency)} (${fmt(r.offeredPerSec)}/s due, N=${fmt(r.n)})`,
          value: fmt(r.perSec),
          ratio: `${fmt(r.perSec / r.offeredPerSec, 2)}× offered; ${fmt(r.refreshed)} refreshed`,
        },
        {
          section: s,
          metric: `c=${fmt(r.concurrency)}: worker CPU/refresh; worker RSS ready → peak (peak ${fmt(r.peakInFlight)} in flight)`,
          value: `${fmt(r.cpuMsPerRefresh, 3)} ms; ${fmt(r.rssReadyMb)} → ${fmt(r.rssPeakMb)} MB`,
          ratio: `${fmt(r.rssKbPerInFlight, 1)} KB RSS per refresh in flight (goal ≤ 25)`,
        },
        {
          section: s,
          metric: `c=${fmt(r.concurrency)}: due → done p50 / p99; Postgres active / open`,
          value: `${fmt(r.p50DueToDoneMs)} / ${fmt(r.p99DueToDoneMs)} ms; ${r.pgActivePeak} / ${r.pgOpenPeak}`,
          ratio: 'p99 goal ≤ 2,000 ms; pools of 10 (worker, bench)',
        },
      );
    }
    rows.push(
      {
        section: s,
        metric: `memory held per refresh in flight (c=${fmt(live.concurrency)}, live after a full GC)`,
        value: `${fmt(live.kbPerInFlight, 1)} KB`,
        ratio: 'goal ≤ 25 KB',
      },
      { section: s, metric: 'knee', value: knee(steps), ratio: '' },
    );
  });
} finally {
  await infra.stop();
}
console.log(table(rows));
const path = await writeResults(mode, rows, raw, notes, only);
console.error(`results: ${path}`);
process.exit(0);
