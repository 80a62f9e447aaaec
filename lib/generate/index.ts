/**
 * Synthetic LLM-API traffic with ground truth: benign archetypes (with hard negatives) plus five
 * distillation campaigns (the `adversarial` mix adds nine honest look-alike shapes and three
 * campaigns), written as Hive-partitioned request logs, an accounts table and a
 * separate labels file. Deterministic from the seed; streams hour by hour in bounded memory.
 *
 * Layout under `outDir`:
 *   requests/dt=YYYY-MM-DD/part-00000.{jsonl,jsonl.gz,parquet}
 *   accounts/accounts.{jsonl,parquet}   (accounts.jsonl for jsonl.gz too)
 *   labels.jsonl                        ground truth, one AccountLabel per line
 *   generate.json                       options + summary (no paths, no clock: reproducible)
 *
 * New model: `claude-opus-4-7` (NEW_MODEL_ID, absent from the default model catalogue) is released
 * at 17:00 UTC on day max(1, floor(days/2)) (0-based) when days >= 3. With fewer days there is no
 * release: nobody uses it, and the summary reports
 * `newModel.released = false` with `releasedAt` set to the end of the window.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { ACCOUNT_FIELDS, LOG_SCHEMA_VERSION, REQUEST_FIELDS } from "../schema/log-schema.ts";
import { Ctx, NEW_MODEL_ID, type TrafficMix } from "./core.ts";
import {
  assignActors,
  type DaySink,
  LocalPool,
  makePlan,
  Partition,
  type PartitionPool,
  runEngine,
} from "./engine.ts";
import { type AccountLabel, labelOf } from "./labels.ts";
import { ThreadPool } from "./parallel.ts";
import { archetypesOf, buildPopulation, campaignsOf, populationFingerprint } from "./population.ts";
import { isoMs, makeWindow } from "./time.ts";
import { openWriter, ParquetConverter } from "./writer.ts";

export type { TrafficMix } from "./core.ts";
export type { AccountLabel } from "./labels.ts";
export { readLabels } from "./labels.ts";
export {
  ADVERSARIAL_ARCHETYPES,
  ADVERSARIAL_CAMPAIGNS,
  archetypesOf,
  BENIGN_ARCHETYPES,
  CAMPAIGNS,
  campaignsOf,
} from "./population.ts";

/** Every traffic mix, in the order the CLI and the evaluation list them. */
export const TRAFFIC_MIXES: readonly TrafficMix[] = ["baseline", "stealthy", "adversarial"];

export interface GenerateOptions {
  outDir: string;
  requests: number;
  days: number;
  seed: number;
  format: "jsonl" | "jsonl.gz" | "parquet";
  /** ISO date of the first day (UTC), default "2026-02-16" */
  start?: string;
  /** default "baseline" */
  mix?: TrafficMix;
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads generating in parallel (0 = in this thread). Default: min(3, CPUs - 1) from
   * 200k requests when at least 2 CPUs are spare, else 0. Output bytes do not depend on it.
   */
  workers?: number;
}

export interface GenerateSummary {
  requests: number;
  accounts: number;
  /** request files written (absolute paths when outDir is absolute) */
  files: string[];
  labelsPath: string;
  days: string[];
  /** `released` is false when the window is shorter than 3 days (then releasedAt = window end). */
  newModel: { id: string; releasedAt: string; released: boolean };
}

export const GENERATOR_VERSION = 1;
export const DEFAULT_START = "2026-02-16";

/**
 * From 200k requests and with at least 2 spare CPUs: one worker per spare CPU, at most 3. Each
 * worker costs ~130 MB (its own isolate and population copy); with 1-2 CPUs a single worker was
 * measured slower than generating in-process (the main thread then only merges and writes).
 */
function defaultWorkers(requests: number): number {
  const spare = availableParallelism() - 1;
  return requests >= 200_000 && spare >= 2 ? Math.min(3, spare) : 0;
}

function dayPath(outDir: string, day: string, ext: string): string {
  return join(outDir, "requests", `dt=${day}`, `part-00000.${ext}`);
}

function validate(o: GenerateOptions): void {
  if (!Number.isInteger(o.requests) || o.requests < 1) throw new Error("requests must be a positive integer");
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 366)
    throw new Error("days must be an integer in 1..366");
  if (!Number.isInteger(o.seed)) throw new Error("seed must be an integer");
  if (!["jsonl", "jsonl.gz", "parquet"].includes(o.format)) throw new Error(`unknown format ${o.format}`);
  if (o.mix !== undefined && !TRAFFIC_MIXES.includes(o.mix)) throw new Error(`unknown mix ${o.mix}`);
  if (o.workers !== undefined && (!Number.isInteger(o.workers) || o.workers < 0 || o.workers > 64)) {
    throw new Error("workers must be an integer in 0..64");
  }
}

/** Clears previous generator output; refuses to touch a directory that holds something else. */
function prepareOutDir(outDir: string): void {
  const marker = join(outDir, "generate.json");
  const ours = ["requests", "accounts", "labels.jsonl", ".tmp"];
  if (!existsSync(marker) && ours.slice(0, 2).some((d) => existsSync(join(outDir, d)))) {
    throw new Error(
      `${outDir} already has requests/ or accounts/ that the generator did not write; use an empty directory`,
    );
  }
  for (const d of [...ours, "generate.json"]) rmSync(join(outDir, d), { recursive: true, force: true });
  mkdirSync(join(outDir, "requests"), { recursive: true });
  mkdirSync(join(outDir, "accounts"), { recursive: true });
  mkdirSync(join(outDir, ".tmp"), { recursive: true });
}

function jsonlOf(rows: readonly object[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length > 0 ? "\n" : "");
}

export async function generateTraffic(o: GenerateOptions): Promise<GenerateSummary> {
  validate(o);
  const start = o.start ?? DEFAULT_START;
  const mix: TrafficMix = o.mix ?? "baseline";
  const w = makeWindow(start, o.days);
  const outDir = o.outDir;
  prepareOutDir(outDir);

  const pop = buildPopulation(o.seed, o.requests, mix, w);
  const perHour = makePlan(pop.actors, w, o.requests);
  const ctx = new Ctx(w, mix);
  const conv = new ParquetConverter();
  const files: string[] = [];
  const wanted = o.workers ?? defaultWorkers(o.requests);
  let pool: PartitionPool | null = null;
  const pending: Promise<void>[] = [];
  try {
    if (wanted > 0) {
      const owner = assignActors(pop.actors, wanted);
      pool = await ThreadPool.start(
        wanted,
        {
          seed: o.seed,
          requests: o.requests,
          mix,
          start,
          days: o.days,
          owner,
          fingerprint: populationFingerprint(pop),
        },
        pop.accounts.length,
      );
    }
    if (pool === null) pool = new LocalPool([new Partition(pop.actors, ctx, w, () => true)], pop.accounts);
    const written = await runEngine(pop.actors, pool, w, {
      total: o.requests,
      seed: o.seed,
      perHour,
      openDay: (day): DaySink => {
        const name = w.dayNames[day] as string;
        const path = dayPath(outDir, name, o.format);
        mkdirSync(join(outDir, "requests", `dt=${name}`), { recursive: true });
        files.push(path);
        const writer = openWriter(
          o.format,
          path,
          REQUEST_FIELDS,
          join(outDir, ".tmp", `requests-${name}.jsonl`),
          conv,
        );
        return {
          write: (b) => writer.write(b),
          // Parquet conversion of a finished day overlaps with generating the next one (at most one behind)
          close: async () => {
            while (pending.length > 0) await pending.shift();
            const p = writer.close();
            p.catch(() => undefined); // awaited later; avoid an "unhandled rejection" meanwhile
            pending.push(p);
          },
        };
      },
      ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
    });
    while (pending.length > 0) await pending.shift();
    if (written !== o.requests) throw new Error(`internal: wrote ${written} of ${o.requests} requests`);
    const counts = await pool.finish();
    for (const a of pop.accounts) a.requests = counts[a.idx] as number;

    // accounts and labels, sorted by (random) account id so that file order reveals nothing
    const accounts = [...pop.accounts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const accountsJsonl = jsonlOf(accounts.map((a) => a.rec));
    if (o.format === "parquet") {
      const tmp = join(outDir, ".tmp", "accounts.jsonl");
      writeFileSync(tmp, accountsJsonl);
      await conv.convert(ACCOUNT_FIELDS, tmp, join(outDir, "accounts", "accounts.parquet"));
    } else {
      writeFileSync(join(outDir, "accounts", "accounts.jsonl"), accountsJsonl);
    }
    const labels: AccountLabel[] = accounts.map(labelOf);
    const labelsPath = join(outDir, "labels.jsonl");
    writeFileSync(labelsPath, jsonlOf(labels));

    const released = w.releaseMs !== null;
    const summary: GenerateSummary = {
      requests: written,
      accounts: accounts.length,
      files,
      labelsPath,
      days: [...w.dayNames],
      newModel: { id: NEW_MODEL_ID, releasedAt: isoMs(w.releaseMs ?? w.endMs), released },
    };
    writeFileSync(
      join(outDir, "generate.json"),
      `${JSON.stringify(manifest(o, start, mix, summary, labels, outDir), null, 2)}\n`,
    );
    return summary;
  } finally {
    pool?.close();
    await Promise.allSettled(pending);
    conv.close();
    rmSync(join(outDir, ".tmp"), { recursive: true, force: true });
  }
}

interface Tally {
  accounts: number;
  requests: number;
}

function manifest(
  o: GenerateOptions,
  start: string,
  mix: TrafficMix,
  s: GenerateSummary,
  labels: readonly AccountLabel[],
  outDir: string,
) {
  const campaigns: Record<string, Tally & { share: number }> = {};
  for (const c of campaignsOf(mix)) campaigns[c] = { accounts: 0, requests: 0, share: 0 };
  const archetypes: Record<string, Tally & { hard_negative: boolean }> = {};
  for (const a of archetypesOf(mix)) archetypes[a] = { accounts: 0, requests: 0, hard_negative: false };
  for (const l of labels) {
    const t = l.kind === "campaign" ? campaigns[l.campaign ?? ""] : archetypes[l.archetype];
    if (t === undefined) continue;
    t.accounts++;
    t.requests += l.requests;
    if ("hard_negative" in t) t.hard_negative = l.hard_negative;
  }
  for (const c of Object.values(campaigns)) c.share = Math.round((c.requests / s.requests) * 1e6) / 1e6;
  const rel = (p: string) => relative(outDir, p).split("\\").join("/");
  return {
    generator: "distill-audit synthetic traffic",
    version: GENERATOR_VERSION,
    schemaVersion: LOG_SCHEMA_VERSION,
    options: { requests: o.requests, days: o.days, seed: o.seed, format: o.format, start, mix },
    summary: { ...s, files: s.files.map(rel), labelsPath: rel(s.labelsPath) },
    truth: { campaigns, archetypes },
  };
}
