/** Time window, hour indexing and activity curves (diurnal and weekly) for the generator. */

import { DAY_MS, HOUR_MS } from "../time.ts";

export interface Window {
  readonly startMs: number;
  readonly days: number;
  readonly hours: number;
  readonly endMs: number;
  /** "YYYY-MM-DD" for every day of the window. */
  readonly dayNames: readonly string[];
  /** Release instant of the new model, or null when the window is too short for a release. */
  readonly releaseMs: number | null;
}

/** The release happens at 17:00 UTC on day max(1, floor(days / 2)) (0-based), i.e. never on the first day. */
export const RELEASE_HOUR_UTC = 17;

export function makeWindow(start: string, days: number): Window {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) throw new Error(`start must be YYYY-MM-DD, got ${start}`);
  const startMs = Date.parse(`${start}T00:00:00.000Z`);
  if (!Number.isFinite(startMs)) throw new Error(`invalid start date ${start}`);
  const dayNames: string[] = [];
  for (let d = 0; d < days; d++) dayNames.push(new Date(startMs + d * DAY_MS).toISOString().slice(0, 10));
  const releaseDay = Math.max(1, Math.floor(days / 2));
  const releaseMs = days >= 3 ? startMs + releaseDay * DAY_MS + RELEASE_HOUR_UTC * HOUR_MS : null;
  return { startMs, days, hours: days * 24, endMs: startMs + days * DAY_MS, dayNames, releaseMs };
}

/** 0 = Monday … 6 = Sunday, for an epoch-ms instant shifted by a UTC offset in hours. */
export function localWeekday(ms: number, tzHours: number): number {
  const d = new Date(ms + tzHours * HOUR_MS).getUTCDay();
  return (d + 6) % 7;
}

export function localHour(ms: number, tzHours: number): number {
  const h = Math.floor((ms + tzHours * HOUR_MS) / HOUR_MS) % 24;
  return h < 0 ? h + 24 : h;
}

function curve(values: number[]): Float64Array {
  if (values.length !== 24) throw new Error("curve needs 24 values");
  return Float64Array.from(values);
}

/** Relative activity by local hour of day. */
export const DIURNAL = {
  /** people at home: evenings, some lunch, little at night */
  human: curve([
    0.25, 0.12, 0.06, 0.04, 0.04, 0.07, 0.18, 0.4, 0.62, 0.75, 0.82, 0.85, 0.86, 0.84, 0.82, 0.84, 0.88, 0.9,
    0.95, 1, 1, 0.9, 0.7, 0.45,
  ]),
  /** office hours with a lunch dip */
  office: curve([
    0.03, 0.02, 0.02, 0.02, 0.02, 0.04, 0.1, 0.3, 0.7, 0.95, 1, 0.95, 0.7, 0.85, 0.98, 0.95, 0.85, 0.6, 0.35,
    0.22, 0.16, 0.12, 0.08, 0.05,
  ]),
  /** developers: late start, long afternoon, some evening work */
  developer: curve([
    0.12, 0.06, 0.03, 0.02, 0.02, 0.03, 0.06, 0.15, 0.4, 0.7, 0.9, 0.95, 0.8, 0.9, 1, 1, 0.95, 0.8, 0.55,
    0.45, 0.5, 0.5, 0.38, 0.22,
  ]),
  /** consumer apps serving end users around the world: mild swing */
  service: curve([
    0.7, 0.64, 0.6, 0.58, 0.6, 0.66, 0.74, 0.84, 0.92, 0.97, 1, 1, 0.98, 0.98, 1, 1, 0.98, 0.96, 0.94, 0.92,
    0.9, 0.86, 0.8, 0.75,
  ]),
  flat: curve(new Array(24).fill(1)),
} as const;

/** Relative activity by weekday, Monday first. */
export const WEEKLY = {
  human: [0.95, 0.95, 0.97, 0.97, 0.95, 1.05, 1.1],
  office: [1, 1.02, 1.02, 1, 0.9, 0.14, 0.1],
  developer: [1, 1.05, 1.05, 1, 0.9, 0.35, 0.3],
  service: [1, 1, 1, 1, 1, 0.9, 0.88],
  flat: [1, 1, 1, 1, 1, 1, 1],
} as const;

export type CurveName = keyof typeof DIURNAL;

/** Activity multiplier at hour index `h` of the window for someone in UTC offset `tz`. */
export function activity(w: Window, h: number, tz: number, diurnal: CurveName, weekly: CurveName): number {
  const ms = w.startMs + h * HOUR_MS + HOUR_MS / 2;
  return (DIURNAL[diurnal][localHour(ms, tz)] as number) * (WEEKLY[weekly][localWeekday(ms, tz)] as number);
}

/** RFC 3339 UTC with milliseconds, e.g. 2026-02-16T03:04:05.123Z. */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/** Fast isoMs for timestamps that arrive hour by hour (caches the "YYYY-MM-DDTHH:" prefix). */
export class TsFormatter {
  private hourStart = Number.NaN;
  private prefix = "";

  format(ms: number): string {
    const off = ms - this.hourStart;
    if (!(off >= 0 && off < HOUR_MS)) {
      this.hourStart = Math.floor(ms / HOUR_MS) * HOUR_MS;
      this.prefix = isoMs(this.hourStart).slice(0, 14);
      return this.format(ms);
    }
    const m = Math.floor(off / 60_000);
    const r = off - m * 60_000;
    const s = Math.floor(r / 1000);
    return `${this.prefix}${PAD2[m]}:${PAD2[s]}.${PAD3[r - s * 1000]}Z`;
  }
}

/** RFC 3339 UTC without fractional seconds in a fixed millisecond form (used for account records). */
export function isoSeconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}.000Z`;
}
