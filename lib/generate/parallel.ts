/**
 * Worker-thread partitions: each worker rebuilds the (deterministic) population, owns a subset of
 * the actors and returns sorted slices of JSON lines; the main thread merges and writes them.
 * Workers load TypeScript through tsx (a runtime dependency), so this also works under vitest.
 */
import { Worker } from "node:worker_threads";
import type { TrafficMix } from "./core.ts";
import type { PartitionPool, SliceOut } from "./engine.ts";

export interface WorkerInit {
  seed: number;
  requests: number;
  mix: TrafficMix;
  start: string;
  days: number;
  owner: Uint8Array;
  part: number;
  /** actors and accounts the main thread built: the worker checks it built the same population */
  fingerprint: string;
}

export type ToWorker =
  | { t: "hour"; h: number; counts: Int32Array }
  | { t: "slice"; hi: number }
  | { t: "finish" };
export type FromWorker =
  | { t: "ready" }
  | { t: "slice"; keys: Float64Array; ends: Uint32Array; bytes: Uint8Array }
  | { t: "counts"; counts: Int32Array }
  | { t: "error"; message: string };

interface Pending {
  resolve: (m: FromWorker) => void;
  reject: (e: Error) => void;
}

class Thread {
  private readonly pending: Pending[] = [];
  private failed: Error | null = null;

  constructor(readonly worker: Worker) {
    worker.on("message", (m: FromWorker) => {
      if (m.t === "error") {
        this.fail(new Error(`generator worker: ${m.message}`));
        return;
      }
      this.pending.shift()?.resolve(m);
    });
    worker.on("error", (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
    worker.on("exit", (code) => {
      if (this.pending.length > 0) this.fail(new Error(`generator worker exited with code ${code}`));
    });
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const p of this.pending.splice(0)) p.reject(e);
  }

  /** The next message from the worker (messages arrive in request order). */
  next(): Promise<FromWorker> {
    if (this.failed !== null) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  post(m: ToWorker): void {
    this.worker.postMessage(m);
  }
}

function expect<T extends FromWorker["t"]>(m: FromWorker, t: T): Extract<FromWorker, { t: T }> {
  if (m.t !== t) throw new Error(`generator worker: expected ${t}, got ${m.t}`);
  return m as Extract<FromWorker, { t: T }>;
}

export class ThreadPool implements PartitionPool {
  /** slices requested ahead of the one being merged: keeps the workers busy while the main thread writes */
  readonly lookahead = 3;

  private constructor(
    private readonly threads: Thread[],
    private readonly accounts: number,
  ) {}

  /** Starts `k` workers; resolves to null when worker threads cannot run here (caller falls back). */
  static async start(
    k: number,
    init: Omit<WorkerInit, "part">,
    accounts: number,
  ): Promise<ThreadPool | null> {
    const threads: Thread[] = [];
    try {
      for (let part = 0; part < k; part++) {
        const worker = new Worker(new URL("./worker-entry.mjs", import.meta.url), {
          workerData: { ...init, part } satisfies WorkerInit,
        });
        threads.push(new Thread(worker));
      }
      const ready = await Promise.all(threads.map((t) => t.next()));
      for (const m of ready) expect(m, "ready");
      return new ThreadPool(threads, accounts);
    } catch {
      for (const t of threads) void t.worker.terminate();
      return null;
    }
  }

  get size(): number {
    return this.threads.length;
  }

  hour(h: number, counts: Int32Array): void {
    for (const t of this.threads) t.post({ t: "hour", h, counts });
  }

  async slice(hi: number): Promise<SliceOut[]> {
    const replies = this.threads.map((t) => {
      const p = t.next();
      t.post({ t: "slice", hi });
      return p;
    });
    return (await Promise.all(replies)).map((m) => {
      const s = expect(m, "slice");
      return { keys: s.keys, ends: s.ends, bytes: s.bytes };
    });
  }

  async finish(): Promise<Int32Array> {
    const replies = this.threads.map((t) => {
      const p = t.next();
      t.post({ t: "finish" });
      return p;
    });
    const total = new Int32Array(this.accounts);
    for (const m of await Promise.all(replies)) {
      const c = expect(m, "counts").counts;
      for (let i = 0; i < total.length; i++) total[i] = (total[i] as number) + (c[i] as number);
    }
    this.close();
    return total;
  }

  close(): void {
    for (const t of this.threads) void t.worker.terminate();
  }
}
