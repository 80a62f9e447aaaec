import { describe, expect, it } from "vitest";
import type { QueryStats } from "../../lib/engine/port.ts";
import {
  type BundleFile,
  buildManifest,
  Manifest,
  renderManifest,
  sha256Hex,
  verifyManifest,
} from "../../lib/report/manifest.ts";
import { sampleDocument } from "../support/findings.ts";

const QUERIES: QueryStats[] = [
  {
    query: "features",
    sqlSha256: "a".repeat(64),
    executionId: "q-1",
    bytesScanned: 1_000_000,
    elapsedMs: 812.345,
    rows: 0,
  },
  {
    query: "data_quality",
    sqlSha256: "b".repeat(64),
    executionId: "q-2",
    bytesScanned: null,
    elapsedMs: 20.04,
    rows: 4,
  },
];

function bundle(): { files: BundleFile[]; history: { key: string; body: string } } {
  return {
    files: [
      { name: "findings.json", body: '{"a":1}\n', contentType: "application/json" },
      { name: "report.html", body: new TextEncoder().encode("<!doctype html>é"), contentType: "text/html" },
    ],
    history: { key: "findings/dt=2026-02-17/run.jsonl", body: '{"id":1}\n{"id":2}\n' },
  };
}

function reader(files: readonly BundleFile[]) {
  const byName = new Map(
    files.map((f) => [f.name, typeof f.body === "string" ? new TextEncoder().encode(f.body) : f.body]),
  );
  return (name: string): Uint8Array | null => byName.get(name) ?? null;
}

describe("manifest.json", () => {
  it("records the run, every query and the size and SHA-256 of every other file", () => {
    // prepare
    const document = sampleDocument();
    const { files, history } = bundle();

    // act
    const manifest = buildManifest(document, QUERIES, files, history);

    // assess
    expect(manifest).toMatchObject({
      manifest_version: 1,
      run_id: document.run.run_id,
      window: { start: document.run.window_start, end: document.run.window_end },
      engine: "duckdb",
      code_version: "distill-audit@0.1.0",
      config_sha256: document.run.config_sha256,
      totals: { queries: 2, bytes_scanned: 1_000_000, elapsed_ms: 832.4 },
      data_quality: { requests_read: 1_204_332, requests_accepted: 1_198_529, set_aside: 5_462 },
      findings: { total: 7, by_severity: { critical: 1, high: 2, medium: 2, low: 1, info: 1 } },
      history: { key: history.key, lines: 2, bytes: history.body.length, sha256: sha256Hex(history.body) },
    });
    expect(manifest.queries[0]).toEqual({
      name: "features",
      sql_sha256: "a".repeat(64),
      execution_id: "q-1",
      bytes_scanned: 1_000_000,
      elapsed_ms: 812.3,
      rows: 0,
    });
    expect(manifest.files.map((f) => [f.name, f.bytes])).toEqual([
      ["findings.json", 8],
      ["report.html", 17],
    ]);
    // computed independently: printf '{"a":1}\n' | sha256sum
    expect(manifest.files[0]?.sha256).toBe(
      "e346432021b04179518d9614f3560ccd71354a4ee101ddcb893d6959a9d6301c",
    );
  });

  it("verifies an untouched bundle", async () => {
    // prepare
    const { files, history } = bundle();
    const text = renderManifest(buildManifest(sampleDocument(), QUERIES, files, history));

    // act
    const check = await verifyManifest(text, reader(files), () => new TextEncoder().encode(history.body));

    // assess
    expect(check).toEqual({ ok: true, problems: [] });
  });

  it("fails when one file is altered, missing, or the history line changed", async () => {
    // prepare
    const { files, history } = bundle();
    const text = renderManifest(buildManifest(sampleDocument(), QUERIES, files, history));
    const tampered = files.map((f) => (f.name === "findings.json" ? { ...f, body: '{"a":2}\n' } : f));

    // act
    const altered = await verifyManifest(text, reader(tampered));
    const missing = await verifyManifest(text, reader(files.slice(0, 1)));
    const historyChanged = await verifyManifest(text, reader(files), () => new TextEncoder().encode("{}\n"));

    // assess
    expect(altered).toEqual({ ok: false, problems: ["findings.json: SHA-256 differs from the manifest"] });
    expect(missing).toEqual({ ok: false, problems: ["report.html: missing"] });
    expect(historyChanged.ok).toBe(false);
    expect(historyChanged.problems).toEqual([
      `${history.key}: 3 bytes, manifest says ${history.body.length}`,
    ]);
  });

  it("refuses a manifest that is not one, or names files outside the bundle", async () => {
    // prepare
    const { files, history } = bundle();
    const manifest = buildManifest(sampleDocument(), QUERIES, files, history);
    const escaping = { ...manifest, files: [{ ...manifest.files[0], name: "../../etc/passwd" }] };

    // act
    const garbage = await verifyManifest("not json", reader(files));
    const outside = await verifyManifest(JSON.stringify(escaping), reader(files));

    // assess
    expect(garbage.ok).toBe(false);
    expect(outside.ok).toBe(false);
    expect(outside.problems[0]).toMatch(/not a valid manifest/);
    expect(() => Manifest.parse(escaping)).toThrow();
  });
});
