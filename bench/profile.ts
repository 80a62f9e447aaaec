import type { DuckDbEngine } from "../lib/engine/duckdb/engine.ts";
import type { AuditWindow } from "../lib/engine/port.ts";
import { windowParams } from "../lib/engine/port.ts";
import { positionalValues, sqlQuery } from "../lib/sql/catalog.ts";

/**
 * Where the feature stage's time goes: the query in lib/sql/features.sql is run (materialised, as
 * the engine does) in variants with one part removed at a time; the difference from the full query
 * is what that part costs. Parts are found by function name in the SQL text, so the profile
 * follows the SQL as it evolves; a variant whose part is absent is reported as such.
 */

/** The index of the parenthesis closing the one at `open`, skipping string literals. */
function closingParen(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'") {
      i++;
      while (i < sql.length && !(sql[i] === "'" && sql[i + 1] !== "'")) i += sql[i] === "'" ? 2 : 1;
    } else if (ch === "(") depth++;
    else if (ch === ")") {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced parenthesis at ${open}`);
}

/** Splits a call's argument text at top-level commas. */
function splitArgs(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < args.length; i++) {
    const ch = args[i];
    if (ch === "'") {
      i++;
      while (i < args.length && !(args[i] === "'" && args[i + 1] !== "'")) i += args[i] === "'" ? 2 : 1;
    } else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      out.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(args.slice(start).trim());
  return out;
}

/**
 * Replaces every call of `fn` (a whole word, e.g. `regexp_like`) by `replace(args)`. Returns the
 * new text and how many calls were replaced.
 */
export function replaceCalls(
  sql: string,
  fn: string,
  replace: (args: string[]) => string,
): { text: string; count: number } {
  const pattern = new RegExp(`\\b${fn}\\s*\\(`, "gi");
  let text = sql;
  let count = 0;
  let from = 0;
  for (;;) {
    pattern.lastIndex = from;
    const m = pattern.exec(text);
    if (!m) break;
    const open = m.index + m[0].length - 1;
    const close = closingParen(text, open);
    const replacement = replace(splitArgs(text.slice(open + 1, close)));
    text = text.slice(0, m.index) + replacement + text.slice(close + 1);
    from = m.index + replacement.length;
    count++;
  }
  return { text, count };
}

type Transform = (sql: string) => { text: string; count: number };

const chain =
  (...steps: Transform[]): Transform =>
  (sql) => {
    let text = sql;
    let count = 0;
    for (const step of steps) {
      const r = step(text);
      text = r.text;
      count += r.count;
    }
    return { text, count };
  };

const noCueExtraction: Transform = (sql) =>
  replaceCalls(sql, "regexp_extract_all", () => "CAST([] AS VARCHAR[])");
const noMasking: Transform = (sql) => replaceCalls(sql, "regexp_replace", (args) => args[0] ?? "''");
const noLower: Transform = (sql) => replaceCalls(sql, "lower", (args) => args[0] ?? "''");
const noCueFlags: Transform = (sql) => replaceCalls(sql, "regexp_like", () => "false");
const noIpRegex: Transform = (sql) => replaceCalls(sql, "regexp_extract", () => "CAST(NULL AS VARCHAR)");
const noHashes: Transform = (sql) => replaceCalls(sql, "xxhash64", () => "0");
// substr(x, 1, n) becomes x and any other substr '' so "head || ' ' || tail" becomes the whole text.
const noEnds: Transform = (sql) =>
  replaceCalls(sql, "substr", (args) => (args[1] === "1" ? (args[0] ?? "''") : "''"));

export const VARIANTS: readonly { name: string; removes: string; transform: Transform | null }[] = [
  { name: "full", removes: "nothing (the feature stage as the engine runs it)", transform: null },
  { name: "-cues", removes: "the cue-extraction regex (regexp_extract_all)", transform: noCueExtraction },
  { name: "-mask", removes: "the skeleton masking regex (regexp_replace)", transform: noMasking },
  { name: "-lower", removes: "lower() case folding", transform: noLower },
  { name: "-flags", removes: "the regexp_like classifications of the cues", transform: noCueFlags },
  { name: "-ip", removes: "the IPv4 network regex (regexp_extract)", transform: noIpRegex },
  { name: "-hashes", removes: "the prompt/skeleton/system hashes", transform: noHashes },
  { name: "-substr", removes: "the prompt-ends substr (regexes see the whole prompt)", transform: noEnds },
  {
    name: "no-regex",
    removes: "every regex and lower() (what is left: read, cast, hash, materialise)",
    transform: chain(noCueExtraction, noMasking, noLower, noCueFlags, noIpRegex),
  },
];

export interface VariantTiming {
  readonly name: string;
  readonly removes: string;
  readonly replaced: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Times each variant `repeats` times (the run with the least CPU time: the least disturbed) after the engine has prepared the window, plus the
 * bare read of the `requests` relation materialised (reader + casts, no features).
 */
export async function profileFeatures(
  engine: DuckDbEngine,
  window: AuditWindow,
  repeats: number,
  log: (message: string) => void,
): Promise<VariantTiming[]> {
  const query = sqlQuery("features");
  const values = positionalValues(query, windowParams(window));
  const variants = [
    ...VARIANTS,
    {
      name: "read-only",
      removes: "everything: SELECT * FROM requests in the window, materialised",
      transform: null,
    },
  ];
  const timings: VariantTiming[] = [];
  for (const variant of variants) {
    let text = query.text;
    let replaced = 0;
    if (variant.name === "read-only") {
      text =
        "SELECT * FROM requests r WHERE r.dt BETWEEN ? AND ? AND (r.ts IS NULL OR (r.ts >= ? AND r.ts < ?))";
    } else if (variant.transform) {
      const r = variant.transform(text);
      text = r.text;
      replaced = r.count;
      if (replaced === 0) {
        log(`profile ${variant.name}: part not found in features.sql, skipped`);
        continue;
      }
    }
    let best = { wallMs: Number.POSITIVE_INFINITY, cpuMs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < repeats; i++) {
      const cpu0 = cpuMs();
      const t0 = performance.now();
      await engine.rows(`CREATE OR REPLACE TEMP TABLE bench_profile_features AS ${text}`, values);
      const wall = performance.now() - t0;
      const cpu = cpuMs() - cpu0;
      if (cpu < best.cpuMs) best = { wallMs: wall, cpuMs: cpu };
    }
    await engine.rows("DROP TABLE IF EXISTS bench_profile_features");
    log(
      `profile ${variant.name}: ${(best.wallMs / 1000).toFixed(2)} s wall, ${(best.cpuMs / 1000).toFixed(2)} s cpu`,
    );
    timings.push({ name: variant.name, removes: variant.removes, replaced, ...best });
  }
  return timings;
}
