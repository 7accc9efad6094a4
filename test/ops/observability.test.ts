import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '@tokenlane/ingress';
import { observeExchange, observeRefresh, observeWebhookDelivery } from '@tokenlane/metrics';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startHealthServer } from '../../services/worker/src/health-server.js';
import { openTestRuntime } from '../support/runtime.js';

/** Debian's `prometheus` package ships promtool (npm run setup installs it). */
const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';
const HAVE_PROMTOOL = existsSync(PROMTOOL);
const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
if (!HAVE_PROMTOOL && process.env.CI === undefined) {
  console.warn(`promtool checks skipped: no promtool at ${PROMTOOL} (npm run setup installs it)`);
}

/** Runs promtool: its exit code and everything it printed. */
function run(args: string[], stdin?: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(PROMTOOL, args, { cwd: DEPLOY }, (error, stdout, stderr) => {
      resolve({ ok: error === null, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(stdin ?? '');
  });
}

/** Runs promtool; resolves with its output, rejects with it on a non-zero exit. */
async function promtool(args: string[], stdin?: string): Promise<string> {
  const { ok, output } = await run(args, stdin);
  if (!ok) throw new Error(`promtool ${args.join(' ')} failed:\n${output}`);
  return output;
}

/**
 * prom-client's default Node.js metrics that promtool's linter flags (gauges named `_total`
 * by prom-client itself, not by us). Named one by one: any other finding fails the test.
 */
const LIBRARY_LINT = new Set([
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
]);

interface Dashboard {
  panels: { title: string; type: string; targets?: { expr: string }[] }[];
  templating: { list: { name: string }[] };
}

let opened: Awaited<ReturnType<typeof openTestRuntime>>;
let app: FastifyInstance;
let health: Server;

beforeAll(async () => {
  opened = await openTestRuntime({ providers: {} });
  const rt = opened.runtime;
  // One of each kind of sample, through the same helpers the lifecycle records with.
  observeRefresh(rt.metrics, 'acme', new Date(Date.now() + 600_000)).done({ status: 'refreshed' });
  observeRefresh(rt.metrics, 'acme', null).failed('timeout');
  observeExchange(rt.metrics, 'acme').done({ status: 'completed' });
  observeWebhookDelivery(rt.metrics, 'delivered');
  app = buildApp({ runtime: rt });
  await app.ready();
  health = await startHealthServer(rt, 0, '127.0.0.1');
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => health.close(resolve));
  await app.close();
  await opened.dispose();
});

async function scrapes(): Promise<{ ingress: string; worker: string }> {
  const ingress = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const port = (health.address() as AddressInfo).port;
  const worker = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return { ingress, worker };
}

describe.skipIf(!HAVE_PROMTOOL && process.env.CI === undefined)(
  'deploy/ checked by promtool',
  () => {
    it('promtool check rules and test rules pass on the alert rules', async () => {
      expect(await promtool(['check', 'rules', 'prometheus/alerts.yml'])).toMatch(
        /SUCCESS: 10 rules found/,
      );
      expect(await promtool(['test', 'rules', 'prometheus/alerts.test.yml'])).toContain('SUCCESS');
      expect(await promtool(['check', 'config', 'prometheus/prometheus.yml'])).toContain('SUCCESS');
    });

    it('promtool check metrics passes on live scrapes of the ingress and the worker', async () => {
      const { ingress, worker } = await scrapes();
      expect(ingress).toContain('tokenlane_refresh_total{provider="acme",outcome="refreshed"');
      for (const text of [ingress, worker]) {
        // promtool exits non-zero on any lint problem, one line per metric it names.
        const { ok, output } = await run(['check', 'metrics'], text);
        const findings = output.split('\n').filter((line) => line.trim() !== '');
        const ours = findings.filter((line) => !LIBRARY_LINT.has(line.split(' ')[0] ?? ''));
        expect(ours).toEqual([]);
        expect(ok || findings.length > 0).toBe(true);
      }
    });

    it("the dashboard's queries are valid PromQL over metrics tokenlane exports", async () => {
      const dashboard = JSON.parse(
        await readFile(join(DEPLOY, 'grafana/dashboards/tokenlane.json'), 'utf8'),
      ) as Dashboard;
      const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr));
      expect(exprs.length).toBeGreaterThanOrEqual(14);
      // Grafana's variables become what Prometheus would see; each query becomes a recording
      // rule, so promtool parses every one of them.
      const rules = exprs.map((expr, i) => ({
        record: `dashboard:query_${i}`,
        expr: expr.replaceAll('$__rate_interval', '5m').replaceAll('$provider', '.*'),
      }));
      const dir = await mkdtemp(join(tmpdir(), 'tokenlane-dashboard-'));
      try {
        const file = join(dir, 'dashboard-rules.yml');
        await writeFile(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }));
        expect(await promtool(['check', 'rules', file])).toContain(
          `SUCCESS: ${rules.length} rules found`,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      // Every tokenlane_* name in the dashboard and the alerts is one the processes export.
      const { ingress } = await scrapes();
      const exported = new Set([...ingress.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]));
      const alerts = await readFile(join(DEPLOY, 'prometheus/alerts.yml'), 'utf8');
      const used = new Set(
        [...`${exprs.join('\n')}\n${alerts}`.matchAll(/tokenlane_[a-z_]+/g)].map((m) => m[0]),
      );
      const base = (name: string) => name.replace(/_(bucket|count|sum)$/, '');
      for (const name of used) expect(exported, name).toContain(base(name));
      for (const wanted of [
        'tokenlane_refresh_total',
        'tokenlane_refresh_lead_time_seconds',
        'tokenlane_jobs',
        'tokenlane_connections',
        'tokenlane_provider_healthy',
        'tokenlane_webhook_deliveries_total',
      ]) {
        expect([...used].map(base), wanted).toContain(wanted);
      }
    });
  },
);

interface ComposeService {
  profiles?: string[];
  volumes?: string[];
  command?: string[];
  environment?: Record<string, unknown>;
}

describe('docker compose observability profile', () => {
  it('mounts deploy/ where Prometheus and Grafana read it, and leaves the default stack alone', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const compose = parse(await readFile(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, ComposeService>;
    };
    const { prometheus, grafana, jaeger, ...core } = compose.services;
    for (const [name, service] of Object.entries(core))
      expect(service.profiles, name).toBeUndefined();
    // Traces are their own opt-in profile (docs/operations.md, "Traces").
    expect(jaeger?.profiles).toEqual(['traces']);
    expect(prometheus?.profiles).toEqual(['observability']);
    expect(grafana?.profiles).toEqual(['observability']);
    const binds = [...(prometheus?.volumes ?? []), ...(grafana?.volumes ?? [])]
      .filter((volume) => volume.startsWith('./'))
      .map((volume) => volume.split(':') as [string, string, string?]);
    expect(binds.length).toBe(3);
    for (const [source] of binds) expect(existsSync(join(root, source)), source).toBe(true);
    const target = (source: string) => binds.find(([s]) => s === source)?.[1];

    // Prometheus: its config file and rules are where the command and rule_files say.
    const config = parse(await readFile(join(DEPLOY, 'prometheus/prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    expect(prometheus?.command).toContain(
      `--config.file=${target('./deploy/prometheus')}/prometheus.yml`,
    );
    for (const file of config.rule_files)
      expect(existsSync(join(DEPLOY, 'prometheus', file))).toBe(true);
    const targets = config.scrape_configs.flatMap((c) =>
      c.static_configs.flatMap((s) => s.targets),
    );
    // The ingress's metrics are on its internal listener, not on the public PORT.
    expect(targets.sort()).toEqual(['ingress:9100', 'worker:3001']);
    expect(core.ingress?.environment?.TOKENLANE_INTERNAL_PORT).toBe(9100);

    // Grafana: provisioning and dashboards where it looks, the datasource uid the dashboard uses.
    expect(target('./deploy/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const provider = parse(
      await readFile(join(DEPLOY, 'grafana/provisioning/dashboards/tokenlane.yml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    expect(target('./deploy/grafana/dashboards')).toBe(provider.providers[0]?.options.path);
    const datasources = parse(
      await readFile(join(DEPLOY, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: { uid: string; url: string }[] };
    expect(datasources.datasources[0]).toMatchObject({
      uid: 'prometheus',
      url: 'http://prometheus:9090',
    });
    const dashboard = await readFile(join(DEPLOY, 'grafana/dashboards/tokenlane.json'), 'utf8');
    const uids = new Set([...dashboard.matchAll(/"uid": "([^"]+)"/g)].map((m) => m[1]));
    expect([...uids].sort()).toEqual(['prometheus', 'tokenlane']);
  });
});
