import { createHash } from "node:crypto";
import type { AuditOutcome } from "../audit.ts";
import type { AuditConfig } from "../config/config.ts";
import type { Severity } from "../domain/signal.ts";
import { atLeast, SEVERITIES, severityRank } from "../domain/signal.ts";
import type { Finding, FindingsDocument } from "../findings/model.ts";
import type { Digest, Notifier } from "../notify/port.ts";
import type { ReportStore } from "../store/port.ts";
import { renderCsv } from "./csv.ts";
import { buildDigest } from "./digest.ts";
import { renderHtml } from "./html.ts";
import { canonicalDocument, renderFindingsJson, renderHistoryJsonl } from "./json.ts";
import { type BundleFile, buildManifest, renderManifest } from "./manifest.ts";
import { type AlertedFinding, renderSummary } from "./summary.ts";

export interface PublishDeps {
  readonly store: ReportStore;
  readonly notifier: Notifier;
  /** A link to the object in a console (e.g. the S3 console), added to alerts next to locate(). */
  readonly consoleUrl?: (key: string) => string;
}

export interface PublishResult {
  readonly reportPrefix: string;
  readonly keys: readonly string[];
  readonly written: number;
  readonly unchanged: number;
  readonly alerted: readonly Finding[];
  readonly digest: Digest | null;
  readonly messageId: string | null;
}

/**
 * A key segment made from data (run id, finding id): kept when it is plain, otherwise replaced by
 * a readable slug plus a hash, so that no value can add a path level or collide with another.
 */
export function keySegment(value: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(value)) return value;
  const slug = value
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._-]+/, "")
    .slice(0, 60);
  const hash = createHash("sha256").update(value).digest("hex").slice(0, 16);
  return `${slug || "x"}-${hash}`;
}

/** `reports/dt=<UTC day of the window start>/run=<run id>`: the bundle folder of a run. */
export function bundlePrefix(document: FindingsDocument): string {
  return `reports/dt=${document.run.window_start.slice(0, 10)}/run=${keySegment(document.run.run_id)}`;
}

export function historyKey(document: FindingsDocument): string {
  return `findings/dt=${document.run.window_start.slice(0, 10)}/${keySegment(document.run.run_id)}.jsonl`;
}

/**
 * Writes the run's report bundle and history line, then alerts once for what is new or escalated.
 * Re-running a window writes the same keys and rewrites only what changed (the manifest, whose
 * query timings differ); summary.txt does not depend on alert state for that reason.
 */
export async function publishAudit(
  outcome: AuditOutcome,
  config: AuditConfig,
  deps: PublishDeps,
): Promise<PublishResult> {
  const { store } = deps;
  const document = canonicalDocument(outcome.document);
  const prefix = bundlePrefix(document);
  const reportKey = `${prefix}/report.html`;
  const summaryOptions = {
    reportUri: store.locate(reportKey),
    consoleLink: deps.consoleUrl?.(reportKey),
    minSeverity: config.alerts.min_severity,
    maxFindings: config.alerts.max_findings,
  };

  const files: BundleFile[] = [
    { name: "findings.json", body: renderFindingsJson(document), contentType: "application/json" },
    { name: "findings.csv", body: renderCsv(document), contentType: "text/csv; charset=utf-8" },
    {
      name: "report.html",
      body: renderHtml(document, {
        excerpts: config.report.excerpts,
        excerptChars: config.report.excerpt_chars,
      }),
      contentType: "text/html; charset=utf-8",
    },
    {
      name: "summary.txt",
      body: renderSummary(document, summaryOptions),
      contentType: "text/plain; charset=utf-8",
    },
  ];
  const history = { key: historyKey(document), body: renderHistoryJsonl(document) };
  const manifest = renderManifest(buildManifest(document, outcome.queries, files, history));

  // The manifest goes last: when it is there, everything it vouches for is there too.
  const writes: [string, string | Uint8Array, string][] = [
    ...files.map(
      (f) => [`${prefix}/${f.name}`, f.body, f.contentType] as [string, string | Uint8Array, string],
    ),
    [history.key, history.body, "application/x-ndjson"],
  ];
  let written = 0;
  let unchanged = 0;
  const count = (result: "written" | "unchanged"): void => {
    if (result === "written") written += 1;
    else unchanged += 1;
  };
  for (const result of await Promise.all(writes.map(([key, body, type]) => store.put(key, body, type)))) {
    count(result);
  }
  const manifestKey = `${prefix}/manifest.json`;
  count(await store.put(manifestKey, manifest, "application/json"));
  const keys = [...writes.map(([key]) => key), manifestKey];

  const candidates = document.findings.filter((f) => atLeast(f.severity, config.alerts.min_severity));
  const claims = (await mapLimit(candidates, 8, (f) => claimAlert(store, f, document.run.run_id))).filter(
    (c): c is Claim => c !== null,
  );
  if (claims.length === 0) {
    return { reportPrefix: prefix, keys, written, unchanged, alerted: [], digest: null, messageId: null };
  }

  const digest = buildDigest(document, claims, summaryOptions);
  let messageId: string;
  try {
    ({ messageId } = await deps.notifier.publish(digest));
  } catch (error) {
    // Hand the claims back, so the next run (or a retry) alerts instead of staying quiet forever.
    await Promise.all(
      claims.map((c) =>
        store.put(c.key, markerBody(c, "failed", { error: String(error) }), "application/json"),
      ),
    );
    throw error;
  }
  await Promise.all(
    claims.map((c) => store.put(c.key, markerBody(c, "sent", { message_id: messageId }), "application/json")),
  );
  return {
    reportPrefix: prefix,
    keys,
    written,
    unchanged,
    alerted: claims.map((c) => c.finding),
    digest,
    messageId,
  };
}

// --- Alert deduplication -------------------------------------------------------------------------
//
// A marker `alerts/<finding>/<severity>` says "this finding alerted at this severity". It is
// created exclusively, so of two overlapping runs exactly one claims it and alerts. A claim whose
// notification failed is marked "failed"; the next claim then goes to `<severity>.retry-<n>`
// (again exclusive), so a failed notification is retried and still sent at most once per attempt.

const MARKER_ATTEMPTS = 5;

interface Claim extends AlertedFinding {
  readonly key: string;
  readonly runId: string;
}

type MarkerStatus = "claimed" | "sent" | "failed";

function markerKey(finding: Finding, severity: Severity, attempt: number): string {
  return `alerts/${keySegment(finding.dedup_key)}/${severity}${attempt === 0 ? "" : `.retry-${attempt}`}`;
}

function markerBody(
  claim: { finding: Finding; runId: string },
  status: MarkerStatus,
  extra: Record<string, string> = {},
): string {
  return `${JSON.stringify({
    status,
    finding_id: claim.finding.id,
    severity: claim.finding.severity,
    run_id: claim.runId,
    at: new Date().toISOString(),
    ...extra,
  })}\n`;
}

/** A marker that cannot be read as JSON is being written right now: it counts as claimed. */
function markerStatus(bytes: Uint8Array): MarkerStatus {
  try {
    const status = (JSON.parse(Buffer.from(bytes).toString("utf8")) as { status?: unknown }).status;
    return status === "failed" || status === "sent" ? status : "claimed";
  } catch {
    return "claimed";
  }
}

/** Whether the finding alerted (or is alerting) at exactly this severity. */
async function alertedAt(store: ReportStore, finding: Finding, severity: Severity): Promise<boolean> {
  for (let attempt = 0; attempt < MARKER_ATTEMPTS; attempt += 1) {
    const bytes = await store.get(markerKey(finding, severity, attempt));
    if (bytes === null) return false;
    if (markerStatus(bytes) !== "failed") return true;
  }
  return false;
}

async function claimAlert(store: ReportStore, finding: Finding, runId: string): Promise<Claim | null> {
  const rank = severityRank(finding.severity);
  for (const higher of SEVERITIES.slice(rank + 1)) {
    if (await alertedAt(store, finding, higher)) return null;
  }
  for (let attempt = 0; attempt < MARKER_ATTEMPTS; attempt += 1) {
    const key = markerKey(finding, finding.severity, attempt);
    // Most findings of a run alerted in an earlier one: a read settles them, and an exclusive
    // create (on S3 a PUT, priced as ten reads or more) is left to those that may need to alert.
    const seen = await store.get(key);
    if (seen !== null) {
      if (markerStatus(seen) === "failed") continue;
      return null;
    }
    if (await store.createExclusive(key, markerBody({ finding, runId }, "claimed"))) {
      let previous: Severity | null = null;
      for (const lower of SEVERITIES.slice(0, rank).reverse()) {
        if (await alertedAt(store, finding, lower)) {
          previous = lower;
          break;
        }
      }
      return { key, runId, finding, change: previous === null ? "new" : "escalated", previous };
    }
    const existing = await store.get(key);
    if (existing === null || markerStatus(existing) !== "failed") return null;
  }
  return null;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
