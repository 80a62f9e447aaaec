/** Same options -> byte-identical files (JSON Lines, gzip, Parquet, any number of worker threads). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assignActors } from "../../lib/generate/engine.ts";
import { type GenerateOptions, generateTraffic } from "../../lib/generate/index.ts";
import { ThreadPool } from "../../lib/generate/parallel.ts";
import { buildPopulation, populationFingerprint } from "../../lib/generate/population.ts";
import { makeWindow } from "../../lib/generate/time.ts";
import { REQUEST_FIELDS } from "../../lib/schema/log-schema.ts";
import { duck, hashTree, readRequests, removeDir, tempDir } from "./helpers.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

async function run(o: Omit<GenerateOptions, "outDir">): Promise<string> {
  const dir = tempDir("det");
  dirs.push(dir);
  await generateTraffic({ ...o, outDir: dir });
  return dir;
}

const base = { requests: 6_000, days: 4, seed: 7, start: "2026-03-02" } as const;

describe("determinism", () => {
  it("JSON Lines: same seed gives byte-identical files, another seed different ones", async () => {
    const a = await run({ ...base, format: "jsonl" });
    const b = await run({ ...base, format: "jsonl" });
    const c = await run({ ...base, seed: 8, format: "jsonl" });

    const ha = hashTree(a);
    const hb = hashTree(b);
    const hc = hashTree(c);

    expect(Object.keys(ha)).toContain("labels.jsonl");
    expect(Object.keys(ha)).toContain("generate.json");
    expect(hb).toEqual(ha);
    expect(hc["labels.jsonl"]).not.toBe(ha["labels.jsonl"]);
    expect(hc["requests/dt=2026-03-02/part-00000.jsonl"]).not.toBe(
      ha["requests/dt=2026-03-02/part-00000.jsonl"],
    );
  }, 60_000);

  it("can start worker threads here (so the next test really compares threads with in-process)", async () => {
    const w = makeWindow("2026-03-02", 4);
    const pop = buildPopulation(11, 6_000, "stealthy", w);
    const init = { seed: 11, requests: 6_000, mix: "stealthy" as const, start: "2026-03-02", days: 4 };

    const pool = await ThreadPool.start(
      2,
      { ...init, owner: assignActors(pop.actors, 2), fingerprint: populationFingerprint(pop) },
      pop.accounts.length,
    );
    pool?.close();

    expect(pool?.size).toBe(2);
  }, 60_000);

  it("worker threads produce the same bytes as in-process generation", async () => {
    const local = await run({ ...base, seed: 11, format: "jsonl", mix: "stealthy", workers: 0 });
    const threaded = await run({ ...base, seed: 11, format: "jsonl", mix: "stealthy", workers: 3 });

    expect(hashTree(threaded)).toEqual(hashTree(local));
  }, 60_000);

  it("adversarial mix: byte-identical across runs and worker counts, and unlike stealthy", async () => {
    const local = await run({ ...base, seed: 13, format: "jsonl", mix: "adversarial", workers: 0 });
    const again = await run({ ...base, seed: 13, format: "jsonl", mix: "adversarial", workers: 0 });
    const threaded = await run({ ...base, seed: 13, format: "jsonl", mix: "adversarial", workers: 3 });
    const stealthy = await run({ ...base, seed: 13, format: "jsonl", mix: "stealthy", workers: 0 });

    expect(hashTree(again)).toEqual(hashTree(local));
    expect(hashTree(threaded)).toEqual(hashTree(local));
    expect(hashTree(stealthy)["labels.jsonl"]).not.toBe(hashTree(local)["labels.jsonl"]);
  }, 90_000);

  it("gzip: byte-identical and decompresses to the same records as JSON Lines", async () => {
    const a = await run({ ...base, format: "jsonl.gz" });
    const b = await run({ ...base, format: "jsonl.gz" });
    const plain = await run({ ...base, format: "jsonl" });

    expect(hashTree(b)).toEqual(hashTree(a));
    expect(readRequests(a).map((r) => r.line)).toEqual(readRequests(plain).map((r) => r.line));
  }, 60_000);

  it("Parquet: byte-identical, schema types and order, same rows as JSON Lines", async () => {
    const a = await run({ ...base, format: "parquet" });
    const b = await run({ ...base, format: "parquet" });
    const plain = await run({ ...base, format: "jsonl" });

    const types = await duck(
      `DESCRIBE SELECT * FROM read_parquet('${join(a, "requests", "*", "*.parquet")}', hive_partitioning = false)`,
    );
    const expected = REQUEST_FIELDS.map((f) => ({
      column_name: f.name,
      column_type: { string: "VARCHAR", timestamp: "TIMESTAMP", integer: "BIGINT", double: "DOUBLE" }[f.type],
    }));
    const rows = await duck(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT request_id)::INTEGER AS ids, strftime(min(ts), '%Y-%m-%dT%H:%M:%S.%gZ') AS first
       FROM read_parquet('${join(a, "requests", "*", "*.parquet")}')`,
    );
    const firstJson = JSON.parse(
      readFileSync(join(plain, "requests", "dt=2026-03-02", "part-00000.jsonl"), "utf8").split(
        "\n",
      )[0] as string,
    );

    expect(hashTree(b)).toEqual(hashTree(a));
    expect(types.map((t) => ({ column_name: t.column_name, column_type: t.column_type }))).toEqual(expected);
    expect(rows).toEqual([{ n: 6_000, ids: 6_000, first: firstJson.ts }]);
    expect(hashTree(a)["accounts/accounts.parquet"]).toBeDefined();
  }, 60_000);
});
