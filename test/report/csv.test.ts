import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, renderCsv } from "../../lib/report/csv.ts";
import { hostileDocument, PAYLOADS, sampleDocument, UNSAFE_TEXT } from "../support/findings.ts";

function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true, relax_column_count: false }) as Record<string, string>[];
}

describe("findings.csv", () => {
  it("has one row per finding and one per account of each cluster, with the documented columns", () => {
    // prepare
    const document = sampleDocument();
    const clusterAccounts = document.findings
      .filter((f) => f.kind === "cluster")
      .reduce((n, f) => n + f.accounts.length, 0);

    // act
    const text = renderCsv(document);
    const rows = parseCsv(text);

    // assess
    expect(text.startsWith("\ufeff")).toBe(true);
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_COLUMNS]);
    expect(rows.filter((r) => r.row_type === "finding")).toHaveLength(document.findings.length);
    expect(rows.filter((r) => r.row_type === "cluster_member")).toHaveLength(clusterAccounts);
    const cluster = document.findings[0];
    const first = rows[0];
    expect(first).toMatchObject({
      row_type: "finding",
      finding_id: cluster?.id,
      kind: "cluster",
      severity: "critical",
      score: "0.9300",
      accounts: "212",
      requests: String(cluster?.evidence.requests),
    });
    expect(first?.links).toContain("payment_fingerprint:card:4a7f…e2c1 (212 accounts)");
    expect(rows[1]).toMatchObject({
      row_type: "cluster_member",
      finding_id: cluster?.id,
      account_id: "acct-hydra-001",
      requests: "",
    });
    const account = rows.find((r) => r.subject === "acct-7f3a9c");
    expect(account).toMatchObject({ kind: "account", account_id: "acct-7f3a9c", severity: "high" });
  });

  it("neutralizes formula cells and keeps hostile text inside its cell", () => {
    // prepare
    const document = hostileDocument();

    // act
    const rows = parseCsv(renderCsv(document));

    // assess
    const formula = /^[=+\-@\t\r]/;
    for (const row of rows) {
      expect(Object.keys(row)).toHaveLength(CSV_COLUMNS.length);
      for (const value of Object.values(row)) {
        expect(value, JSON.stringify(value.slice(0, 40))).not.toMatch(formula);
        expect(value).not.toMatch(UNSAFE_TEXT);
        expect(value.length).toBeLessThanOrEqual(2000);
      }
    }
    const subjects = rows.filter((r) => r.row_type === "finding").map((r) => r.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([`'=HYPERLINK("http://evil")`, "'+1", "'-2+3", "'@SUM(A1)", "'\tfoo", "'\rbar"]),
    );
    expect(subjects).toContain("a\r\nSubject: injected");
    const members = rows.filter((r) => r.row_type === "cluster_member").map((r) => r.account_id);
    expect(members).toContain(`'${PAYLOADS.hyperlink}#4`);
  });
});
