import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AuditConfig, parseConfig } from "../../lib/config/config.ts";
import type { Severity } from "../../lib/domain/signal.ts";
import type { Finding, FindingsDocument } from "../../lib/findings/model.ts";
import { verifyManifest } from "../../lib/report/manifest.ts";
import { publishAudit } from "../../lib/report/publish.ts";
import { FsReportStore } from "../../lib/store/fs.ts";
import {
  accountFinding,
  auditOutcome,
  clusterFinding,
  makeDocument,
  members,
  RecordingNotifier,
  sampleDocument,
} from "../support/findings.ts";

const CONFIG: AuditConfig = parseConfig({});

function freshStore(): FsReportStore {
  return new FsReportStore(mkdtempSync(join(tmpdir(), "distill-publish-")));
}

/** The same findings seen by a run over another window (the schedule moved on by `hours`). */
function shifted(document: FindingsDocument, hours: number, findings = document.findings): FindingsDocument {
  const move = (iso: string): string => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
  const start = move(document.run.window_start);
  const end = move(document.run.window_end);
  const compact = (iso: string): string => iso.replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  return {
    ...document,
    run: {
      ...document.run,
      window_start: start,
      window_end: end,
      generated_at: end,
      run_id: `daily-${compact(start)}-${compact(end)}`,
    },
    findings: [...findings],
  };
}

function withSeverity(finding: Finding, severity: Severity): Finding {
  return { ...finding, severity };
}

const alertedIds = (result: { alerted: readonly Finding[] }): string[] => result.alerted.map((f) => f.id);

describe("publishAudit: the report bundle", () => {
  it("writes the bundle and the history under the run's keys, with a manifest that verifies", async () => {
    // prepare
    const store = freshStore();
    const document = sampleDocument();

    // act
    const result = await publishAudit(auditOutcome(document), CONFIG, {
      store,
      notifier: new RecordingNotifier(),
    });

    // assess
    const prefix = "reports/dt=2026-02-17/run=daily-20260217T000000Z-20260224T000000Z";
    expect(result.reportPrefix).toBe(prefix);
    expect(result.keys).toEqual([
      `${prefix}/findings.json`,
      `${prefix}/findings.csv`,
      `${prefix}/report.html`,
      `${prefix}/summary.txt`,
      "findings/dt=2026-02-17/daily-20260217T000000Z-20260224T000000Z.jsonl",
      `${prefix}/manifest.json`,
    ]);
    expect([result.written, result.unchanged]).toEqual([6, 0]);
    expect(readdirSync(store.locate(prefix)).sort()).toEqual([
      "findings.csv",
      "findings.json",
      "manifest.json",
      "report.html",
      "summary.txt",
    ]);
    const manifest = readFileSync(store.locate(`${prefix}/manifest.json`), "utf8");
    const check = await verifyManifest(
      manifest,
      (name) => store.get(`${prefix}/${name}`),
      (key) => store.get(key),
    );
    expect(check).toEqual({ ok: true, problems: [] });
    const history = readFileSync(store.locate(result.keys[4] as string), "utf8")
      .trim()
      .split("\n");
    expect(history).toHaveLength(document.findings.length);
    expect(readFileSync(store.locate(`${prefix}/summary.txt`), "utf8")).toContain(
      `Full report: ${store.locate(`${prefix}/report.html`)}`,
    );
  });

  it("detects tampering with a published file", async () => {
    // prepare
    const store = freshStore();
    const result = await publishAudit(auditOutcome(sampleDocument()), CONFIG, {
      store,
      notifier: new RecordingNotifier(),
    });
    const path = store.locate(`${result.reportPrefix}/findings.csv`);
    writeFileSync(path, readFileSync(path, "utf8").replace("critical", "CRITICAL"));

    // act
    const check = await verifyManifest(
      readFileSync(store.locate(`${result.reportPrefix}/manifest.json`), "utf8"),
      (name) => store.get(`${result.reportPrefix}/${name}`),
    );

    // assess
    expect(check).toEqual({ ok: false, problems: ["findings.csv: SHA-256 differs from the manifest"] });
  });

  it("rewrites nothing when the same window is published again, and only the manifest when timings change", async () => {
    // prepare
    const store = freshStore();
    const deps = { store, notifier: new RecordingNotifier() };
    await publishAudit(auditOutcome(sampleDocument()), CONFIG, deps);

    // act
    const same = await publishAudit(auditOutcome(sampleDocument()), CONFIG, deps);
    const slower = await publishAudit(auditOutcome(sampleDocument(), 999), CONFIG, deps);

    // assess
    expect([same.written, same.unchanged]).toEqual([0, 6]);
    expect([slower.written, slower.unchanged]).toEqual([1, 5]);
  });

  it("keeps hostile run ids inside their folder", async () => {
    // prepare
    const store = freshStore();
    const document = sampleDocument();
    const hostile = { ...document, run: { ...document.run, run_id: "../../../etc/cron.d/x\r\n" } };

    // act
    const result = await publishAudit(auditOutcome(hostile), CONFIG, {
      store,
      notifier: new RecordingNotifier(),
    });

    // assess
    expect(result.reportPrefix).toMatch(/^reports\/dt=2026-02-17\/run=etc_cron.d_x_-[0-9a-f]{16}$/);
    expect(result.keys.every((k) => !k.includes(".."))).toBe(true);
  });
});

describe("publishAudit: alerting", () => {
  it("alerts once for findings that two consecutive runs over overlapping windows both see", async () => {
    // prepare
    const store = freshStore();
    const notifier = new RecordingNotifier();
    const first = sampleDocument();
    const second = shifted(first, 12);

    // act
    const a = await publishAudit(auditOutcome(first), CONFIG, { store, notifier });
    const b = await publishAudit(auditOutcome(second), CONFIG, { store, notifier });

    // assess: critical, high, high, medium, medium alert; low and info never do
    expect(alertedIds(a)).toEqual(first.findings.slice(0, 5).map((f) => f.id));
    expect(a.digest?.subject).toBe(
      "[distill-audit] CRITICAL: 5 new findings (2 clusters, 233 accounts) 2026-02-17",
    );
    expect(a.messageId).toBe("msg-1");
    expect(b).toMatchObject({ alerted: [], digest: null, messageId: null });
    expect(notifier.sent).toHaveLength(1);
  });

  it("settles findings that alerted before with reads alone, creating no marker again", async () => {
    // prepare
    const store = freshStore();
    const notifier = new RecordingNotifier();
    const first = sampleDocument();
    await publishAudit(auditOutcome(first), CONFIG, { store, notifier });
    const creates: string[] = [];
    const createExclusive = store.createExclusive.bind(store);
    store.createExclusive = (key, body) => {
      creates.push(key);
      return createExclusive(key, body);
    };

    // act
    const again = await publishAudit(auditOutcome(shifted(first, 12)), CONFIG, { store, notifier });

    // assess: the one exclusive create is the run's lock
    expect(again.alerted).toEqual([]);
    expect(creates).toEqual([expect.stringMatching(/^locks\/[^/]+\/000000$/)]);
  });

  it("alerts the next run only for what is new in it", async () => {
    // prepare
    const store = freshStore();
    const notifier = new RecordingNotifier();
    const first = sampleDocument();
    const newcomer = accountFinding("acct-new-1", { severity: "medium", score: 0.5 });
    const second = shifted(first, 24, [...first.findings, newcomer]);
    await publishAudit(auditOutcome(first), CONFIG, { store, notifier });

    // act
    const b = await publishAudit(auditOutcome(second), CONFIG, { store, notifier });

    // assess
    expect(alertedIds(b)).toEqual([newcomer.id]);
    expect(b.digest?.subject).toBe(
      "[distill-audit] MEDIUM: 1 new finding (0 clusters, 1 account) 2026-02-18",
    );
    expect(b.digest?.body).toContain("Alerting: 1 new, 0 escalated");
    expect(b.digest?.body).toContain("(alerted before)");
  });

  it("alerts again when a finding's severity rises, and not when it falls back", async () => {
    // prepare
    const store = freshStore();
    const notifier = new RecordingNotifier();
    const base = accountFinding("acct-escalating");
    const run = (severity: Severity, hours: number) =>
      publishAudit(auditOutcome(shifted(makeDocument([withSeverity(base, severity)]), hours)), CONFIG, {
        store,
        notifier,
      });

    // act
    const medium = await run("medium", 0);
    const high = await run("high", 24);
    const highAgain = await run("high", 48);
    const mediumAgain = await run("medium", 72);
    const critical = await run("critical", 96);

    // assess
    expect(alertedIds(medium)).toEqual([base.id]);
    expect(alertedIds(high)).toEqual([base.id]);
    expect(high.digest?.subject).toMatch(
      /^\[distill-audit\] HIGH: 1 escalated finding \(0 clusters, 1 account\)/,
    );
    expect(high.digest?.body).toContain("(escalated from medium)");
    expect(highAgain.alerted).toEqual([]);
    expect(mediumAgain.alerted).toEqual([]);
    expect(alertedIds(critical)).toEqual([base.id]);
    expect(critical.digest?.body).toContain("(escalated from high)");
    expect(notifier.sent.map((d) => d.attributes.highest_severity)).toEqual(["medium", "high", "critical"]);
  });

  it("lets only one of two concurrent runs alert for each finding", async () => {
    // prepare
    const store = freshStore();
    const notifier = new RecordingNotifier();
    const first = sampleDocument();
    const second = shifted(first, 6);

    // act
    const results = await Promise.all([
      publishAudit(auditOutcome(first), CONFIG, { store, notifier }),
      publishAudit(auditOutcome(second), CONFIG, { store, notifier }),
    ]);

    // assess
    const alerted = results.flatMap(alertedIds).sort();
    expect(alerted).toEqual(
      first.findings
        .slice(0, 5)
        .map((f) => f.id)
        .sort(),
    );
    expect(notifier.sent.length).toBe(results.filter((r) => r.digest !== null).length);
    expect(notifier.sent.reduce((n, d) => n + Number(d.attributes.new_findings), 0)).toBe(5);
  });

  it("alerts once even when many runs of the same window race", async () => {
    // prepare
    const store = freshStore();
    const notifier = new RecordingNotifier();
    const document = makeDocument([clusterFinding(members("acct-race", 30))]);

    // act
    const results = await Promise.all(
      Array.from({ length: 8 }, () => publishAudit(auditOutcome(document), CONFIG, { store, notifier })),
    );

    // assess
    expect(results.filter((r) => r.alerted.length > 0)).toHaveLength(1);
    expect(notifier.sent).toHaveLength(1);
  });

  it("stays quiet below the configured floor", async () => {
    // prepare
    const store = freshStore();
    const notifier = new RecordingNotifier();
    const config = parseConfig({ alerts: { min_severity: "critical" } });
    const document = makeDocument([accountFinding("acct-high")]);

    // act
    const result = await publishAudit(auditOutcome(document), config, { store, notifier });

    // assess
    expect(result).toMatchObject({ alerted: [], digest: null, messageId: null });
    expect(notifier.sent).toEqual([]);
    expect(result.written).toBe(6);
  });

  it("retries the alert in the next run when sending failed, then stays quiet", async () => {
    // prepare
    const store = freshStore();
    const notifier = new RecordingNotifier();
    const document = makeDocument([accountFinding("acct-retry")]);
    notifier.failWith = new Error("SNS throttled");

    // act
    const failed = publishAudit(auditOutcome(document), CONFIG, { store, notifier });
    await expect(failed).rejects.toThrow("SNS throttled");
    const retried = await publishAudit(auditOutcome(document), CONFIG, { store, notifier });
    const after = await publishAudit(auditOutcome(document), CONFIG, { store, notifier });

    // assess
    expect(retried.alerted).toHaveLength(1);
    expect(retried.digest?.body).toContain("(new)");
    expect(after.alerted).toEqual([]);
    expect(notifier.sent).toHaveLength(1);
  });

  it("links the report by store location and console URL", async () => {
    // prepare
    const store = freshStore();
    const notifier = new RecordingNotifier();
    const consoleUrl = (key: string): string => `https://console.example/object/${encodeURIComponent(key)}`;

    // act
    const result = await publishAudit(auditOutcome(sampleDocument()), CONFIG, {
      store,
      notifier,
      consoleUrl,
    });

    // assess
    const key = `${result.reportPrefix}/report.html`;
    expect(result.digest?.body).toContain(`Full report: ${store.locate(key)}`);
    expect(result.digest?.body).toContain(`Console: ${consoleUrl(key)}`);
  });
});
