/** Worker thread: rebuilds the population, generates the slices of the actors it owns. */
import { parentPort, workerData } from "node:worker_threads";
import { Ctx } from "./core.ts";
import { Partition } from "./engine.ts";
import type { FromWorker, ToWorker, WorkerInit } from "./parallel.ts";
import { buildPopulation, populationFingerprint } from "./population.ts";
import { makeWindow } from "./time.ts";

const port = parentPort;
if (port === null) throw new Error("worker.ts must run in a worker thread");

function send(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  (port as NonNullable<typeof port>).postMessage(m, transfer);
}

try {
  const d = workerData as WorkerInit;
  const w = makeWindow(d.start, d.days);
  const pop = buildPopulation(d.seed, d.requests, d.mix, w);
  if (populationFingerprint(pop) !== d.fingerprint) throw new Error("worker built a different population");
  const ctx = new Ctx(w, d.mix);
  // keep only the owned actors (the others are garbage-collected): worker memory ~ population / workers
  const mine = pop.actors.map((a, i) => (d.owner[i] === d.part ? a : null));
  const accounts = pop.accounts;
  const part = new Partition(mine, ctx, w, (i) => d.owner[i] === d.part);
  port.on("message", (m: ToWorker) => {
    try {
      if (m.t === "hour") part.startHour(m.h, m.counts);
      else if (m.t === "slice") {
        const s = part.slice(m.hi);
        send({ t: "slice", keys: s.keys, ends: s.ends, bytes: s.bytes }, [
          s.keys.buffer as ArrayBuffer,
          s.ends.buffer as ArrayBuffer,
          s.bytes.buffer as ArrayBuffer,
        ]);
      } else {
        const counts = new Int32Array(accounts.length);
        for (const a of accounts) counts[a.idx] = a.requests;
        send({ t: "counts", counts }, [counts.buffer]);
      }
    } catch (e) {
      send({ t: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  send({ t: "ready" });
} catch (e) {
  send({ t: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
