import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { partitionsWindow } from "../../lib/engine/port.ts";
import { generateTraffic } from "../../lib/generate/index.ts";
import { account, request } from "../support/logs.ts";
import { auditLogs, logRoot, removeAfter } from "./support.ts";

describe("faults: the accounts table", () => {
  it("keeps the first row of a duplicated account_id and counts duplicates and bad rows", async () => {
    // Prepare
    const logs = logRoot({
      requests: { "2026-02-16": { "a.jsonl": [request({ request_id: "r1" })] } },
      accounts: [
        account({ account_id: "acct-a", signup_country: "DE" }),
        account({ account_id: "acct-b" }),
        account({ account_id: "acct-a", signup_country: "FR" }),
        account({ account_id: "acct-a", signup_country: "US" }),
      ],
    });
    appendFileSync(join(logs, "accounts", "accounts.jsonl"), '\n{"account_type":"no id"}\n{oops\n');
    // Act
    const { quality, audited } = await auditLogs(logs);
    // Assess
    expect(audited).toEqual(["r1"]);
    expect(quality.accounts).toEqual({
      read: 6,
      accepted: 2,
      rejected: { duplicate_account_id: 2, missing_account_id: 1, malformed_json: 1 },
    });
  });

  it("audits a hydra whose every account is listed twice, without the duplicate reaching scoring", {
    timeout: 120_000,
  }, async () => {
    // Prepare: generated traffic has clusters; listing each account twice once crashed cluster
    // scoring (a member counted twice) and aborted the audit.
    const root = mkdtempSync(join(tmpdir(), "distill-accounts-"));
    removeAfter(root);
    await generateTraffic({ outDir: root, requests: 6000, days: 2, seed: 3, format: "jsonl", workers: 0 });
    const [file] = readdirSync(join(root, "accounts"));
    const path = join(root, "accounts", file as string);
    const text = readFileSync(path, "utf8");
    const rows = text.trim().split("\n").length;
    appendFileSync(path, text.endsWith("\n") ? text : `\n${text}`);
    // Act
    const { document, quality } = await auditLogs(root, partitionsWindow("2026-02-16", "2026-02-17"));
    // Assess
    expect(quality.accounts?.accepted).toBe(rows);
    expect(quality.accounts?.rejected).toEqual({ duplicate_account_id: rows });
    const clusters = document.findings.filter((f) => f.kind === "cluster");
    expect(clusters.length).toBeGreaterThan(0);
    for (const finding of clusters) expect(new Set(finding.accounts).size).toBe(finding.accounts.length);
  });
});
