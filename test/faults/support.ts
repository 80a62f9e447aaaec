import { rmSync } from "node:fs";
import { afterEach, expect } from "vitest";
import { runAudit } from "../../lib/audit.ts";
import { parseConfig } from "../../lib/config/config.ts";
import { DuckDbEngine } from "../../lib/engine/duckdb/engine.ts";
import type { AuditWindow } from "../../lib/engine/port.ts";
import type { DataQuality, FindingsDocument } from "../../lib/findings/model.ts";
import { DAY, type LogFiles, writeLogs } from "../support/logs.ts";

/**
 * Fault-injection helpers: each test builds its own log root in a temp folder (removed after the
 * test), audits it through the real pipeline on DuckDB, and checks that every record read is
 * accounted for exactly once.
 */

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A log root that is removed after the test (see writeLogs for the layout). */
export function logRoot(files: LogFiles): string {
  const root = writeLogs(files);
  roots.push(root);
  return root;
}

/** Removes `path` after the test (a folder the test made itself). */
export function removeAfter(path: string): void {
  roots.push(path);
}

export interface Audited {
  readonly document: FindingsDocument;
  readonly quality: DataQuality;
  /** request_id of every record the detectors see (accepted, inside the window). */
  readonly audited: string[];
}

/** Runs the audit pipeline over `logs` and returns its document and the records it audited. */
export async function auditLogs(logs: string, window: AuditWindow = DAY): Promise<Audited> {
  const engine = await DuckDbEngine.open({ logsDir: logs, threads: 2 });
  try {
    const outcome = await runAudit(engine, {
      window,
      schedule: "faults",
      config: parseConfig({}),
      codeVersion: "test",
    });
    const rows = await engine.rows(
      "SELECT request_id FROM request_features WHERE reject_reason IS NULL AND hour_bucket >= ? AND hour_bucket < ? ORDER BY request_id",
      [window.start, window.end],
    );
    const quality = outcome.document.data_quality;
    expectCountsAddUp(quality);
    return { document: outcome.document, quality, audited: rows.map((r) => String(r.request_id)) };
  } finally {
    await engine.close();
  }
}

/** requests_read = accepted + outside_window + every rejected reason; the same for accounts. */
export function expectCountsAddUp(quality: DataQuality): void {
  const rejected = Object.values(quality.rejected).reduce((n, v) => n + v, 0);
  expect(quality.requests_read).toBe(quality.requests_accepted + quality.outside_window + rejected);
  if (quality.accounts) {
    const accountsRejected = Object.values(quality.accounts.rejected).reduce((n, v) => n + v, 0);
    expect(quality.accounts.read).toBe(quality.accounts.accepted + accountsRejected);
  }
}
