import { describe, expect, it } from "vitest";
import { athenaLiteral, timestampLiteral } from "../../lib/engine/athena/literals.ts";
import { cellValue, isoTimestamp, parseArray, typedRow } from "../../lib/engine/athena/results.ts";

describe("Athena literals", () => {
  it("renders each parameter type as a Trino literal that can only be a value", () => {
    // Prepare
    const values = [
      "2026-02-16",
      "o'brien'); DROP TABLE x; --",
      new Date("2026-02-16T10:05:03.250Z"),
      200,
      0.25,
      true,
      false,
      ["acct-a", "it's"],
      [],
    ] as const;

    // Act
    const rendered = values.map((v) => athenaLiteral(v));

    // Assess
    expect(rendered).toEqual([
      "'2026-02-16'",
      "'o''brien''); DROP TABLE x; --'",
      "TIMESTAMP '2026-02-16 10:05:03.250'",
      "200",
      "DOUBLE '0.25'",
      "TRUE",
      "FALSE",
      "ARRAY['acct-a', 'it''s']",
      "CAST(ARRAY[] AS ARRAY(VARCHAR))",
    ]);
  });

  it("refuses values Athena could not read back", () => {
    expect(() => athenaLiteral(Number.NaN)).toThrow(/NaN/);
    expect(() => athenaLiteral(Number.POSITIVE_INFINITY)).toThrow(/Infinity/);
    expect(() => timestampLiteral(new Date("not a date"))).toThrow(/invalid Date/);
  });
});

describe("Athena result values", () => {
  it("types text by ColumnInfo and maps a missing VarCharValue to null", () => {
    // Prepare
    const columns = [
      { name: "account_id", type: "varchar" },
      { name: "requests", type: "bigint" },
      { name: "days", type: "integer" },
      { name: "share", type: "double" },
      { name: "fired", type: "boolean" },
      { name: "first_seen", type: "timestamp" },
      { name: "ids", type: "array" },
      { name: "note", type: "varchar" },
    ];
    const row = {
      Data: [
        { VarCharValue: "acct-a" },
        { VarCharValue: "1234567" },
        { VarCharValue: "3" },
        { VarCharValue: "0.125" },
        { VarCharValue: "false" },
        { VarCharValue: "2026-02-16 10:00:00.000" },
        { VarCharValue: "[req-1, req-2]" },
        {},
      ],
    };

    // Act
    const typed = typedRow(row, columns);

    // Assess
    expect(typed).toEqual({
      account_id: "acct-a",
      requests: 1234567,
      days: 3,
      share: 0.125,
      fired: false,
      first_seen: "2026-02-16T10:00:00.000Z",
      ids: ["req-1", "req-2"],
      note: null,
    });
  });

  it("keeps empty strings distinct from NULL and parses edge cases of arrays and timestamps", () => {
    expect(cellValue("", "varchar")).toBe("");
    expect(cellValue(undefined, "bigint")).toBeNull();
    expect(parseArray("[]", "varchar")).toEqual([]);
    expect(parseArray("[1, null, 3]", "bigint")).toEqual([1, null, 3]);
    expect(cellValue("[a]", "array(varchar)")).toEqual(["a"]);
    expect(isoTimestamp("2026-02-16 10:00:00.000 UTC")).toBe("2026-02-16T10:00:00.000Z");
    expect(isoTimestamp("2026-02-16 10:00:00")).toBe("2026-02-16T10:00:00.000Z");
    expect(cellValue("2026-02-16", "date")).toBe("2026-02-16");
  });
});
