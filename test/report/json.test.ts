import { describe, expect, it } from "vitest";
import type { FindingsDocument } from "../../lib/findings/model.ts";
import { renderFindingsJson, renderHistoryJsonl } from "../../lib/report/json.ts";
import { hostileDocument, PAYLOADS, sampleDocument, UNSAFE_TEXT } from "../support/findings.ts";

/** The same document with every object's keys in reverse order. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    ) as T;
  }
  return value;
}

describe("findings.json", () => {
  it("serializes the same findings to the same bytes whatever the key order in memory", () => {
    // prepare
    const document = sampleDocument();

    // act
    const a = renderFindingsJson(document);
    const b = renderFindingsJson(reversedKeys(document));

    // assess
    expect(b).toBe(a);
    expect(Object.keys(JSON.parse(a))).toEqual([
      "schema_version",
      "run",
      "findings",
      "detectors",
      "data_quality",
    ]);
    expect(Object.keys(JSON.parse(a).data_quality.field_coverage)).toEqual([
      "network",
      "system_prompt",
      "thinking_budget",
      "user_agent",
    ]);
    expect(a.endsWith("}\n")).toBe(true);
    expect(a).toContain('\n  "run": {\n');
  });

  it("round-trips hostile text exactly while escaping what could mislead other readers", () => {
    // prepare
    const document = hostileDocument();

    // act
    const text = renderFindingsJson(document);

    // assess
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).not.toMatch(UNSAFE_TEXT);
    expect(text).toContain("\\u003cscript\\u003e");
    const parsed = JSON.parse(text) as FindingsDocument;
    expect(parsed.findings[0]?.title).toBe(PAYLOADS.script);
    expect(parsed.findings[0]?.evidence.top_skeletons.map((s) => s.excerpt)).toContain(PAYLOADS.bidi);
  });

  it("refuses a document that is not a valid findings document", () => {
    // prepare
    const broken = { ...sampleDocument(), schema_version: 2 } as unknown as FindingsDocument;

    // act / assess
    expect(() => renderFindingsJson(broken)).toThrow();
  });
});

describe("findings history (JSONL)", () => {
  it("writes one line per finding, each carrying the run and window fields", () => {
    // prepare
    const document = sampleDocument();

    // act
    const text = renderHistoryJsonl(document);

    // assess
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(document.findings.length);
    const rows = lines.map((l) => JSON.parse(l));
    expect(rows.map((r) => r.id)).toEqual(document.findings.map((f) => f.id));
    for (const row of rows) {
      expect(row).toMatchObject({
        run_id: document.run.run_id,
        window_start: document.run.window_start,
        window_end: document.run.window_end,
        schema_version: 1,
      });
    }
  });

  it("keeps hostile line separators from splitting a line", () => {
    // prepare
    const document = sampleDocument();
    (document.findings[0] as { why: string }).why = "a\u2028b\u2029c\nd";

    // act
    const text = renderHistoryJsonl(document);

    // assess
    expect(text.split(/\r\n|\r|\n|\u2028|\u2029/).filter(Boolean)).toHaveLength(document.findings.length);
    expect(JSON.parse(text.split("\n")[0] as string).why).toBe("a\u2028b\u2029c\nd");
  });

  it("is empty for a run without findings", () => {
    // act / assess
    expect(renderHistoryJsonl({ ...sampleDocument(), findings: [] })).toBe("");
  });
});
