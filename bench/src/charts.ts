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

/** Sweep time against table size: tokenlane's sweep and bare BullMQ addBulk of the same jobs. */
export function sweepChart(points: readonly SweepPoint[], path: string): Promise<void> {
  const values = points.flatMap((point) => [
    { connections: point.connections, series: 'tokenlane sweep', ms: point.sweepMs },
    { connections: point.connections, series: 'bare BullMQ addBulk', ms: point.bareAddBulkMs },
  ]);
  return renderPng(
    {
      ...base,
      title: 'Sweep time against connections (1 % due)',
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'connections',
          type: 'quantitative',
          scale: { type: 'log' },
          title: 'connections (log)',
        },
        y: { field: 'ms', type: 'quantitative', title: 'ms' },
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

/** Jobs/s against worker concurrency: tokenlane refreshes and bare BullMQ no-op jobs. */
export function throughputChart(points: readonly ThroughputPoint[], path: string): Promise<void> {
  return renderPng(
    {
      ...base,
      title: 'Throughput against concurrency (one worker process)',
      data: { values: [...points] },
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'concurrency',
          type: 'quantitative',
          scale: { type: 'log' },
          title: 'concurrency (log)',
        },
        y: { field: 'perSec', type: 'quantitative', title: 'jobs/s' },
        color: {
          field: 'worker',
          type: 'nominal',
          title: null,
          legend: { orient: 'top-left', labelLimit: 400 },
        },
      },
    },
    path,
  );
}
