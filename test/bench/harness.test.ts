import { describe, expect, it } from "vitest";
import { datasetName } from "../../bench/dataset.ts";
import { featureStageColumns, floorSql } from "../../bench/floor.ts";
import { replaceCalls } from "../../bench/profile.ts";
import { RssSampler } from "../../bench/rss.ts";
import { REQUEST_FIELDS } from "../../lib/schema/log-schema.ts";

describe("the floor", () => {
  it("reads the raw columns the feature stage names, prompt included", () => {
    const columns = featureStageColumns();
    expect(columns).toContain("prompt");
    const schema: string[] = REQUEST_FIELDS.map((f) => f.name);
    expect(columns.every((c) => schema.includes(c))).toBe(true);
  });

  it("measures text columns and counts the others, in schema order, for Parquet and JSON", () => {
    const parquet = floorSql("parquet", ["/d/dt=2026-02-16/a.parquet"], ["prompt", "ts", "input_tokens"]);
    expect(parquet).toBe(
      "SELECT count(*) AS requests, count(ts) AS ts_values, count(input_tokens) AS input_tokens_values, " +
        "sum(length(prompt)) AS prompt_chars FROM read_parquet(['/d/dt=2026-02-16/a.parquet'])",
    );
    const json = floorSql("jsonl", ["/d/o'k.jsonl"], ["ts", "prompt"]);
    expect(json).toContain("read_json(['/d/o''k.jsonl'], format = 'newline_delimited'");
    expect(json).toContain("columns = {ts: 'VARCHAR', prompt: 'VARCHAR'}");
  });
});

describe("replaceCalls", () => {
  it("replaces whole calls, with nested parentheses and parentheses or quotes inside strings", () => {
    const sql = "SELECT lower(regexp_replace(x, '(a|b)''s)', '#')), regexp_replace_all(y) FROM t";
    const r = replaceCalls(sql, "regexp_replace", (args) => args[0] ?? "");
    expect(r).toEqual({ text: "SELECT lower(x), regexp_replace_all(y) FROM t", count: 1 });
    expect(replaceCalls(r.text, "lower", () => "''").text).toBe("SELECT '', regexp_replace_all(y) FROM t");
  });
});

describe("datasetName", () => {
  it("names the cache folder by format and size, days and seed only when not the defaults", () => {
    expect(datasetName({ format: "parquet", requests: 1_000_000, days: 7, seed: 1 })).toBe("parquet-1000000");
    expect(datasetName({ format: "jsonl", requests: 5, days: 3, seed: 9 })).toBe("jsonl-5-3d-s9");
  });
});

describe("RssSampler", () => {
  it("attributes memory to the stage that held it, resident and in Node's heap", async () => {
    // Prepare
    const sampler = new RssSampler("small", 5);
    sampler.enter("large");
    const held = Buffer.alloc(64 * 1024 * 1024, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Act
    const peaks = sampler.stop();
    // Assess
    expect(held.length).toBeGreaterThan(0);
    expect(Object.keys(peaks.rss)).toEqual(["small", "large"]);
    expect(peaks.rss.large ?? 0).toBeGreaterThan((peaks.rss.small ?? 0) + 32 * 1024 * 1024);
    // A Buffer is external memory of Node's heap.
    expect(peaks.node.large ?? 0).toBeGreaterThan((peaks.node.small ?? 0) + 32 * 1024 * 1024);
  });
});
