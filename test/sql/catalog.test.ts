import { TrinoSQL } from "dt-sql-parser";
import { describe, expect, it } from "vitest";
import { countPlaceholders, parseSqlFile, SqlCatalogError, sqlCatalog } from "../../lib/sql/catalog.ts";

/** Text of a query with string literals and comments blanked, so checks see only SQL syntax. */
function codeOnly(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, "")
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/\/\*[\s\S]*?\*\//g, "");
}

/** Regular-expression literals of a query (RE2 locally, Java-style on Athena). */
function stringLiterals(sql: string): string[] {
  return [...sql.replace(/--[^\n]*/g, "").matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1] as string);
}

const queries = [...sqlCatalog().values()];
const parser = new TrinoSQL();

describe("the Trino SQL catalogue", () => {
  it("holds the feature stage, data quality, evidence and detector queries", () => {
    // Assess
    const names = queries.map((q) => q.name);
    expect(names).toEqual(
      expect.arrayContaining(["features", "data_quality", "evidence_totals", "detector_volume"]),
    );
  });

  describe.each(queries.map((q) => [q.name, q] as const))("%s", (_name, query) => {
    it("parses as Trino SQL", () => {
      // Act
      const errors = parser.validate(query.text);
      // Assess
      expect(errors).toEqual([]);
    });

    it("avoids the known Trino/DuckDB dialect traps", () => {
      const code = codeOnly(query.text);
      // date_diff counts boundaries in DuckDB but whole units in Trino.
      expect(code).not.toMatch(/\bdate_diff\s*\(/i);
      // Every division is visibly floating point: integer `/` truncates in Trino only.
      for (const m of code.matchAll(/\//g)) {
        const before = code.slice(0, m.index).trimEnd();
        const after = code.slice((m.index ?? 0) + 1).trimStart();
        const doubleOperand = /AS double\)$/i.test(before) || /^\d+(\.\d+)?e0\b|^\d+\.\d+/.test(after);
        expect(doubleOperand, `division near "${before.slice(-40)} / ${after.slice(0, 20)}"`).toBe(true);
      }
      // RE2 (DuckDB, and Athena's re2j option) has no lookarounds or backreferences.
      for (const literal of stringLiterals(query.text)) {
        expect(literal).not.toMatch(/\(\?[=!]|\(\?<[=!]|\\[1-9]/);
      }
    });
  });
});

describe("SQL file headers", () => {
  it("counts placeholders outside literals and comments only", () => {
    // Prepare
    const sql = "SELECT '?', \"a?\" FROM t -- why?\nWHERE x = ? /* ? */ AND regexp_like(y, '(?i)a')";
    // Act / Assess
    expect(countPlaceholders(sql)).toBe(1);
  });

  it("rejects a file whose params header disagrees with its placeholders", () => {
    // Prepare
    const text = "-- query: broken\n-- params: a, b\nSELECT ? AS a";
    // Act / Assess
    expect(() => parseSqlFile("broken.sql", text)).toThrow(SqlCatalogError);
  });

  it("rejects a file without a query name", () => {
    expect(() => parseSqlFile("nameless.sql", "SELECT 1")).toThrow(/missing "-- query/);
  });
});
