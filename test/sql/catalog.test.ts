import { TrinoSQL } from "dt-sql-parser";
import { describe, expect, it } from "vitest";
import { sharedReaderSql } from "../../lib/engine/athena/shared.ts";
import {
  countPlaceholders,
  parseSqlFile,
  SqlCatalogError,
  sharedRelation,
  sqlCatalog,
  sqlSegments,
  withSharedRelations,
} from "../../lib/sql/catalog.ts";

/** Text of a query with string literals and comments blanked, so checks see only SQL syntax. */
function codeOnly(sql: string): string {
  return sqlSegments(sql)
    .map((s) => (s.kind === "string" ? "''" : s.kind === "comment" ? "" : s.text))
    .join("");
}

/** The string literals of a query, as written between their quotes (regular expressions among them). */
function stringLiterals(sql: string): string[] {
  return sqlSegments(sql)
    .filter((s) => s.kind === "string")
    .map((s) => s.text.slice(1, -1));
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
    it("parses as Trino SQL, also with its shared relations read from their run, as Athena runs it", () => {
      // Act
      const errors = parser.validate(query.text);
      const fromRun = withSharedRelations(query, (relation) => ({
        text: sharedReaderSql(relation, "0123abcd-1"),
        params: [],
      }));
      // Assess
      expect(errors).toEqual([]);
      expect(parser.validate(fromRun.text)).toEqual([]);
      expect(countPlaceholders(fromRun.text)).toBe(query.params.length);
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
      // regexp_extract yields NULL on no match in Trino but '' in DuckDB: only nullif(...) makes them agree.
      for (const m of code.matchAll(/\bregexp_extract\s*\(/gi)) {
        expect(code.slice(0, m.index).trimEnd(), "regexp_extract outside nullif(..., '')").toMatch(
          /nullif\($/i,
        );
      }
      for (const literal of stringLiterals(query.text)) {
        // Trino reads patterns in Java syntax, where [[:space:]] is the letters of ":space:", not a
        // POSIX class as in RE2 (DuckDB): use \s and friends.
        expect(literal).not.toContain("[[:");
        // RE2 (DuckDB, and Athena's re2j option) has no lookarounds or backreferences.
        expect(literal).not.toMatch(/\(\?[=!]|\(\?<[=!]|\\[1-9]/);
      }
    });
  });
});

describe("SQL file headers", () => {
  it("splits SQL into code, literals, quoted identifiers and comments, escaped quotes kept inside", () => {
    // Act
    const segments = sqlSegments("SELECT 'it''s', \"a\"\"b\" -- c\nFROM t /* d */");
    // Assess
    expect(segments.map((s) => [s.kind, s.text])).toEqual([
      ["code", "SELECT "],
      ["string", "'it''s'"],
      ["code", ", "],
      ["identifier", '"a""b"'],
      ["code", " "],
      ["comment", "-- c"],
      ["code", "\nFROM t "],
      ["comment", "/* d */"],
    ]);
    expect(() => sqlSegments("SELECT 'open")).toThrow(SqlCatalogError);
  });

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

describe("shared relations", () => {
  const relation = parseSqlFile(
    "shared.sql",
    "-- query: shared_counts\n-- params: dt_start\n-- relation: shared_counts\nSELECT a, count(*) AS n FROM t WHERE dt = ? GROUP BY a",
  );

  it("reads the relation and uses headers", () => {
    // Act
    const reader = parseSqlFile(
      "r.sql",
      "-- query: r\n-- params: x\n-- uses: frame_usage\nSELECT * FROM frame_usage WHERE n > ?",
    );
    // Assess
    expect(relation.relation).toBe("shared_counts");
    expect(relation.uses).toEqual([]);
    expect(reader.uses).toEqual(["frame_usage"]);
    expect(reader.relation).toBeUndefined();
  });

  it.each([
    ["a query without a WITH clause", "SELECT * FROM frame_usage WHERE fills > ?", "WITH frame_usage AS ("],
    [
      "a query with its own WITH clause",
      "WITH big AS (SELECT * FROM frame_usage WHERE fills > ?)\nSELECT * FROM big",
      "WITH frame_usage AS (",
    ],
  ])("puts the relation's definition ahead of %s, its parameters first", (_case, body, opening) => {
    // Prepare
    const reader = parseSqlFile("r.sql", `-- query: r\n-- params: min_fills\n-- uses: frame_usage\n${body}`);
    // Act
    const inlined = withSharedRelations(reader, sharedRelation);
    // Assess
    expect(inlined.text).toContain(opening);
    expect(codeOnly(inlined.text).match(/\bWITH\b/gi)?.length).toBe(1);
    expect(inlined.params).toEqual(["dt_start", "dt_end", "window_start", "window_end", "min_fills"]);
    expect(countPlaceholders(inlined.text)).toBe(inlined.params.length);
    expect(parser.validate(inlined.text)).toEqual([]);
    expect(inlined.sha256).not.toBe(reader.sha256);
  });

  it("leaves a query that uses no shared relation as it is", () => {
    const plain = parseSqlFile("p.sql", "-- query: p\nSELECT 1");
    expect(withSharedRelations(plain, sharedRelation)).toBe(plain);
  });
});
