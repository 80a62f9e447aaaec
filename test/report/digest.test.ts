import { describe, expect, it } from "vitest";
import type { Finding } from "../../lib/findings/model.ts";
import { buildDigest, digestSubject } from "../../lib/report/digest.ts";
import { type AlertedFinding, renderSummary, SUMMARY_MAX_BYTES } from "../../lib/report/summary.ts";
import {
  ALL_PAYLOADS,
  accountFinding,
  hostileDocument,
  makeDocument,
  PAYLOADS,
  sampleDocument,
  UNSAFE_TEXT,
} from "../support/findings.ts";

const OPTIONS = {
  reportUri: "/srv/audit/reports/dt=2026-02-17/run=daily/report.html",
  consoleLink: "https://console.example/s3/object/report.html",
  minSeverity: "medium",
  maxFindings: 15,
} as const;

function alertsFor(findings: readonly Finding[]): AlertedFinding[] {
  return findings.map((finding) => ({ finding, change: "new", previous: null }));
}

describe("digest subject", () => {
  it("states the highest severity, what is new, clusters, accounts and the day", () => {
    // prepare
    const document = sampleDocument();
    const alerts = alertsFor(document.findings.filter((f) => ["critical", "high"].includes(f.severity)));

    // act
    const subject = digestSubject(document, alerts);

    // assess
    expect(subject).toBe("[distill-audit] CRITICAL: 3 new findings (2 clusters, 231 accounts) 2026-02-17");
  });

  it("counts escalations apart from new findings", () => {
    // prepare
    const document = sampleDocument();
    const [a, b] = document.findings;
    const alerts: AlertedFinding[] = [
      { finding: a as Finding, change: "escalated", previous: "high" },
      { finding: b as Finding, change: "new", previous: null },
    ];

    // act
    const subject = digestSubject(document, alerts);

    // assess
    expect(subject).toBe(
      "[distill-audit] CRITICAL: 1 new + 1 escalated findings (2 clusters, 230 accounts) 2026-02-17",
    );
  });

  it("stays within 100 characters on one line with hostile ids and huge counts", () => {
    // prepare
    const document = hostileDocument();
    const one = accountFinding(ALL_PAYLOADS);
    const alerts = alertsFor([...document.findings, ...new Array<Finding>(123_456).fill(one)]);

    // act
    const subject = digestSubject(document, alerts);

    // assess
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).not.toMatch(/[\r\n\t<]/);
    expect(subject).not.toMatch(UNSAFE_TEXT);
    expect(subject).toMatch(
      /^\[distill-audit\] CRITICAL: 123472 new findings \(1 cluster, \d+ accounts\) 2026-02-17$/,
    );
  });
});

describe("digest", () => {
  it("carries filterable attributes: highest severity, its rank, counts and the digest id", () => {
    // prepare
    const document = sampleDocument();
    const alerts = alertsFor(document.findings.filter((f) => f.severity === "high"));

    // act
    const digest = buildDigest(document, alerts, OPTIONS, "digest-7");

    // assess
    expect(digest.attributes).toEqual({
      highest_severity: "high",
      severity_rank: 3,
      new_findings: 2,
      escalated_findings: 0,
      clusters: 1,
      accounts: 19,
      run_id: document.run.run_id,
      window_start: document.run.window_start,
      digest_id: "digest-7",
    });
    expect(digest.id).toBe("digest-7");
    expect(digest.body).toContain("Alerting: 2 new, 0 escalated");
  });
});

describe("alert text", () => {
  it("lists new and escalated findings first, with severity, subject, why, numbers and the report location", () => {
    // prepare
    const document = sampleDocument();
    const high = document.findings[1] as Finding;
    const alerts: AlertedFinding[] = [{ finding: high, change: "escalated", previous: "medium" }];

    // act
    const body = renderSummary(document, { ...OPTIONS, alerts });

    // assess
    const first = body.indexOf("1. HIGH (escalated from medium) Linked cluster of 18 accounts (score 0.74)");
    expect(first).toBeGreaterThan(0);
    expect(body.indexOf("2. CRITICAL (alerted before) Linked cluster of 212 accounts")).toBeGreaterThan(
      first,
    );
    expect(body).toContain("   Subject: cluster of 18 accounts linked by user_agent");
    expect(body).toContain(
      "   Why: 18 accounts share a rare user agent and one system prompt; sign-ups within 2 hours",
    );
    expect(body).toMatch(
      / {3}Numbers: 18 accounts, [\d,]+ requests, [\d,]+ output tokens, 2026-02-17 00:00 to 2026-02-23 23:00 UTC/,
    );
    expect(body).toContain("   Linked by: user_agent (18 accounts), system_prompt (16 accounts)");
    expect(body).toContain(`Full report: ${OPTIONS.reportUri}`);
    expect(body).toContain(`Console: ${OPTIONS.consoleLink}`);
    expect(body).not.toContain("acct-550e84"); // low: below the alert floor
  });

  it("carries no prompt text, excerpts, user agents or link values: only skeleton hashes and counts", () => {
    // prepare
    const document = sampleDocument();

    // act
    const body = renderSummary(document, { ...OPTIONS, alerts: alertsFor(document.findings.slice(0, 2)) });

    // assess
    expect(body).toContain("Templates: 9f3a1b2c4d5e6f70 (81,211 requests, 201 accounts)");
    for (const secret of [
      "Solve step by step",
      "expert tutor",
      "python-requests",
      "TutorBot",
      "card:4a7f",
      "sp:1c0ffee",
    ]) {
      expect(body).not.toContain(secret);
    }
  });

  it("is bounded in bytes and counts what it leaves out", () => {
    // prepare
    const many = Array.from({ length: 400 }, (_, i) =>
      accountFinding(`acct-${i}-${"x".repeat(60)}`, { why: `${ALL_PAYLOADS} ${PAYLOADS.long}` }),
    );
    const document = makeDocument(many);

    // act
    const byBytes = renderSummary(document, { ...OPTIONS, maxFindings: 1000, alerts: alertsFor(many) });
    const byCount = renderSummary(document, { ...OPTIONS, maxFindings: 5, alerts: alertsFor(many) });

    // assess
    expect(Buffer.byteLength(byBytes)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    const shown = (byBytes.match(/^\d+\. /gm) ?? []).length;
    expect(shown).toBeGreaterThan(3);
    expect(byBytes).toContain(`… and ${400 - shown} more (see the full report)`);
    expect(byCount).toContain("… and 395 more (see the full report)");
  });

  it("does not depend on alert state when rendered for the bundle (summary.txt)", () => {
    // prepare
    const document = sampleDocument();

    // act
    const a = renderSummary(document, OPTIONS);
    const b = renderSummary(structuredClone(document), OPTIONS);

    // assess
    expect(a).toBe(b);
    expect(a).not.toContain("Alerting:");
    expect(a).toContain("Findings: 1 critical, 2 high, 2 medium at or above medium (7 findings in all)");
  });
});
