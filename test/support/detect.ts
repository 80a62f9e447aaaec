import type { z } from "zod";
import { type AuditOutcome, runAudit } from "../../lib/audit.ts";
import { loadModelCatalogue } from "../../lib/config/catalogue.ts";
import { type AuditConfig, parseConfig } from "../../lib/config/config.ts";
import { DETECTORS } from "../../lib/detectors/registry.ts";
import type { Detector, DetectorResult } from "../../lib/detectors/types.ts";
import type { Signal } from "../../lib/domain/signal.ts";
import { DuckDbEngine } from "../../lib/engine/duckdb/engine.ts";
import { noisyOr } from "../../lib/scoring/fuse.ts";
import { DAY, request } from "./logs.ts";

/**
 * Runs one detector on a log folder the way the pipeline does (feature stage first, then the
 * detector with its thresholds parsed from overrides), on the DuckDB engine over the test DAY.
 */
export async function runDetector<T extends z.ZodType>(
  detector: Detector<T>,
  logsDir: string,
  overrides: Record<string, unknown> = {},
  config: AuditConfig = parseConfig({}),
): Promise<DetectorResult> {
  const engine = await DuckDbEngine.open({ logsDir, threads: 2 });
  try {
    const prepared = await engine.prepare(DAY);
    const thresholds = detector.thresholds.parse(overrides) as z.infer<T>;
    const { catalogue: models } = await loadModelCatalogue(engine, DAY, config.models);
    return await detector.run(
      { engine, window: DAY, config, models, prepared, coverage: {}, clusters: [] },
      thresholds,
    );
  } finally {
    await engine.close();
  }
}

/** The signal a detector measured for an account, by name (undefined when it measured none). */
export function signalOf(result: DetectorResult, account: string, name: string): Signal | undefined {
  return result.accountSignals.find((s) => s.account === account && s.signal.name === name)?.signal;
}

/** Names of the signals that fired for an account. */
export function firedFor(result: DetectorResult, account: string): string[] {
  return result.accountSignals
    .filter((s) => s.account === account && s.signal.fired)
    .map((s) => s.signal.name)
    .sort();
}

/** What one detector alone adds to an account's score: the pipeline's noisy-OR of its signals. */
export function detectorScore(result: DetectorResult, account: string): number {
  return noisyOr(
    result.accountSignals
      .filter((s) => s.account === account && s.signal.fired)
      .map((s) => s.signal.contribution),
  );
}

/** A deterministic pseudo-random generator (mulberry32), so fixtures are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An instant on the test DAY, `seconds` after midnight UTC. */
export function at(seconds: number): string {
  return new Date(DAY.start.getTime() + Math.floor(seconds * 1000)).toISOString();
}

const WORDS = [
  "garden",
  "invoice",
  "holiday",
  "recipe",
  "budget",
  "poem",
  "meeting",
  "letter",
  "museum",
  "bicycle",
  "sourdough",
  "lecture",
  "apartment",
  "violin",
  "marathon",
  "wedding",
  "podcast",
  "kitchen",
  "novel",
  "harbor",
  "festival",
  "telescope",
  "orchard",
  "sweater",
  "glacier",
  "lantern",
  "compass",
  "pottery",
  "canyon",
  "tram",
];
const ASKS = [
  "Any ideas for my {a} and the {b}?",
  "How should I plan the {a} around a {b}",
  "write something short about a {a} near the {b}",
  "what do you think about {a} versus {b}",
  "Help me compare the {a} with my {b} please",
  "Is a {a} a good gift for someone who likes {b}",
];

/**
 * Ordinary chat traffic: people in multi-turn conversations during their waking hours, free-form
 * prompts that rarely share a template, a few temperatures and output caps. Percentiles need a
 * population, and every detector's hard negatives should hold against it.
 */
export function chatAccounts(
  accounts: number,
  requestsPerAccount: number,
  seed = 1,
  prefix = "person",
): Record<string, unknown>[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const out: Record<string, unknown>[] = [];
  for (let a = 0; a < accounts; a++) {
    const account = `${prefix}-${a}`;
    const wake = 7 + Math.floor(rnd() * 4);
    let conversation = 0;
    let turn = 0;
    for (let i = 0; i < requestsPerAccount; i++) {
      if (turn === 0 || rnd() < 0.25) {
        conversation += 1;
        turn = 0;
      }
      turn += 1;
      const hour = wake + Math.floor(rnd() * 12);
      out.push(
        request({
          account_id: account,
          ts: at(hour * 3600 + rnd() * 3600),
          prompt: `${pick(ASKS).replace("{a}", pick(WORDS)).replace("{b}", pick(WORDS))} ${pick(WORDS)}?`,
          turns: 2 * turn - 1,
          conversation_id: `${account}-c${conversation}`,
          input_tokens: 40 + Math.floor(rnd() * 200) + turn * 150,
          output_tokens: 150 + Math.floor(rnd() * 500),
          max_tokens: pick([1024, 2048, null]),
          temperature: pick([0.7, 1, 0.5]),
        }),
      );
    }
  }
  return out;
}

/**
 * Sixty ordinary chat users, each on their own home network of one residential ISP: the population
 * whole-pipeline tests put their campaign and its look-alike beside, so percentiles have a crowd.
 */
export function homeChatters(): Record<string, unknown>[] {
  return chatAccounts(60, 15, 3).map((r, i) => ({
    ...r,
    source_ip: `203.0.${String(r.account_id).replace("person-", "")}.${(i % 200) + 1}`,
    source_asn: 7922,
    source_country: "US",
  }));
}

/** The whole pipeline over the test DAY with every detector but one disabled. */
/** Runs the whole pipeline over the test DAY on DuckDB, with the configuration given. */
export async function auditDay(
  logsDir: string,
  config: AuditConfig = parseConfig({}),
): Promise<AuditOutcome> {
  const engine = await DuckDbEngine.open({ logsDir, threads: 2 });
  try {
    return await runAudit(engine, { window: DAY, schedule: "test", config, codeVersion: "test" });
  } finally {
    await engine.close();
  }
}

export async function auditWithOnly(detectorId: string, logsDir: string): Promise<AuditOutcome> {
  const only = Object.fromEntries(DETECTORS.map((d) => [d.id, { enabled: d.id === detectorId }]));
  return auditDay(logsDir, parseConfig({ detectors: only }));
}
