import { DuckDbEngine } from "./lib/engine/duckdb/engine.ts";
import { windowParams } from "./lib/engine/port.ts";
import { positionalValues, sqlQuery } from "./lib/sql/catalog.ts";
import { replaceCalls } from "./bench/profile.ts";
const N = process.argv[2] ?? "300000";
const e = await DuckDbEngine.open({ logsDir: `.cache/bench/parquet-${N}` });
const w = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-23T00:00:00Z") };
await e.prepare(w);
const q = sqlQuery("features");
const vals = positionalValues(q, windowParams(w));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function t(name: string, sql: string) {
  let best = Infinity, wall = 0;
  for (let k = 0; k < 3; k++) {
    const c0 = cpu(), t0 = performance.now();
    await e.rows(`CREATE OR REPLACE TEMP TABLE x AS ${sql}`, vals);
    const c = cpu() - c0; if (c < best) { best = c; wall = performance.now() - t0; }
  }
  const chk = await e.rows("SELECT count(*) n, count(*) FILTER (WHERE reject_reason IS NOT NULL) rej, sum(hash(skeleton_hash, capability, asks_reasoning)) h FROM x");
  console.log(name.padEnd(14), (best / 1000).toFixed(2), "s cpu", (wall / 1000).toFixed(2), "s wall", JSON.stringify(chk[0]));
}
// Window moved after the prompt is reduced.
const noWin = q.text.replace(/row_number\(\) OVER \(PARTITION BY r\.request_id ORDER BY r\.ts, r\.account_id\)/, "1");
const windowLast = `WITH base AS (${noWin}) SELECT * REPLACE (CASE WHEN reject_reason IS NULL AND row_number() OVER (PARTITION BY request_id ORDER BY ts, account_id) > 1 THEN 'duplicate_request_id' ELSE reject_reason END AS reject_reason) FROM base`;
// Duplicates from a narrow aggregate joined back.
const dupJoin = `WITH base AS (${noWin}), d AS (SELECT request_id, min(ts) AS first_ts, count(*) AS n FROM requests r WHERE r.dt BETWEEN ? AND ? AND (r.ts IS NULL OR (r.ts >= ? AND r.ts < ?)) GROUP BY request_id HAVING count(*) > 1) SELECT * FROM base`;
// Guard the extraction with a boolean match of the same pattern.
const m = /regexp_extract_all\(s\.prompt_ends,\s*('(?:[^']|'')*'(?:\s*\|\|\s*'(?:[^']|'')*')*)\)/s.exec(q.text);
const guarded = m ? q.text.replace(m[0], `CASE WHEN regexp_matches(s.prompt_ends, ${m[1]}) THEN ${m[0]} ELSE CAST([] AS VARCHAR[]) END`) : null;
const cueShare = m ? await e.rows(`SELECT avg(CASE WHEN regexp_matches(CASE WHEN length(prompt) <= 320 THEN prompt ELSE substr(prompt, 1, 224) || ' ' || substr(prompt, -96) END, ${m[1]}) THEN 1 ELSE 0 END) AS cue_share FROM requests`) : [];
console.log("share of prompts with a cue:", cueShare[0]);
await t("full", q.text);
await t("window-last", windowLast);
await t("no-window", noWin);
if (guarded) await t("guarded-cues", guarded);
await e.close();
