import { createHash } from "node:crypto";
import { type FeatureColumn, unloadSql } from "./features.ts";
import { stringLiteral } from "./literals.ts";

/**
 * Shared relations on Athena (a `-- relation:` query, e.g. lib/sql/frame_usage.sql), built once
 * per audit as DuckDB builds them, instead of inline in every query that uses them.
 *
 * Each relation has a Glue table `shared_<relation>`, partitioned by `run` with partition
 * projection (type injected), so writing a run needs no catalogue call: an UNLOAD writes the
 * relation for the audit's window under `<location>/<relation>/run=<run>/`, and each query that
 * uses it reads `SELECT ... FROM shared_<relation> WHERE run = '<run>'` through a WITH clause.
 * The run derives from the audit's query seed (which includes the feature generations read), the
 * relation's SQL and its parameters, plus the attempt: a retried invocation reuses the execution
 * and its output, and a failed attempt writes to a new, empty folder. A lifecycle rule expires
 * old runs.
 */

/** Output columns of each shared relation, in its SELECT order (a test checks them against the SQL). */
export const SHARED_RELATION_COLUMNS: Readonly<Record<string, readonly FeatureColumn[]>> = {
  frame_usage: [
    { name: "account_id", type: "string" },
    { name: "skeleton_hash", type: "bigint" },
    { name: "requests", type: "bigint" },
    { name: "fills", type: "bigint" },
    { name: "reasoning_fills", type: "bigint" },
    { name: "reconstruction_fills", type: "bigint" },
    { name: "grading_fills", type: "bigint" },
    { name: "rewrite_fills", type: "bigint" },
  ],
};

/** The object prefix, in the features bucket, under which shared relations are written. */
export const SHARED_PREFIX = "shared/";
export const SHARED_PARTITION_KEY = "run";

export function sharedTable(relation: string): string {
  return `shared_${relation}`;
}

export function sharedColumns(relation: string): readonly FeatureColumn[] {
  const columns = SHARED_RELATION_COLUMNS[relation];
  if (!columns) throw new Error(`shared relation ${relation} has no Glue columns in SHARED_RELATION_COLUMNS`);
  return columns;
}

/** `run` values are hex plus the attempt: safe to splice into a location and a literal. */
export function sharedRun(seed: string, attempt: number): string {
  return `${createHash("sha256").update(seed).digest("hex").slice(0, 24)}-${attempt}`;
}

/** The folder one run of a relation is written to: the projection's location template, filled. */
export function sharedLocation(base: string, relation: string, run: string): string {
  return `${base}${relation}/${SHARED_PARTITION_KEY}=${run}/`;
}

/** The UNLOAD that writes one run of a shared relation from its SQL. */
export function sharedUnloadSql(relation: string, sql: string, location: string): string {
  return unloadSql(sql, sharedColumns(relation), location);
}

/** What a query that uses the relation reads: the run written for this audit. */
export function sharedReaderSql(relation: string, run: string): string {
  const columns = sharedColumns(relation)
    .map((c) => c.name)
    .join(", ");
  return `SELECT ${columns}\nFROM ${sharedTable(relation)}\nWHERE ${SHARED_PARTITION_KEY} = ${stringLiteral(run)}`;
}
