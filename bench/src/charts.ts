import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface SweepPoint {
  readonly connections: number;
  readonly due: number;
  readonly sweepMs: number;
  readonly bareAddBulkMs: number;
}

export interface ThroughputPoint {
  readonly concurrency: number;
  readonly worker: string;
  readonly perSec: number;
}

/** Renders a Vega-Lite spec to PNG (vega draws SVG headless; resvg rasterizes it). */
async function renderPng(spec: TopLevelSpec, path: string): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG(2);
  view.finalize();
  const png = new Resvg(svg, {
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, png.asPng());
}

const base = { width: 520, height: 300, config: { font: 'DejaVu Sans' } } as const;

/** One line per series, on a log x axis: the shape of both charts. */
function lineChart(
  title: string,
  values: readonly { x: number; y: number; series: string }[],
  axes: { x: string; y: string },
  path: string,
): Promise<void> {
  return renderPng(
    {
      ...base,
      title,
      data: { values: [...values] },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', scale: { type: 'log' }, title: `${axes.x} (log)` },
        y: { field: 'y', type: 'quantitative', title: axes.y },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          legend: { orient: 'top-left', labelLimit: 400 },
        },
      },
    },
    path,
  );
}

/** Sweep time against table size: tokenlane's sweep and bare BullMQ addBulk of the same jobs. */
export function sweepChart(points: readonly SweepPoint[], path: string): Promise<void> {
  const values = points.flatMap((point) => [
    { x: point.connections, y: point.sweepMs, series: 'tokenlane sweep' },
    { x: point.connections, y: point.bareAddBulkMs, series: 'bare BullMQ addBulk' },
  ]);
  const title = 'Sweep time against connections (1 % due)';
  return lineChart(title, values, { x: 'connections', y: 'ms' }, path);
}

/** Jobs/s against worker concurrency: tokenlane refreshes and bare BullMQ no-op jobs. */
export function throughputChart(points: readonly ThroughputPoint[], path: string): Promise<void> {
  const values = points.map((point) => ({
    x: point.concurrency,
    y: point.perSec,
    series: point.worker,
  }));
  const title = 'Throughput against concurrency (one worker process)';
  return lineChart(title, values, { x: 'concurrency', y: 'jobs/s' }, path);
}
