import type { AuditOutcome } from "../../lib/audit.ts";
import type { ClusterLink, Signal } from "../../lib/domain/signal.ts";
import type { DetectorRun, Evidence, Finding, FindingsDocument } from "../../lib/findings/model.ts";
import { FINDINGS_SCHEMA_VERSION } from "../../lib/findings/model.ts";
import type { Digest, Notifier } from "../../lib/notify/port.ts";

/**
 * Hand-built findings documents for the output tests: a realistic run (with clusters), and a
 * hostile one whose every attacker-controlled field carries a payload.
 */

export const WINDOW_START = "2026-02-17T00:00:00.000Z";
export const WINDOW_END = "2026-02-24T00:00:00.000Z";

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so fixtures are stable. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Requests per hour over the window: `shape` gives the expected rate at hour h. */
export function hourly(
  shape: (hour: number) => number,
  seed = 1,
  start = WINDOW_START,
  end = WINDOW_END,
): Evidence["hourly"] {
  const rand = random(seed);
  const from = Date.parse(start);
  const hours = Math.round((Date.parse(end) - from) / 3_600_000);
  const out: Evidence["hourly"] = [];
  for (let h = 0; h < hours; h += 1) {
    const requests = Math.max(0, Math.round(shape(h) * (0.85 + rand() * 0.3)));
    if (requests > 0) out.push({ hour: new Date(from + h * 3_600_000).toISOString(), requests });
  }
  return out;
}

export function signal(overrides: Partial<Signal> = {}): Signal {
  return {
    detector: "volume",
    name: "output_tokens_per_day",
    axis: "automation",
    facet: "volume",
    value: 2_400_000,
    threshold: 500_000,
    weight: 0.6,
    contribution: 0.42,
    fired: true,
    explanation: "2.4M output tokens a day, 4.8× the cut-off",
    ...overrides,
  };
}

export function evidence(overrides: Partial<Evidence> = {}): Evidence {
  const series = overrides.hourly ?? hourly(() => 40);
  const requests = series.reduce((n, h) => n + h.requests, 0);
  return {
    requests,
    input_tokens: requests * 850,
    output_tokens: requests * 1900,
    first_seen: series[0]?.hour ?? null,
    last_seen: series[series.length - 1]?.hour ?? null,
    sample_request_ids: ["req-0001", "req-0002", "req-0003"],
    top_skeletons: [
      {
        hash: "9f3a1b2c4d5e6f70",
        excerpt: "Solve step by step and show all reasoning: <NUM> + <NUM> = ?",
        requests: Math.round(requests * 0.7),
        accounts: 1,
      },
    ],
    networks: [{ key: "AS14061", requests }],
    user_agents: [{ key: "python-requests/2.31.0", requests }],
    models: [{ key: "claude-sonnet-4-5-20250929", requests }],
    hourly: series,
    ...overrides,
  };
}

export function accountFinding(account: string, overrides: Partial<Finding> = {}): Finding {
  const id = overrides.id ?? `acct-${Buffer.from(account).toString("hex").slice(0, 16).padEnd(16, "0")}`;
  return {
    id,
    dedup_key: id,
    kind: "account",
    subject: account,
    severity: "high",
    score: 0.72,
    title: `Account ${account}`,
    why: "2.4M output tokens a day, 4.8× the cut-off; 71% of requests share one template",
    accounts: [account],
    context_accounts: [],
    axes: { harvest: 0.4, automation: 0.25, coordination: 0.2 },
    gate: null,
    signals: [signal()],
    evidence: evidence(),
    links: [],
    attachments: [],
    recommended_action:
      "Review within a day: rate-limit, require verification, and examine the linked accounts and payment methods.",
    runbook: [
      "Compare the account's volume with its contract tier.",
      "Check the template excerpts for benchmarks.",
    ],
    ...overrides,
  };
}

export function clusterFinding(accounts: readonly string[], overrides: Partial<Finding> = {}): Finding {
  const id = overrides.id ?? "clus-5c1e0d9a7b3f2e41";
  const links: ClusterLink[] = [
    {
      trait: "payment_fingerprint",
      value: "card:4a7f…e2c1",
      accounts: accounts.length,
      weight: 0.9,
      base_rate: null,
    },
    {
      trait: "network_hour",
      value: "AS14061 / 203.0.113.0/24",
      accounts: Math.ceil(accounts.length * 0.85),
      weight: 0.6,
      base_rate: "used by 14 of 9,120 active accounts over the window",
    },
    {
      trait: "skeleton",
      value: "9f3a1b2c4d5e6f70",
      accounts: Math.ceil(accounts.length * 0.95),
      weight: 0.5,
      base_rate: null,
    },
    {
      trait: "signup_burst",
      value: "2026-02-10T14:00Z ±40 min",
      accounts: Math.ceil(accounts.length * 0.66),
      weight: 0.4,
      base_rate: "18 opened that day against 0.40 expected, over 5,210 (combination, day) cells",
    },
  ];
  return {
    id,
    dedup_key: id,
    kind: "cluster",
    subject: `cluster of ${accounts.length} accounts linked by payment_fingerprint`,
    severity: "critical",
    score: 0.93,
    title: `Linked cluster of ${accounts.length} accounts`,
    why: "all members share one payment fingerprint; 95% send the same chain-of-thought template; traffic in lockstep",
    accounts: [...accounts],
    context_accounts: [],
    axes: { harvest: 0.6, automation: 0.25, coordination: 0.55 },
    gate: null,
    signals: [
      signal({
        detector: "linkage",
        name: "shared_payment",
        contribution: 0.55,
        weight: 0.9,
        value: 1,
        threshold: 0.5,
        explanation: "100% of members pay with one card fingerprint",
      }),
      signal({
        detector: "templates",
        name: "template_concentration",
        contribution: 0.41,
        value: 0.95,
        threshold: 0.4,
        explanation: "95% of members: 71% of requests share one template",
      }),
      signal({
        detector: "timing",
        name: "lockstep",
        contribution: 0.33,
        value: 0.88,
        threshold: 0.6,
        explanation: "hourly volumes correlate at 0.88 across members",
      }),
      signal({
        detector: "volume",
        name: "output_tokens_per_day",
        contribution: 0.21,
        explanation: "62% of members: 2.4M output tokens a day, 4.8× the cut-off",
      }),
      signal({
        detector: "reasoning",
        name: "cot_elicitation",
        contribution: 0.04,
        fired: false,
        value: 0.18,
        threshold: 0.3,
        explanation: "18% of prompts ask for step-by-step reasoning (cut-off 30%)",
      }),
    ],
    evidence: evidence({
      hourly: hourly((h) => (h < 30 ? 0 : 900 + 250 * Math.sin(h / 3)), 7),
      sample_request_ids: Array.from({ length: 12 }, (_, i) => `req-7c${String(i).padStart(4, "0")}`),
      top_skeletons: [
        {
          hash: "9f3a1b2c4d5e6f70",
          excerpt: "Solve step by step and show all reasoning: <NUM> + <NUM> = ?",
          requests: 81_211,
          accounts: 201,
        },
        {
          hash: "03be77a1c9d04e12",
          excerpt: "You are an expert tutor. Explain <TOPIC> in detail, then give <NUM> exercises.",
          requests: 22_940,
          accounts: 188,
        },
        { hash: "b6d0c2f4a8e13579", excerpt: null, requests: 4_112, accounts: 37 },
      ],
      networks: [
        { key: "AS14061 DigitalOcean", requests: 61_500 },
        { key: "AS16509 Amazon", requests: 31_200 },
        { key: "AS9009 M247", requests: 9_900 },
      ],
      user_agents: [
        { key: "python-requests/2.31.0", requests: 70_300 },
        { key: "OpenAI/Python 1.12.0", requests: 32_300 },
      ],
      models: [
        { key: "claude-sonnet-4-5-20250929", requests: 90_100 },
        { key: "claude-haiku-4-5-20251001", requests: 12_500 },
      ],
    }),
    links,
    attachments: accounts.map((account) => ({
      account,
      ties: accounts.length - 1,
      strongest: 1,
      traits: ["payment_fingerprint" as const],
    })),
    recommended_action:
      "Act now: suspend or throttle the accounts pending review, preserve their logs, and check every linked account.",
    runbook: [
      "Freeze the shared payment instrument and every account using it.",
      "Export the cluster's request ids for legal hold.",
      "Look for new sign-ups on the same networks in the next 48 hours.",
    ],
    ...overrides,
  };
}

export function detectorRuns(): DetectorRun[] {
  return [
    {
      id: "volume",
      title: "Output volume far above the account's tier",
      status: "ran",
      reason: null,
      accounts_signalled: 241,
    },
    {
      id: "templates",
      title: "Requests concentrated on a few prompt templates",
      status: "ran",
      reason: null,
      accounts_signalled: 230,
    },
    {
      id: "linkage",
      title: "Accounts linked by payment, network and templates",
      status: "ran",
      reason: null,
      accounts_signalled: 230,
    },
    {
      id: "timing",
      title: "Synchronized traffic across linked accounts",
      status: "ran",
      reason: null,
      accounts_signalled: 212,
    },
    {
      id: "reasoning",
      title: "Prompts that elicit chain-of-thought",
      status: "skipped",
      reason: "no request carries thinking_budget",
      accounts_signalled: 0,
    },
  ];
}

export function makeDocument(
  findings: readonly Finding[],
  overrides: Partial<FindingsDocument> = {},
): FindingsDocument {
  return {
    schema_version: FINDINGS_SCHEMA_VERSION,
    run: {
      run_id: "daily-20260217T000000Z-20260224T000000Z",
      schedule: "daily",
      window_start: WINDOW_START,
      window_end: WINDOW_END,
      generated_at: WINDOW_END,
      engine: "duckdb",
      code_version: "distill-audit@0.1.0",
      config_sha256: "3b1f0c9e5d7a2b4c6e8f0a1b3c5d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f809",
    },
    findings: [...findings],
    detectors: detectorRuns(),
    data_quality: {
      requests_read: 1_204_332,
      requests_accepted: 1_198_529,
      outside_window: 341,
      rejected: { malformed_json: 3_120, missing_account_id: 2_001, ts_outside_partition: 341 },
      files_read: 168,
      unreadable_files: [{ file: "requests/dt=2026-02-16/part-7.jsonl.gz", reason: "not_gzip" }],
      skipped_files: [],
      accounts_available: true,
      accounts: { read: 900, accepted: 898, rejected: { duplicate_account_id: 2 } },
      field_coverage: { network: 1, user_agent: 0.998, thinking_budget: 0, system_prompt: 0.41 },
      notes: [
        "caps inferred from traffic for 1 model missing from the model catalogue, as the highest max_tokens and thinking budget requested in the window: claude-opus-4-7 (output 128,000); add them to the configuration's models for exact caps and a release date",
      ],
    },
    ...overrides,
  };
}

export function members(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(3, "0")}`);
}

/** A realistic run: two clusters, accounts at every severity. */
export function sampleDocument(): FindingsDocument {
  const hydra = members("acct-hydra", 212);
  return makeDocument([
    clusterFinding(hydra),
    clusterFinding(members("acct-tutor", 18), {
      id: "clus-8e2d4f6a0b1c3d5e",
      dedup_key: "clus-8e2d4f6a0b1c3d5e",
      severity: "high",
      score: 0.74,
      subject: "cluster of 18 accounts linked by user_agent",
      title: "Linked cluster of 18 accounts",
      why: "18 accounts share a rare user agent and one system prompt; sign-ups within 2 hours",
      links: [
        {
          trait: "user_agent",
          value: "TutorBot/0.9 (+https://example.invalid)",
          accounts: 18,
          weight: 0.7,
          base_rate: null,
        },
        { trait: "system_prompt", value: "sp:1c0ffee…", accounts: 16, weight: 0.6, base_rate: null },
      ],
      evidence: evidence({
        hourly: hourly((h) => 120 + 100 * Math.max(0, Math.sin(((h % 24) - 6) / 4)), 11),
      }),
    }),
    accountFinding("acct-7f3a9c", {
      score: 0.71,
      evidence: evidence({ hourly: hourly((h) => (h % 24 < 8 ? 260 : 30), 3) }),
    }),
    accountFinding("acct-2b91de", {
      severity: "medium",
      score: 0.52,
      evidence: evidence({ hourly: hourly(() => 55, 5) }),
    }),
    accountFinding("acct-c04417", {
      severity: "medium",
      score: 0.47,
      evidence: evidence({ hourly: hourly((h) => (h > 100 ? 90 : 10), 6) }),
    }),
    accountFinding("acct-550e84", { severity: "low", score: 0.31 }),
    accountFinding("acct-partner-research", {
      severity: "info",
      score: 0.58,
      recommended_action: "Allowlisted: recorded for the audit trail only.",
    }),
  ]);
}

/**
 * What no neutralized output may contain: C0/C1 control characters other than tab, LF and CR (so
 * every ANSI escape, which starts with ESC), bidi controls, and unpaired surrogates.
 */
export const UNSAFE_TEXT =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Attacker-controlled strings the outputs must neutralize. */
export const PAYLOADS = {
  script: "<script>alert(1)</script>",
  img: "<img src=x onerror=alert(1)>",
  jsUrl: "javascript:alert(1)",
  attr: '" onmouseover="x',
  hyperlink: '=HYPERLINK("http://evil")',
  plus: "+1",
  minus: "-2+3",
  at: "@SUM(A1)",
  tab: "\tfoo",
  cr: "\rbar",
  ansi: "\u001b[31mred\u001b]0;title\u0007",
  crlf: "a\r\nSubject: injected",
  long: "A".repeat(100_000),
  surrogate: "x\ud800y",
  bidi: "abc\u202egnp.exe",
} as const;

export const PAYLOAD_LIST: readonly string[] = Object.values(PAYLOADS);

/** Every payload joined, so one field exercises all of them at once. */
export const ALL_PAYLOADS = PAYLOAD_LIST.filter((p) => p !== PAYLOADS.long).join(" | ");

/** A run in which account ids, user agents, excerpts and explanations are all hostile. */
export function hostileDocument(): FindingsDocument {
  const accounts = PAYLOAD_LIST.map((p, i) => `${p}#${i}`);
  const hostileEvidence = (): Evidence =>
    evidence({
      sample_request_ids: PAYLOAD_LIST.slice(0, 20),
      top_skeletons: PAYLOAD_LIST.map((p, i) => ({
        hash: i === 0 ? PAYLOADS.script : `00000000000000${String(i).padStart(2, "0")}`,
        excerpt: p,
        requests: 100 - i,
        accounts: 1,
      })),
      networks: PAYLOAD_LIST.map((p, i) => ({ key: p, requests: 50 - i })),
      user_agents: PAYLOAD_LIST.map((p, i) => ({ key: p, requests: 50 - i })),
      models: [{ key: PAYLOADS.script, requests: 10 }],
    });
  const hostileSignals = PAYLOAD_LIST.map((p, i) =>
    signal({ detector: PAYLOADS.img, name: p, explanation: p, contribution: 0.3 - i * 0.01 }),
  );
  const findings: Finding[] = [
    clusterFinding(accounts, {
      subject: ALL_PAYLOADS,
      title: PAYLOADS.script,
      why: ALL_PAYLOADS,
      signals: hostileSignals,
      evidence: hostileEvidence(),
      links: PAYLOAD_LIST.map((p) => ({
        trait: "user_agent" as const,
        value: p,
        accounts: 2,
        weight: 0.5,
        base_rate: null,
      })),
      recommended_action: PAYLOADS.crlf,
      runbook: [...PAYLOAD_LIST],
    }),
    ...PAYLOAD_LIST.map((p, i) =>
      accountFinding(p, {
        id: `acct-hostile-${i}`,
        dedup_key: `acct-hostile-${i}`,
        severity: i % 2 === 0 ? "high" : "medium",
        why: p,
        signals: [signal({ explanation: p, name: p })],
        evidence: hostileEvidence(),
      }),
    ),
  ];
  return makeDocument(findings, {
    run: {
      ...makeDocument([]).run,
      run_id: "hostile-20260217T000000Z-20260224T000000Z",
      schedule: "hostile",
    },
    detectors: [
      ...detectorRuns(),
      {
        id: PAYLOADS.script,
        title: PAYLOADS.img,
        status: "skipped",
        reason: ALL_PAYLOADS,
        accounts_signalled: 0,
      },
    ],
    data_quality: {
      ...makeDocument([]).data_quality,
      // Reasons are the reader's words, not the attacker's; the corpus still goes in, bar the 100k string.
      rejected: Object.fromEntries(PAYLOAD_LIST.filter((p) => p !== PAYLOADS.long).map((p, i) => [p, i + 1])),
      field_coverage: { [PAYLOADS.script]: 0.5 },
      // A model id comes from the logs, so a note naming one carries whatever the logs hold.
      notes: [`caps inferred from traffic for 1 model: ${PAYLOADS.script}`],
      // File names come from whoever wrote the log root.
      unreadable_files: PAYLOAD_LIST.filter((p) => p !== PAYLOADS.long).map((p) => ({
        file: `requests/dt=2026-02-16/${p}.jsonl.gz`,
        reason: "not gzip",
      })),
      skipped_files: [{ file: `${PAYLOADS.script}/`, reason: "not a dt= partition" }],
    },
  });
}

/** An audit outcome around a document, with the query statistics a real run would carry. */
export function auditOutcome(document: FindingsDocument, elapsedMs = 120.5): AuditOutcome {
  return {
    document,
    queries: [
      {
        query: "features",
        sqlSha256: "1".repeat(64),
        executionId: "duckdb-1",
        bytesScanned: 52_428_800,
        elapsedMs,
        rows: 0,
      },
      {
        query: "data_quality",
        sqlSha256: "2".repeat(64),
        executionId: "duckdb-2",
        bytesScanned: null,
        elapsedMs: 8.25,
        rows: 4,
      },
    ],
    timings: { features: elapsedMs, detectors: 40, scoring: 12 },
  };
}

/** A notifier that keeps what it was asked to send; `failWith` makes the next publish throw. */
export class RecordingNotifier implements Notifier {
  readonly sent: Digest[] = [];
  failWith: Error | null = null;

  async publish(digest: Digest): Promise<{ messageId: string }> {
    if (this.failWith) {
      const error = this.failWith;
      this.failWith = null;
      throw error;
    }
    this.sent.push(digest);
    return { messageId: `msg-${this.sent.length}` };
  }
}
