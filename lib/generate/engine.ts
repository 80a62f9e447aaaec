/**
 * The hour-by-hour engine.
 *
 * 1. `makePlan`: exactly `total` requests are spread over the hours in proportion to the actors'
 *    summed intensities (each actor's `shape` scaled to its `volume`).
 * 2. `hourCounts`: each hour's count is split between actors (multinomial, seeded per hour).
 * 3. `Partition`: generates the requests of the actors it owns: actors place them inside the hour,
 *    they are sorted by (time, actor) and emitted as JSON lines, in slices of the hour.
 * 4. `runEngine`: merges the partitions' sorted slices (one partition in-process, or several in
 *    worker threads) and appends them to the day's file.
 *
 * Every actor draws from its own random streams, so the bytes do not depend on how actors are
 * partitioned. Memory: one hour of 8-byte sort keys per partition plus a few slices of lines.
 */

import { HOUR_MS } from "../time.ts";
import type { Account, Actor, Ctx } from "./core.ts";
import { Rng } from "./rng.ts";
import type { Window } from "./time.ts";

/** Sort key = offset in the hour (ms) * ACTOR_BITS + actor index. */
export const ACTOR_BITS = 2 ** 20;
/** Lines per slice (a partition's unit of work and of transfer). */
export const SLICE_LINES = 16_384;
/** Output buffer of the writer loop. */
const BUF_BYTES = 4 << 20;

export interface DaySink {
  /** Writes bytes; the buffer is reused by the caller once this returns (or its promise settles). */
  write(bytes: Buffer): Promise<void> | undefined;
  close(): Promise<void>;
}

/** Largest-remainder rounding of `weights` to integers summing to `total`. */
export function apportion(weights: Float64Array, total: number): Int32Array {
  const out = new Int32Array(weights.length);
  let sum = 0;
  for (const x of weights) sum += x;
  if (!(sum > 0)) return out;
  const rem: { i: number; r: number }[] = [];
  let given = 0;
  weights.forEach((x, i) => {
    const exact = (x / sum) * total;
    const base = Math.floor(exact);
    out[i] = base;
    given += base;
    if (x > 0) rem.push({ i, r: exact - base });
  });
  rem.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; given < total && rem.length > 0; k = (k + 1) % rem.length) {
    const j = (rem[k] as { i: number }).i;
    out[j] = (out[j] as number) + 1;
    given++;
  }
  return out;
}

/** Sets every actor's `shapeSum` and returns the exact number of requests of each hour. */
export function makePlan(actors: readonly Actor[], w: Window, total: number): Int32Array {
  if (actors.length >= ACTOR_BITS) throw new Error("too many actors");
  for (const a of actors) a.shapeSum = 0;
  for (let h = 0; h < w.hours; h++) for (const a of actors) a.shapeSum += a.shape(h);
  const hourly = new Float64Array(w.hours);
  for (let h = 0; h < w.hours; h++) {
    let s = 0;
    for (const a of actors) if (a.shapeSum > 0) s += (a.volume * a.shape(h)) / a.shapeSum;
    hourly[h] = s;
  }
  return apportion(hourly, total);
}

/** Splits the `n` requests of hour `h` between actors (multinomial on their intensities). */
export function hourCounts(actors: readonly Actor[], h: number, n: number, seed: number): Int32Array {
  const counts = new Int32Array(actors.length);
  if (n === 0) return counts;
  const cum = new Float64Array(actors.length);
  const ids = new Int32Array(actors.length);
  let m = 0;
  let t = 0;
  for (let i = 0; i < actors.length; i++) {
    const a = actors[i] as Actor;
    if (a.shapeSum <= 0) continue;
    const x = (a.volume * a.shape(h)) / a.shapeSum;
    if (x <= 0) continue;
    t += x;
    cum[m] = t;
    ids[m] = i;
    m++;
  }
  if (m === 0) throw new Error(`no active actor in hour ${h}`);
  const rng = new Rng(seed, `allocation-${h}`);
  for (let k = 0; k < n; k++) {
    const u = rng.next() * t;
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cum[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    const j = ids[lo] as number;
    counts[j] = (counts[j] as number) + 1;
  }
  return counts;
}

/** A slice of sorted lines: sort keys, end offset of each line in `bytes`, the UTF-8 bytes. */
export interface SliceOut {
  keys: Float64Array;
  ends: Uint32Array;
  bytes: Uint8Array;
}

/** Generates the lines of the actors it owns (`actors[i]` may be null for actors it does not own). */
export class Partition {
  private keys = new Float64Array(1024);
  private n = 0;
  private pos = 0;
  private hourStart = 0;
  private buf = Buffer.allocUnsafe(8 << 20);

  constructor(
    private readonly actors: readonly (Actor | null)[],
    private readonly ctx: Ctx,
    private readonly w: Window,
    private readonly owns: (actorIdx: number) => boolean,
  ) {}

  /** Schedules this hour's requests of the owned actors and sorts them by (time, actor). */
  startHour(h: number, counts: Int32Array): void {
    let total = 0;
    for (let i = 0; i < counts.length; i++) if (this.owns(i)) total += counts[i] as number;
    if (this.keys.length < total) this.keys = new Float64Array(Math.max(total, this.keys.length * 2));
    const keys = this.keys;
    let kn = 0;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i] as number;
      if (c === 0 || !this.owns(i)) continue;
      (this.actors[i] as Actor).schedule(h, c, (off) => {
        keys[kn++] = off * ACTOR_BITS + i;
      });
    }
    if (kn !== total) throw new Error(`actors scheduled ${kn} of ${total} requests in hour ${h}`);
    keys.subarray(0, kn).sort();
    this.n = kn;
    this.pos = 0;
    this.hourStart = this.w.startMs + h * HOUR_MS;
  }

  /** Emits the scheduled requests with an in-hour offset below `hiMs` (continuing from the last slice). */
  slice(hiMs: number): SliceOut {
    const keys = this.keys;
    const limit = hiMs * ACTOR_BITS;
    let end = this.pos;
    while (end < this.n && (keys[end] as number) < limit) end++;
    const count = end - this.pos;
    const ends = new Uint32Array(count);
    let used = 0;
    for (let k = 0; k < count; k++) {
      const key = keys[this.pos + k] as number;
      const off = Math.floor(key / ACTOR_BITS);
      const actor = this.actors[key - off * ACTOR_BITS] as Actor;
      this.ctx.actor = actor;
      const line = JSON.stringify(actor.emit(this.hourStart + off, this.ctx));
      // worst case: 3 UTF-8 bytes per UTF-16 unit, plus the newline
      const need = used + line.length * 3 + 1;
      if (need > this.buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
        this.buf.copy(bigger, 0, 0, used);
        this.buf = bigger;
      }
      used += this.buf.write(line, used);
      this.buf[used++] = 10;
      ends[k] = used;
    }
    // copies (Buffer#slice would be a view): the result may be transferred to another thread
    const bytes = new Uint8Array(used);
    bytes.set(this.buf.subarray(0, used));
    const out: SliceOut = { keys: keys.slice(this.pos, end), ends, bytes };
    this.pos = end;
    return out;
  }
}

/** A set of partitions working on the same hours (in-process or in worker threads). */
export interface PartitionPool {
  readonly size: number;
  /** slices to request ahead of the one being merged (0 for in-process partitions) */
  readonly lookahead: number;
  /** Starts hour h everywhere (no reply). */
  hour(h: number, counts: Int32Array): void;
  /** Next slice of the current hour from every partition, in partition order. */
  slice(hiMs: number): Promise<SliceOut[]>;
  /** Requests per account (indexed by account idx) over all partitions; then the pool shuts down. */
  finish(): Promise<Int32Array>;
  close(): void;
}

/** Partitions run in this thread (used when worker threads are off or unavailable). */
export class LocalPool implements PartitionPool {
  readonly lookahead = 0;
  constructor(
    private readonly parts: readonly Partition[],
    private readonly accounts: readonly Account[],
  ) {}
  get size(): number {
    return this.parts.length;
  }
  hour(h: number, counts: Int32Array): void {
    for (const p of this.parts) p.startHour(h, counts);
  }
  async slice(hiMs: number): Promise<SliceOut[]> {
    return this.parts.map((p) => p.slice(hiMs));
  }
  async finish(): Promise<Int32Array> {
    // in-process partitions share the Account objects: their counters already hold the totals
    const out = new Int32Array(this.accounts.length);
    for (const a of this.accounts) out[a.idx] = a.requests;
    return out;
  }
  close(): void {}
}

/** Assigns actors to `k` partitions, balancing expected volume (largest first). */
export function assignActors(actors: readonly Actor[], k: number): Uint8Array {
  const owner = new Uint8Array(actors.length);
  if (k <= 1) return owner;
  const load = new Float64Array(k);
  const order = actors
    .map((_, i) => i)
    .sort((a, b) => (actors[b] as Actor).volume - (actors[a] as Actor).volume || a - b);
  for (const i of order) {
    let best = 0;
    for (let p = 1; p < k; p++) if ((load[p] as number) < (load[best] as number)) best = p;
    owner[i] = best;
    load[best] = (load[best] as number) + (actors[i] as Actor).volume;
  }
  return owner;
}

export interface EngineOptions {
  readonly total: number;
  readonly seed: number;
  readonly perHour: Int32Array;
  readonly openDay: (day: number) => DaySink;
  readonly onProgress?: (done: number, total: number) => void;
}

export async function runEngine(
  actors: readonly Actor[],
  pool: PartitionPool,
  w: Window,
  o: EngineOptions,
): Promise<number> {
  const buf = Buffer.allocUnsafe(BUF_BYTES);
  let used = 0;
  let done = 0;
  let day = -1;
  let sink: DaySink | null = null;

  const flush = async () => {
    if (used === 0 || sink === null) return;
    const p = sink.write(buf.subarray(0, used));
    if (p !== undefined) await p;
    used = 0;
  };
  const put = async (src: Uint8Array, a: number, b: number) => {
    let s = a;
    while (s < b) {
      if (used === BUF_BYTES) await flush();
      const n = Math.min(b - s, BUF_BYTES - used);
      buf.set(src.subarray(s, s + n), used);
      used += n;
      s += n;
    }
  };
  const toDay = async (d: number) => {
    while (day < d) {
      if (sink !== null) {
        await flush();
        await sink.close();
      }
      day++;
      sink = o.openDay(day);
    }
  };
  const consume = async (d: number, parts: SliceOut[]) => {
    await toDay(d);
    let lines = 0;
    if (parts.length === 1) {
      const p = parts[0] as SliceOut;
      await put(p.bytes, 0, p.bytes.length);
      lines = p.ends.length;
    } else {
      // k-way merge by key, copying runs of consecutive lines from the same partition at once
      const pos = new Int32Array(parts.length);
      for (;;) {
        let best = -1;
        let bestKey = Number.POSITIVE_INFINITY;
        let second = Number.POSITIVE_INFINITY;
        for (let j = 0; j < parts.length; j++) {
          const p = parts[j] as SliceOut;
          const i = pos[j] as number;
          if (i >= p.keys.length) continue;
          const key = p.keys[i] as number;
          if (key < bestKey) {
            second = bestKey;
            bestKey = key;
            best = j;
          } else if (key < second) second = key;
        }
        if (best < 0) break;
        const p = parts[best] as SliceOut;
        const i0 = pos[best] as number;
        let i1 = i0 + 1;
        while (i1 < p.keys.length && (p.keys[i1] as number) < second) i1++;
        await put(p.bytes, i0 === 0 ? 0 : (p.ends[i0 - 1] as number), p.ends[i1 - 1] as number);
        pos[best] = i1;
        lines += i1 - i0;
      }
    }
    done += lines;
    o.onProgress?.(done, o.total);
    // let timers (progress bars) and I/O callbacks run
    await new Promise<void>((r) => setImmediate(r));
  };

  const queue: { day: number; parts: Promise<SliceOut[]> }[] = [];
  const drain = async (keep: number) => {
    while (queue.length > keep) {
      const t = queue.shift() as { day: number; parts: Promise<SliceOut[]> };
      await consume(t.day, await t.parts);
    }
  };
  for (let h = 0; h < w.hours; h++) {
    const n = o.perHour[h] as number;
    if (n === 0) continue;
    pool.hour(h, hourCounts(actors, h, n, o.seed));
    const slices = Math.max(1, Math.ceil(n / SLICE_LINES));
    for (let s = 1; s <= slices; s++) {
      const hi = s === slices ? HOUR_MS : Math.floor((s * HOUR_MS) / slices);
      const parts = pool.slice(hi);
      parts.catch(() => undefined); // awaited in order by drain(); avoids "unhandled rejection" if a worker dies
      queue.push({ day: Math.floor(h / 24), parts });
      await drain(pool.lookahead);
    }
  }
  await drain(0);
  await toDay(w.days - 1);
  await flush();
  if (sink !== null) await (sink as DaySink).close();
  return done;
}
