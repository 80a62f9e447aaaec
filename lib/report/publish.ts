import { createHash, randomUUID } from "node:crypto";
import type { AuditOutcome } from "../audit.ts";
import type { AuditConfig } from "../config/config.ts";
import type { Severity } from "../domain/signal.ts";
import { atLeast, SEVERITIES, severityRank } from "../domain/signal.ts";
import type { Finding, FindingsDocument } from "../findings/model.ts";
import type { Digest, Notifier } from "../notify/port.ts";
import type { ReportStore } from "../store/port.ts";
import {
  acquireRunLock,
  LOCK_TTL_MS,
  lockHolds,
  lockKey,
  parseLock,
  type RunLock,
  type RunLockOptions,
} from "../store/run-lock.ts";
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
  /** The run lock's tuning; the CLI adds `ownerAlive`, so a killed local run frees it at once. */
  readonly lock?: RunLockOptions;
}

export interface PublishResult {
  readonly reportPrefix: string;
  readonly keys: readonly string[];
  readonly written: number;
  readonly unchanged: number;
  /** Temporary files of interrupted earlier writes that this run removed. */
  readonly swept: number;
  readonly alerted: readonly Finding[];
  /** The first digest sent (the only one, unless a rerun resent several lost digests). */
  readonly digest: Digest | null;
  readonly digests: readonly Digest[];
  readonly messageId: string | null;
  readonly messageIds: readonly string[];
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
 * Writes the run's report bundle and history line, then alerts for what is new or escalated, all
 * under the run lock of its run id, so that overlapping runs of one window publish in turn.
 * Re-running a window writes the same keys and rewrites only what changed (the manifest, whose
 * query timings differ); summary.txt does not depend on alert state for that reason.
 */
export async function publishAudit(
  outcome: AuditOutcome,
  config: AuditConfig,
  deps: PublishDeps,
): Promise<PublishResult> {
  const document = canonicalDocument(outcome.document);
  const lock = await acquireRunLock(
    deps.store,
    document.run.run_id,
    keySegment(document.run.run_id),
    deps.lock,
  );
  let result: PublishResult;
  try {
    result = await publishLocked(document, outcome, config, deps, lock);
  } catch (error) {
    // Released on failure too: the claims it leaves are then orphans the next run resends.
    await lock.release().catch(() => {});
    throw error;
  }
  await lock.release();
  return result;
}

async function publishLocked(
  document: FindingsDocument,
  outcome: AuditOutcome,
  config: AuditConfig,
  deps: PublishDeps,
  lock: RunLock,
): Promise<PublishResult> {
  const { store } = deps;
  // What a killed run left half-written goes first (the filesystem's temp files).
  const swept = (await store.sweep?.()) ?? 0;
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
  const context: AlertContext = {
    store,
    runId: document.run.run_id,
    lock,
    freshDigestId: randomUUID(),
    now: deps.lock?.now ?? Date.now,
    ownerAlive: deps.lock?.ownerAlive,
    locks: new Map(),
  };
  const claims = (await mapLimit(candidates, 8, (f) => claimAlert(context, f))).filter(
    (c): c is Claim => c !== null,
  );
  const digests: Digest[] = [];
  const messageIds: string[] = [];
  for (const [digestId, group] of digestGroups(claims, context.freshDigestId)) {
    // Only the lock's holder may send what it claimed; a run that overran its lock stops here.
    await lock.renew();
    const digest = buildDigest(document, group, summaryOptions, digestId);
    // "sending" is written before the digest goes out: a kill from here on leaves markers that
    // the next run resends under the same digest id, so a duplicate is recognisable.
    await Promise.all(
      group.map((c) => store.put(c.key, markerBody(c, "sending", context), "application/json")),
    );
    let messageId: string;
    try {
      ({ messageId } = await deps.notifier.publish(digest));
    } catch (error) {
      // Hand the claims back: the next run resends them (same digest id) instead of staying quiet.
      await Promise.all(
        group.map((c) =>
          store.put(c.key, markerBody(c, "failed", context, { error: String(error) }), "application/json"),
        ),
      );
      throw error;
    }
    await Promise.all(
      group.map((c) =>
        store.put(c.key, markerBody(c, "sent", context, { message_id: messageId }), "application/json"),
      ),
    );
    digests.push(digest);
    messageIds.push(messageId);
  }
  return {
    reportPrefix: prefix,
    keys,
    written,
    unchanged,
    swept,
    alerted: claims.map((c) => c.finding),
    digest: digests[0] ?? null,
    digests,
    messageId: messageIds[0] ?? null,
    messageIds,
  };
}

// --- Alert delivery ------------------------------------------------------------------------------
//
// A marker `alerts/<finding>/<severity>` records the delivery of a finding's alert at a severity
// through three persisted states: "claimed" (created exclusively, so of two overlapping runs one
// claims), "sending" (written just before the digest is published) and "sent" (after the notifier
// accepted it). Each claim names the run lock of its run (`lock`) and the digest it goes out in
// (`digest_id`). A claimed or sending marker whose lock no longer holds (released, expired, taken
// over, or its local process gone) is an orphan of a run that died or failed: the next run that
// sees the finding at that severity adopts it and sends it again under the same digest id. That
// makes delivery at least once, and a duplicate carries the digest id of the message it repeats.
// Markers of older versions may chain `<severity>.retry-<n>` after a "failed" one; they are read,
// never written.

const LEGACY_ATTEMPTS = 5;

interface Claim extends AlertedFinding {
  readonly key: string;
  readonly digestId: string;
  /** Taken over from a run that did not confirm it (resend), rather than claimed afresh. */
  readonly adopted: boolean;
}

type MarkerStatus = "claimed" | "sending" | "sent" | "failed";

interface MarkerRecord {
  readonly status?: MarkerStatus;
  readonly digest_id?: string;
  readonly lock?: string;
  readonly run_id?: string;
  readonly at?: string;
}

interface AlertContext {
  readonly store: ReportStore;
  readonly runId: string;
  readonly lock: RunLock;
  readonly freshDigestId: string;
  readonly now: () => number;
  readonly ownerAlive: RunLockOptions["ownerAlive"];
  /** Whether each lock named by a claim still holds, read once per publish. */
  readonly locks: Map<string, Promise<boolean>>;
}

type Seen =
  | { readonly kind: "none" }
  | { readonly kind: "sent" | "live" }
  | { readonly kind: "ours" | "orphan"; readonly record: MarkerRecord | null };

function markerKey(finding: Finding, severity: Severity, attempt: number): string {
  return `alerts/${keySegment(finding.dedup_key)}/${severity}${attempt === 0 ? "" : `.retry-${attempt}`}`;
}

function markerBody(
  claim: { finding: Finding; digestId: string },
  status: MarkerStatus,
  context: AlertContext,
  extra: Record<string, string> = {},
): string {
  return `${JSON.stringify({
    status,
    finding_id: claim.finding.id,
    severity: claim.finding.severity,
    run_id: context.runId,
    digest_id: claim.digestId,
    lock: context.lock.key,
    at: new Date(context.now()).toISOString(),
    ...extra,
  })}\n`;
}

function parseMarker(bytes: Uint8Array): MarkerRecord | null {
  try {
    const record = JSON.parse(Buffer.from(bytes).toString("utf8")) as MarkerRecord;
    return record && typeof record === "object" ? record : null;
  } catch {
    return null;
  }
}

/** Whether the run that made a claim may still send it: its lock holds and nobody took it over. */
function claimantLive(context: AlertContext, record: MarkerRecord): Promise<boolean> {
  const key = record.lock;
  if (key === undefined) {
    // A claim of a version without run locks: its run had the lock TTL to send it.
    return Promise.resolve(Date.parse(record.at ?? "") + LOCK_TTL_MS > context.now());
  }
  let live = context.locks.get(key);
  if (live === undefined) {
    live = (async () => {
      const match = /^locks\/(.+)\/(\d+)$/.exec(key);
      if (match === null) return false;
      const [, segment = "", generation = "0"] = match;
      if ((await context.store.get(lockKey(segment, Number(generation) + 1))) !== null) return false;
      return lockHolds(parseLock(await context.store.get(key)), context.now(), context.ownerAlive);
    })();
    context.locks.set(key, live);
  }
  return live;
}

/** The state of one marker key; a legacy "failed" marker defers to its retry successor. */
async function inspect(
  context: AlertContext,
  finding: Finding,
  severity: Severity,
): Promise<{ key: string; seen: Seen }> {
  for (let attempt = 0; ; attempt += 1) {
    const key = markerKey(finding, severity, attempt);
    const bytes = await context.store.get(key);
    if (bytes === null) return { key, seen: { kind: "none" } };
    const record = parseMarker(bytes);
    if (record?.status === "sent") return { key, seen: { kind: "sent" } };
    if (record?.status === "failed" && attempt + 1 < LEGACY_ATTEMPTS) {
      if ((await context.store.get(markerKey(finding, severity, attempt + 1))) !== null) continue;
    }
    if (record !== null && record.lock === context.lock.key) return { key, seen: { kind: "ours", record } };
    // Unreadable (damaged) or failed markers are orphans; so are claims whose run is gone.
    const live =
      record !== null &&
      (record.status === "claimed" || record.status === "sending") &&
      (await claimantLive(context, record));
    return { key, seen: live ? { kind: "live" } : { kind: "orphan", record } };
  }
}

/** Whether the finding alerted, or a live run is alerting it, at exactly this severity. */
async function alertedAt(context: AlertContext, finding: Finding, severity: Severity): Promise<boolean> {
  const { seen } = await inspect(context, finding, severity);
  return seen.kind === "sent" || seen.kind === "live" || seen.kind === "ours";
}

async function claimAlert(context: AlertContext, finding: Finding): Promise<Claim | null> {
  const rank = severityRank(finding.severity);
  for (const higher of SEVERITIES.slice(rank + 1)) {
    if (await alertedAt(context, finding, higher)) return null;
  }
  // Most findings of a run alerted in an earlier one: a read settles them, and an exclusive
  // create (on S3 a PUT, priced as ten reads or more) is left to those that may need to alert.
  let { key, seen } = await inspect(context, finding, finding.severity);
  let digestId = context.freshDigestId;
  let adopted = false;
  if (seen.kind === "none") {
    const claim = { finding, digestId };
    if (!(await context.store.createExclusive(key, markerBody(claim, "claimed", context)))) {
      // Lost the race, unless the "exists" is our own create, retried after a lost response.
      ({ key, seen } = await inspect(context, finding, finding.severity));
      if (seen.kind !== "ours") return null;
      digestId = seen.record?.digest_id ?? digestId;
    }
  } else if (seen.kind === "ours") {
    digestId = seen.record?.digest_id ?? digestId;
  } else if (seen.kind === "orphan") {
    // Adopt the orphan under its digest id. Two runs adopting one orphan at once both send it:
    // at least once, and both copies say which digest they repeat.
    digestId = seen.record?.digest_id ?? digestId;
    adopted = true;
    await context.store.put(key, markerBody({ finding, digestId }, "claimed", context), "application/json");
  } else {
    return null;
  }
  let previous: Severity | null = null;
  for (const lower of SEVERITIES.slice(0, rank).reverse()) {
    if (await alertedAt(context, finding, lower)) {
      previous = lower;
      break;
    }
  }
  return { key, digestId, adopted, finding, change: previous === null ? "new" : "escalated", previous };
}

/**
 * Claims grouped into digests by digest id, in claim order. When every resent claim comes from one
 * digest (a rerun after a crash), the run's new claims join it: one digest, with the id of the one
 * that may have been lost. Otherwise new claims go in a digest of their own.
 */
function digestGroups(claims: readonly Claim[], freshDigestId: string): Map<string, Claim[]> {
  const resent = new Set(claims.filter((c) => c.adopted).map((c) => c.digestId));
  const joined = resent.size === 1 ? [...resent][0] : undefined;
  const groups = new Map<string, Claim[]>();
  for (const claim of claims) {
    const id = joined !== undefined && claim.digestId === freshDigestId ? joined : claim.digestId;
    const member = id === claim.digestId ? claim : { ...claim, digestId: id };
    groups.set(id, [...(groups.get(id) ?? []), member]);
  }
  return groups;
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
