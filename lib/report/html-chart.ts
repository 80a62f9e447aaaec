import { DAY_MS, HOUR_MS } from "../time.ts";
import { type Html, html, join, n } from "./markup.ts";

/**
 * Inline-SVG charts for report.html: no script, no external resource, scalable and printable.
 */

// Above a month of hourly points, hours are summed into wider buckets to keep the SVG small.
const MAX_POINTS = 744;

export interface Series {
  readonly label: string;
  readonly color: string;
  readonly hourly: readonly { readonly hour: string; readonly requests: number }[];
}

export interface ChartWindow {
  readonly start: string;
  readonly end: string;
}

interface Buckets {
  readonly start: number;
  readonly size: number;
  readonly count: number;
}

function buckets(window: ChartWindow): Buckets {
  const start = Math.floor(Date.parse(window.start) / HOUR_MS) * HOUR_MS;
  const end = Math.max(start + HOUR_MS, Date.parse(window.end));
  const hours = Math.ceil((end - start) / HOUR_MS);
  const size = Math.max(1, Math.ceil(hours / MAX_POINTS)) * HOUR_MS;
  return { start, size, count: Math.ceil((end - start) / size) };
}

function values(b: Buckets, hourly: Series["hourly"]): number[] {
  const out = new Array<number>(b.count).fill(0);
  for (const { hour, requests } of hourly) {
    const i = Math.floor((Date.parse(hour) - b.start) / b.size);
    if (i >= 0 && i < b.count) out[i] = (out[i] ?? 0) + requests;
  }
  return out;
}

/** A round axis maximum and step: 1, 2, 2.5 or 5 times a power of ten. */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (max <= 0) return { max: 1, step: 1 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  return { max: Math.ceil(max / step) * step, step };
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function dayLabel(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

function linePath(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${n(x)} ${n(y)}`).join("");
}

/** Requests per hour of several findings on one time axis, with gridlines and day ticks. */
export function trafficChart(window: ChartWindow, series: readonly Series[], title: string): Html {
  const width = 1080;
  const height = 300;
  const m = { left: 58, right: 18, top: 14, bottom: 34 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const b = buckets(window);
  const data = series.map((s) => values(b, s.hourly));
  const scale = niceScale(data.reduce((m, d) => d.reduce((a, v) => Math.max(a, v), m), 0));
  const x = (i: number): number => m.left + (b.count <= 1 ? 0 : (i / (b.count - 1)) * plotW);
  const y = (v: number): number => m.top + plotH - (v / scale.max) * plotH;
  const grid = [];
  for (let v = 0; v <= scale.max + scale.step / 2; v += scale.step) {
    grid.push(html`<line class="grid" x1="${m.left}" x2="${width - m.right}" y1="${n(y(v))}" y2="${n(y(v))}"/>
      <text class="tick" x="${m.left - 8}" y="${n(y(v) + 4)}" text-anchor="end">${compact.format(v)}</text>`);
  }
  const end = b.start + b.count * b.size;
  const firstDay = Math.ceil(b.start / DAY_MS) * DAY_MS;
  const days = Math.max(1, Math.round((end - firstDay) / DAY_MS));
  const every = Math.max(1, Math.ceil(days / 10));
  const ticks = [];
  for (let t = firstDay, k = 0; t <= end; t += DAY_MS, k += 1) {
    const px = m.left + ((t - b.start) / (end - b.start)) * plotW;
    ticks.push(html`<line class="daymark" x1="${n(px)}" x2="${n(px)}" y1="${m.top}" y2="${m.top + plotH}"/>`);
    if (k % every === 0 && t < end) {
      ticks.push(html`<text class="tick" x="${n(px + 4)}" y="${height - 12}">${dayLabel(t)}</text>`);
    }
  }
  const lines = series.map((s, k) => {
    const pts = (data[k] ?? []).map((v, i) => [x(i), y(v)] as const);
    const line = linePath(pts);
    const area = `${line}L${n(x(pts.length - 1))} ${n(y(0))}L${n(x(0))} ${n(y(0))}Z`;
    return html`<g><title>${s.label}</title><path d="${area}" fill="${s.color}" fill-opacity="0.07" stroke="none"/><path d="${line}" fill="none" stroke="${s.color}" stroke-width="1.6" stroke-linejoin="round"/></g>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}" xmlns="http://www.w3.org/2000/svg">
    <title>${title}</title>
    ${join(grid)}${join(ticks)}
    <line class="axis" x1="${m.left}" x2="${width - m.right}" y1="${m.top + plotH}" y2="${m.top + plotH}"/>
    <text class="unit" x="${m.left}" y="${m.top - 2}">requests / ${b.size === HOUR_MS ? "hour" : `${b.size / HOUR_MS} h`}</text>
    ${join(lines)}
  </svg>`;
}

/** A small filled line of one finding's hourly traffic over the window, for its detail card. */
export function sparkline(window: ChartWindow, hourly: Series["hourly"], color: string, label: string): Html {
  const width = 600;
  const height = 56;
  const b = buckets(window);
  const data = values(b, hourly);
  const max = data.reduce((m, v) => Math.max(m, v), 1);
  const x = (i: number): number => (b.count <= 1 ? 0 : (i / (b.count - 1)) * width);
  const y = (v: number): number => 4 + (height - 6) * (1 - v / max);
  const line = linePath(data.map((v, i) => [x(i), y(v)] as const));
  const area = `${line}L${width} ${height}L0 ${height}Z`;
  return html`<svg class="spark" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg"><title>${label}</title><path d="${area}" fill="${color}" fill-opacity="0.12"/><path d="${line}" fill="none" stroke="${color}" stroke-width="1.4" vector-effect="non-scaling-stroke"/></svg>`;
}
