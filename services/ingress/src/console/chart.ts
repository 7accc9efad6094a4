import type { RefreshHour } from '@tokenlane/db';
import { html, type SafeHtml } from './html.js';

const WIDTH = 720;
const HEIGHT = 200;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

/**
 * Refreshes and failures per hour as stacked bars, drawn on the server as SVG (no chart
 * library, no script). The same numbers follow as a table for screen readers and for reading.
 */
export function refreshChart(hours: readonly RefreshHour[], from: Date, count: number): SafeHtml {
  const slots = Array.from({ length: count }, (_, i) => {
    const start = new Date(from.getTime() + i * 3_600_000);
    const found = hours.find((hour) => hour.hour.getTime() === start.getTime());
    return { start, refreshed: found?.refreshed ?? 0, failed: found?.failed ?? 0 };
  });
  const max = Math.max(1, ...slots.map((slot) => slot.refreshed + slot.failed));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = plotW / count;
  const y = (value: number) => (value / max) * plotH;
  const bars = slots.map((slot, i) => {
    const x = PAD.left + i * step + 1;
    const w = Math.max(1, step - 2);
    const ok = y(slot.refreshed);
    const bad = y(slot.failed);
    const base = PAD.top + plotH;
    return html`<rect
        class="bar-ok"
        x="${x.toFixed(1)}"
        y="${(base - ok).toFixed(1)}"
        width="${w.toFixed(1)}"
        height="${ok.toFixed(1)}"
      ></rect
      ><rect
        class="bar-bad"
        x="${x.toFixed(1)}"
        y="${(base - ok - bad).toFixed(1)}"
        width="${w.toFixed(1)}"
        height="${bad.toFixed(1)}"
      ></rect
      >${
        i % 3 === 0
          ? html`<text x="${x.toFixed(1)}" y="${HEIGHT - 6}"
              >${slot.start.toISOString().slice(11, 13)}h</text
            >`
          : ''
      }`;
  });
  const total = slots.reduce((sum, slot) => sum + slot.refreshed, 0);
  const failed = slots.reduce((sum, slot) => sum + slot.failed, 0);
  return html`<figure>
    <svg role="img" aria-labelledby="chart-title" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%">
      <title id="chart-title">
        Refreshes (green) and failed refreshes (red) per hour, last ${count} hours (UTC): ${total}
        refreshed, ${failed} failed
      </title>
      <text x="2" y="${PAD.top + 10}">${max}</text>
      <text x="2" y="${PAD.top + plotH}">0</text>
      ${bars}
    </svg>
    <figcaption class="muted">
      Per hour (UTC), last ${count} hours: <strong>${total}</strong> refreshed,
      <strong>${failed}</strong> failed.
    </figcaption>
  </figure>`;
}
