/** Timing patterns inside one hour (offsets in ms from the start of the hour). */

import { HOUR_MS } from "../time.ts";
import type { Rng } from "./rng.ts";

type Push = (offsetMs: number) => void;

/** Wraps an offset into the hour (sessions that would run past the hour continue at its start). */
function clampHour(x: number): number {
  const t = Math.floor(x) % HOUR_MS;
  return t < 0 ? t + HOUR_MS : t;
}

/** Human sessions: requests clumped into a few sessions with gaps of `gapMeanMs` on average. */
export function sessions(rng: Rng, count: number, push: Push, perSession: number, gapMeanMs: number): void {
  let left = count;
  while (left > 0) {
    const k = Math.min(left, 1 + Math.floor(rng.exp(perSession)));
    const span = k * gapMeanMs;
    let t = rng.next() * Math.max(1, HOUR_MS - span);
    for (let i = 0; i < k; i++) {
      push(clampHour(t));
      t += 2000 + rng.exp(gapMeanMs);
    }
    left -= k;
  }
}

/** Synchronised waves: groups of `waveSize` requests fired within `jitterMs` of a common start. */
export function waves(rng: Rng, count: number, push: Push, waveSize: number, jitterMs: number): void {
  let left = count;
  while (left > 0) {
    const k = Math.min(left, waveSize);
    // waves start on minute boundaries (cron-like), then each account adds its own small delay
    const start = rng.int(60) * 60_000;
    for (let i = 0; i < k; i++) push(clampHour(start + rng.next() * jitterMs));
    left -= k;
  }
}

/** Evenly paced with jitter (a worker pool draining a queue). */
export function paced(rng: Rng, count: number, push: Push, jitterFrac: number): void {
  const step = HOUR_MS / count;
  const phase = rng.next() * step;
  for (let i = 0; i < count; i++) push(clampHour(phase + i * step + (rng.next() - 0.5) * step * jitterFrac));
}
