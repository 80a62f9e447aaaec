/** Shared helpers for the generator tests: temp dirs, file hashes, reading logs, a schema validator. */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import type { FieldSpec } from "../../lib/schema/log-schema.ts";

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `distill-gen-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** sha256 of every file, keyed by path relative to `dir`. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of listFiles(dir))
    out[relative(dir, f)] = createHash("sha256").update(readFileSync(f)).digest("hex");
  return out;
}

export interface LoggedRequest {
  /** the partition directory the record was read from, e.g. "2026-02-16" */
  dt: string;
  rec: Record<string, unknown>;
  /** the raw JSON line */
  line: string;
}

/** Reads every request of a JSONL (or .jsonl.gz) output tree. */
export function readRequests(outDir: string): LoggedRequest[] {
  const out: LoggedRequest[] = [];
  const reqDir = join(outDir, "requests");
  for (const part of readdirSync(reqDir).sort()) {
    const dt = part.replace(/^dt=/, "");
    for (const f of readdirSync(join(reqDir, part))) {
      const raw = readFileSync(join(reqDir, part, f));
      const text = f.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
      for (const line of text.split("\n")) if (line !== "") out.push({ dt, rec: JSON.parse(line), line });
    }
  }
  return out;
}

export function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Problems of one record against a schema field list (empty when valid). */
export function validateRecord(
  rec: Record<string, unknown>,
  fields: readonly FieldSpec[],
  window?: { startMs: number; endMs: number },
): string[] {
  const errors: string[] = [];
  const names = fields.map((f) => f.name);
  for (const k of Object.keys(rec)) if (!names.includes(k)) errors.push(`unknown field ${k}`);
  for (const f of fields) {
    const v = rec[f.name];
    if (v === null || v === undefined) {
      if (f.required) errors.push(`missing required ${f.name}`);
      continue;
    }
    switch (f.type) {
      case "string":
        if (typeof v !== "string") errors.push(`${f.name} is not a string`);
        break;
      case "timestamp":
        if (typeof v !== "string" || !RFC3339_MS.test(v) || !Number.isFinite(Date.parse(v))) {
          errors.push(`${f.name} is not an RFC 3339 UTC timestamp: ${String(v)}`);
        } else if (window && f.name === "ts") {
          const t = Date.parse(v);
          if (t < window.startMs || t >= window.endMs) errors.push(`ts ${v} outside the window`);
        }
        break;
      case "integer":
        if (typeof v !== "number" || !Number.isInteger(v)) errors.push(`${f.name} is not an integer`);
        else if (v < 0) errors.push(`${f.name} is negative`);
        break;
      case "double":
        if (typeof v !== "number" || !Number.isFinite(v)) errors.push(`${f.name} is not a finite number`);
        break;
    }
  }
  return errors;
}

/** Runs SQL on an in-memory DuckDB and returns rows as JSON-friendly objects. */
export async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(":memory:", { threads: "2" });
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}
