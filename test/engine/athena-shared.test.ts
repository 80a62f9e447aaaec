import { afterEach, describe, expect, it } from "vitest";
import { SHARED_RELATION_COLUMNS, sharedLocation, sharedRun } from "../../lib/engine/athena/shared.ts";
import { DuckDbEngine } from "../../lib/engine/duckdb/engine.ts";
import { windowParams } from "../../lib/engine/port.ts";
import { positionalValues, sqlCatalog } from "../../lib/sql/catalog.ts";
import { DAY, request, writeLogs } from "../support/logs.ts";

const engines: DuckDbEngine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

/** DuckDB's type of a column as the Glue type Athena's Parquet reader maps it to. */
const GLUE_TYPE: Record<string, string> = {
  VARCHAR: "string",
  BIGINT: "bigint",
  HUGEINT: "bigint",
  DOUBLE: "double",
  BOOLEAN: "boolean",
  TIMESTAMP: "timestamp",
};

describe("shared relations on Athena", () => {
  it("declares each relation's Glue columns as its SQL yields them", async () => {
    // Prepare
    const engine = await DuckDbEngine.open({
      logsDir: writeLogs({ requests: { "2026-02-16": { "a.jsonl": [request()] } } }),
      threads: 1,
    });
    engines.push(engine);
    await engine.prepare(DAY);
    const relations = [...sqlCatalog().values()].filter((q) => q.relation !== undefined);
    // Act
    const described = await Promise.all(
      relations.map(async (q) => ({
        relation: q.relation as string,
        columns: (await engine.rows(`DESCRIBE ${q.text}`, positionalValues(q, windowParams(DAY)))).map(
          (c) => ({
            name: c.column_name,
            type: GLUE_TYPE[String(c.column_type)] ?? String(c.column_type),
          }),
        ),
      })),
    );
    // Assess
    expect(relations.length).toBeGreaterThan(0);
    for (const { relation, columns } of described) expect(columns).toEqual(SHARED_RELATION_COLUMNS[relation]);
    expect(Object.keys(SHARED_RELATION_COLUMNS).sort()).toEqual(described.map((d) => d.relation).sort());
  });

  it("writes each attempt of a run to its own folder, the projection's location", () => {
    // Act
    const first = sharedRun("seed", 1);
    const second = sharedRun("seed", 2);
    // Assess
    expect(first).toMatch(/^[0-9a-f]{24}-1$/);
    expect(second.slice(0, 24)).toBe(first.slice(0, 24));
    expect(sharedRun("other seed", 1)).not.toBe(first);
    expect(sharedLocation("s3://features-bucket/shared/", "frame_usage", first)).toBe(
      `s3://features-bucket/shared/frame_usage/run=${first}/`,
    );
  });
});
