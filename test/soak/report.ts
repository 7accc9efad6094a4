import { FAULT_KINDS } from './faults.js';
import type { SoakReport } from './soak.js';

/** The soak's end table, in markdown: faults per kind, each invariant, what was done. */
export function renderReport(report: SoakReport): string {
  const { options } = report;
  const lines = [
    `### Chaos soak: ${options.minutes} min, seed ${options.seed}, ${options.connections} connections` +
      (options.rejoin ? '' : ', killed Redis masters left down'),
    '',
    '| fault | injected | cleared in (max) | failed to clear |',
    '| --- | --- | --- | --- |',
  ];
  for (const kind of FAULT_KINDS) {
    const of = report.faults.filter((fault) => fault.kind === kind);
    const slowest = Math.max(0, ...of.map((fault) => fault.tookMs));
    const failed = of.filter((fault) => fault.error !== undefined).length;
    lines.push(
      `| ${kind} | ${of.length} | ${of.length === 0 ? '–' : seconds(slowest)} | ${failed} |`,
    );
  }
  lines.push('', '| invariant | held | detail |', '| --- | --- | --- |');
  for (const check of report.checks) {
    lines.push(`| ${check.name} | ${check.held ? 'yes' : '**no**'} | ${check.detail} |`);
  }
  lines.push(
    '',
    `Refreshes done: ${report.refreshes}. Events delivered: ${report.eventsDelivered}. ` +
      `Duration: ${seconds(report.durationMs)} (fault phase, drain and end checks). ` +
      `Violations: ${report.violations.length}.`,
  );
  return lines.join('\n');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
