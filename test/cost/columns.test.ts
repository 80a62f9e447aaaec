import { describe, expect, it } from "vitest";
import { cteNames, identifiers, referencedColumns, relationsRead, stripSql } from "../../lib/cost/columns.ts";
import { catalogQueries } from "../../lib/cost/index.ts";
import { REQUEST_FIELDS } from "../../lib/schema/log-schema.ts";

const COLUMNS = ["request_id", "ts", "account_id", "prompt", "model", "status"];

describe("stripSql", () => {
  it("drops comments and string literals, keeps quoted identifiers", () => {
    const text = stripSql(`SELECT "model", 'prompt ''status''' -- ts
      /* account_id */ FROM t`);
    expect(text).not.toMatch(/prompt|status|ts|account_id/);
    expect(text).toMatch(/\bmodel\b/);
  });
});

describe("referencedColumns", () => {
  it("finds the columns named as identifiers, in the relation's order", () => {
    const sql = `-- query: x
      -- the prompt is never read here
      SELECT account_id, count(*) AS n, max(ts) AS last_ts
      FROM request_features
      WHERE regexp_like(model, 'status|prompt') AND dt BETWEEN ? AND ?
      GROUP BY account_id`;
    expect(referencedColumns(sql, COLUMNS)).toEqual(["ts", "account_id", "model"]);
  });

  it("is case-insensitive and counts a name used only as an alias (an upper bound)", () => {
    expect(referencedColumns("SELECT COUNT(*) AS Status FROM t WHERE TS > 0", COLUMNS)).toEqual([
      "ts",
      "status",
    ]);
  });

  it("does not match names inside longer identifiers", () => {
    expect(referencedColumns("SELECT prompt_hash, request_id_rank, ts_ms FROM t", COLUMNS)).toEqual([]);
  });

  it("collects identifiers once", () => {
    expect([...identifiers("select a, A, b_1 from x")]).toEqual(["select", "a", "b_1", "from", "x"]);
  });
});

describe("relationsRead", () => {
  const candidates = ["requests", "request_features", "accounts"];

  it("finds tables after FROM and JOIN, schema-qualified or not", () => {
    const sql = "SELECT * FROM audit.request_features f LEFT JOIN accounts a ON a.account_id = f.account_id";
    expect(relationsRead(sql, candidates)).toEqual(["request_features", "accounts"]);
  });

  it("ignores a CTE that shadows a table name, and names used as aliases", () => {
    const sql = `WITH members AS (SELECT account_id FROM request_features),
      requests AS (SELECT account_id, count(*) AS requests FROM members GROUP BY 1)
      SELECT * FROM requests r`;
    expect([...cteNames(sql)].sort()).toEqual(["members", "requests"]);
    expect(relationsRead(sql, candidates)).toEqual(["request_features"]);
  });

  it("ignores FROM inside comments and strings", () => {
    expect(
      relationsRead("SELECT 'from requests' -- join accounts\nFROM request_features", candidates),
    ).toEqual(["request_features"]);
  });
});

describe("the SQL catalogue", () => {
  it("reads raw requests only in the feature stage: every other query reads the compact features", () => {
    const { compaction, queries } = catalogQueries();
    expect(relationsRead(compaction.text, ["requests"])).toEqual(["requests"]);
    expect(
      referencedColumns(
        compaction.text,
        REQUEST_FIELDS.map((f) => f.name),
      ),
    ).toContain("prompt");
    const rescans = queries.filter((q) => relationsRead(q.text, ["requests"]).length > 0).map((q) => q.name);
    expect(rescans).toEqual([]);
  });

  it("prices each shared relation once, as Athena builds it per audit; its users read the run", () => {
    // Act
    const { queries } = catalogQueries();
    // Assess
    const byName = new Map(queries.map((q) => [q.name, q]));
    expect(relationsRead(byName.get("frame_usage")?.text ?? "", ["request_features"])).toEqual([
      "request_features",
    ]);
    expect(relationsRead(byName.get("detector_template_spread")?.text ?? "", ["request_features"])).toEqual(
      [],
    );
  });
});
