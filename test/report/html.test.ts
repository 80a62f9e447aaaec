import { describe, expect, it } from "vitest";
import { REPORT_CSP, renderHtml } from "../../lib/report/html.ts";
import { accountFinding, makeDocument, sampleDocument } from "../support/findings.ts";

const OPTIONS = { excerpts: true, excerptChars: 120 };

describe("report.html", () => {
  it("is one self-contained page: a strict CSP, no script and no external resource", () => {
    // act
    const page = renderHtml(sampleDocument(), OPTIONS);

    // assess
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replace(/'/g, "&#39;")}">`,
    );
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(page).not.toMatch(/<script|<link|<iframe|<object|<embed|<img|@import|url\(/i);
    expect(page).not.toMatch(/\ssrc=/i);
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.every((h) => h?.startsWith("#"))).toBe(true);
  });

  it("shows headline numbers, severity breakdown, traffic chart, findings, coverage and data quality", () => {
    // act
    const page = renderHtml(sampleDocument(), OPTIONS);

    // assess
    for (const heading of [
      "Severity breakdown",
      "Traffic per campaign over the window",
      ">Findings<",
      "Detector coverage",
      "Data quality",
      "What links the 212 accounts",
      "Member accounts",
      "Signal contributions",
      "Top prompt templates (skeletons)",
      "Networks",
      "User agents",
      "Models",
      "Sample request ids",
      "Runbook",
    ]) {
      expect(page, heading).toContain(heading);
    }
    expect(page).toMatch(/<svg class="chart"[^>]*role="img"/);
    expect((page.match(/<svg class="spark"/g) ?? []).length).toBe(7);
    expect(page).toContain("payment fingerprint</span><code>card:4a7f…e2c1</code>");
    expect(page).toContain("212/212");
    expect(page).toContain("no request carries thinking_budget");
    expect(page).toContain("missing_account_id");
    expect(page).toContain("show 164 more accounts");
  });

  it("hides template excerpts when excerpts are off, and cuts them to the configured length", () => {
    // prepare
    const document = sampleDocument();

    // act
    const off = renderHtml(document, { excerpts: false, excerptChars: 120 });
    const short = renderHtml(document, { excerpts: true, excerptChars: 10 });

    // assess
    expect(off).toContain("9f3a1b2c4d5e6f70");
    expect(off).not.toContain("Solve step");
    expect(short).toContain("Solve ste…");
    expect(short).not.toContain("Solve step");
  });

  it("renders the same bytes for the same findings (no clock, no randomness)", () => {
    // act / assess
    expect(renderHtml(sampleDocument(), OPTIONS)).toBe(renderHtml(sampleDocument(), OPTIONS));
  });

  it("stays bounded for a run with very many findings", () => {
    // prepare
    const many = Array.from({ length: 1500 }, (_, i) =>
      accountFinding(`acct-${i}`, { severity: "low", score: 0.3 }),
    );

    // act
    const page = renderHtml(makeDocument(many), OPTIONS);

    // assess
    expect((page.match(/<article /g) ?? []).length).toBe(100);
    expect(page).toContain("1,000 more findings are listed in findings.json and findings.csv.");
    expect(page).toContain("1,400 less severe findings are not detailed here");
    expect(page.length).toBeLessThan(8_000_000);
  });

  it("says so when there is nothing to report", () => {
    // act
    const page = renderHtml(makeDocument([]), OPTIONS);

    // assess
    expect(page).toContain("No findings: nothing scored above the low cut-off.");
    expect(page).toContain("No finding has hourly traffic to chart.");
  });

  it("names the files it could not read and the entries it skipped, with their reasons", () => {
    // prepare
    const base = makeDocument([accountFinding("acct-1")]);
    const document = {
      ...base,
      data_quality: {
        ...base.data_quality,
        unreadable_files: [{ file: "requests/dt=2026-02-16/part-1.jsonl.gz", reason: "not gzip" }],
        skipped_files: [{ file: "requests/dt=garbage/", reason: "not a dt=YYYY-MM-DD partition" }],
      },
    };

    // act
    const page = renderHtml(document, OPTIONS);

    // assess
    expect(page).toContain("Files that could not be read");
    expect(page).toContain("requests/dt=2026-02-16/part-1.jsonl.gz");
    expect(page).toContain("Entries skipped under the log root");
    expect(page).toContain("not a dt=YYYY-MM-DD partition");
    const clean = {
      ...base,
      data_quality: { ...base.data_quality, unreadable_files: [], skipped_files: [] },
    };
    expect(renderHtml(clean, OPTIONS)).not.toContain("Files that could not be read");
  });
});
