/**
 * One baseline data set (10k requests, 14 days) checked end to end: schema, partitions, labels,
 * no label leakage into the logs, DuckDB read-back, the new-model pivot and traffic composition.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODELS, NEW_MODEL_ID } from "../../lib/generate/core.ts";
import {
  type AccountLabel,
  BENIGN_ARCHETYPES,
  CAMPAIGNS,
  type GenerateSummary,
  generateTraffic,
  readLabels,
} from "../../lib/generate/index.ts";
import { ACCOUNT_FIELDS, REQUEST_FIELDS } from "../../lib/schema/log-schema.ts";
import {
  duck,
  type LoggedRequest,
  readJsonl,
  readRequests,
  removeDir,
  tempDir,
  validateRecord,
} from "./helpers.ts";

const START = "2026-02-16";
const DAYS = 14;
const START_MS = Date.parse(`${START}T00:00:00.000Z`);
const END_MS = START_MS + DAYS * 86_400_000;

let dir: string;
let summary: GenerateSummary;
let logs: LoggedRequest[];
let labels: Map<string, AccountLabel>;
let progress: [number, number][];

beforeAll(async () => {
  dir = tempDir("base");
  progress = [];
  summary = await generateTraffic({
    outDir: dir,
    requests: 10_000,
    days: DAYS,
    seed: 42,
    format: "jsonl",
    start: START,
    onProgress: (d, t) => progress.push([d, t]),
  });
  logs = readRequests(dir);
  labels = await readLabels(summary.labelsPath);
}, 60_000);

afterAll(() => removeDir(dir));

function labelOf(r: LoggedRequest): AccountLabel {
  const l = labels.get(r.rec.account_id as string);
  if (!l) throw new Error(`no label for ${String(r.rec.account_id)}`);
  return l;
}

describe("schema", () => {
  it("writes exactly the requested number of requests, one file per day", () => {
    // prepare / act: done in beforeAll
    // assess
    expect(logs).toHaveLength(10_000);
    expect(summary.requests).toBe(10_000);
    expect(summary.files).toHaveLength(DAYS);
    expect(summary.days[0]).toBe(START);
    expect(summary.files.every((f) => /requests\/dt=\d{4}-\d{2}-\d{2}\/part-00000\.jsonl$/.test(f))).toBe(
      true,
    );
  });

  it("every record validates against REQUEST_FIELDS, with keys in schema order", () => {
    const window = { startMs: START_MS, endMs: END_MS };
    const order = REQUEST_FIELDS.map((f) => f.name).join(",");

    const problems = logs.flatMap((r) =>
      validateRecord(r.rec, REQUEST_FIELDS, window).map((e) => `${r.line.slice(0, 80)}: ${e}`),
    );
    const badOrder = logs.filter((r) => Object.keys(r.rec).join(",") !== order);

    expect(problems.slice(0, 5)).toEqual([]);
    expect(badOrder).toHaveLength(0);
  });

  it("puts each record in the partition of its UTC day, sorted by time within the file", () => {
    const misplaced = logs.filter((r) => (r.rec.ts as string).slice(0, 10) !== r.dt);
    let unsorted = 0;
    for (let i = 1; i < logs.length; i++) {
      const a = logs[i - 1] as LoggedRequest;
      const b = logs[i] as LoggedRequest;
      if (a.dt === b.dt && (a.rec.ts as string) > (b.rec.ts as string)) unsorted++;
    }

    expect(misplaced).toHaveLength(0);
    expect(unsorted).toBe(0);
  });

  it("zeroes output tokens on errors and respects max_tokens", () => {
    const errors = logs.filter((r) => r.rec.status !== 200);
    const overCap = logs.filter(
      (r) => r.rec.max_tokens !== null && (r.rec.output_tokens as number) > (r.rec.max_tokens as number),
    );
    const statuses = new Set(logs.map((r) => r.rec.status));

    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((r) => r.rec.output_tokens === 0)).toBe(true);
    expect(overCap).toHaveLength(0);
    expect([...statuses].sort()).toEqual([200, 400, 429, 500]);
  });

  it("writes valid account records for every account and unique request ids", () => {
    const accounts = readJsonl(join(dir, "accounts", "accounts.jsonl"));
    const problems = accounts.flatMap((a) => validateRecord(a, ACCOUNT_FIELDS));
    const ids = new Set(logs.map((r) => r.rec.request_id));

    expect(problems).toEqual([]);
    expect(accounts).toHaveLength(summary.accounts);
    expect(new Set(accounts.map((a) => a.account_id)).size).toBe(summary.accounts);
    expect(ids.size).toBe(logs.length);
  });

  it("reports progress up to the total", () => {
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual([10_000, 10_000]);
  });
});

describe("labels", () => {
  it("labels every account, with every campaign and benign archetype present", () => {
    const all = [...labels.values()];
    const campaigns = new Set(all.filter((l) => l.kind === "campaign").map((l) => l.campaign));
    const archetypes = new Set(all.filter((l) => l.kind === "benign").map((l) => l.archetype));

    expect(labels.size).toBe(summary.accounts);
    expect([...campaigns].sort()).toEqual([...CAMPAIGNS].sort());
    expect([...archetypes].sort()).toEqual([...BENIGN_ARCHETYPES].sort());
    for (const c of CAMPAIGNS) {
      expect(
        all.filter((l) => l.campaign === c).reduce((s, l) => s + l.requests, 0),
        c,
      ).toBeGreaterThan(0);
    }
  });

  it("label request counts match the logs", () => {
    const counted = new Map<string, number>();
    for (const r of logs)
      counted.set(r.rec.account_id as string, (counted.get(r.rec.account_id as string) ?? 0) + 1);

    const mismatched = [...labels.values()].filter((l) => (counted.get(l.account_id) ?? 0) !== l.requests);
    const unlabeled = [...counted.keys()].filter((id) => !labels.has(id));

    expect(mismatched).toEqual([]);
    expect(unlabeled).toEqual([]);
  });

  it("marks hard negatives only on benign accounts", () => {
    const all = [...labels.values()];
    expect(all.some((l) => l.hard_negative)).toBe(true);
    expect(all.filter((l) => l.hard_negative && l.kind === "campaign")).toEqual([]);
  });

  it("leaks no ground truth into the logs", () => {
    const accountIds = new Set(logs.map((r) => r.rec.account_id as string));
    const badAccount = [...accountIds].filter((id) => !/^acct_[0-9a-z]{16}$/.test(id));
    const badRequest = logs.filter((r) => !/^req_[0-9a-z]{24}$/.test(r.rec.request_id as string));
    // label vocabulary (the multi-word names; single words like "casual" can occur in ordinary text)
    const names = [...CAMPAIGNS, ...BENIGN_ARCHETYPES.filter((a) => a.includes("_")), "hydra", "distill"];
    const leaks = logs.filter((r) => {
      const meta = [r.rec.user_agent, r.rec.api_key_id, r.rec.conversation_id, r.rec.system_prompt]
        .join(" ")
        .toLowerCase();
      return names.some((n) => meta.includes(n));
    });

    expect(badAccount).toEqual([]);
    expect(badRequest).toHaveLength(0);
    expect(leaks.map((r) => r.line.slice(0, 120)).slice(0, 3)).toEqual([]);
  });
});

describe("DuckDB read-back", () => {
  it("reads the Hive-partitioned JSON Lines with the schema types", async () => {
    const glob = join(dir, "requests", "*", "*.jsonl");
    const cols = REQUEST_FIELDS.map(
      (f) =>
        `${f.name}: '${f.type === "timestamp" ? "TIMESTAMP" : f.type === "string" ? "VARCHAR" : f.type === "integer" ? "BIGINT" : "DOUBLE"}'`,
    ).join(", ");

    const rows = await duck(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT dt)::INTEGER AS days, sum((CAST(ts AS DATE) = dt)::INTEGER)::INTEGER AS in_partition
       FROM read_json('${glob}', format = 'newline_delimited', hive_partitioning = true, columns = {${cols}})`,
    );

    expect(rows).toEqual([{ n: 10_000, days: DAYS, in_partition: 10_000 }]);
  });
});

describe("traffic shape", () => {
  const release = () => Date.parse(summary.newModel.releasedAt);

  it("releases the new model mid-window and nobody uses it before", () => {
    const early = logs.filter(
      (r) => r.rec.model === NEW_MODEL_ID && Date.parse(r.rec.ts as string) < release(),
    );

    expect(summary.newModel.id).toBe(NEW_MODEL_ID);
    expect(summary.newModel.released).toBe(true);
    expect(release()).toBeGreaterThanOrEqual(START_MS + 86_400_000);
    expect(release()).toBeLessThan(END_MS - 86_400_000);
    expect(early).toHaveLength(0);
  });

  it("campaigns pivot to the new model within 24 h of release, benign traffic barely", () => {
    const day1 = logs.filter((r) => {
      const t = Date.parse(r.rec.ts as string);
      return t >= release() && t < release() + 86_400_000;
    });
    const share = (kind: "benign" | "campaign") => {
      const rs = day1.filter((r) => labelOf(r).kind === kind);
      return rs.filter((r) => r.rec.model === NEW_MODEL_ID).length / rs.length;
    };

    const campaign = share("campaign");
    const benign = share("benign");

    expect(campaign).toBeGreaterThan(0.5);
    expect(benign).toBeLessThan(0.15);
    expect(campaign).toBeGreaterThan(4 * benign);
  });

  it("campaigns are 15-30 % of the baseline traffic", () => {
    const campaign = logs.filter((r) => labelOf(r).kind === "campaign").length / logs.length;
    expect(campaign).toBeGreaterThan(0.15);
    expect(campaign).toBeLessThan(0.3);
  });

  it("prompts average 400-800 characters and a minority is not in English", () => {
    const avg = logs.reduce((s, r) => s + (r.rec.prompt as string).length, 0) / logs.length;
    const markers = /[¿¡ñ]|\b(und|nicht|pour|vous|você|não|que)\b|[\u3040-\u30ff\u4e00-\u9fff]/;
    const foreign = logs.filter((r) => markers.test(r.rec.prompt as string)).length / logs.length;

    expect(avg).toBeGreaterThan(400);
    expect(avg).toBeLessThan(800);
    expect(foreign).toBeGreaterThan(0.02);
    expect(foreign).toBeLessThan(0.3);
  });

  it("the evaluation harness repeats benchmark items exactly; hydra-agentic prompts are unique", () => {
    const byArchetype = (a: string) =>
      logs.filter((r) => labelOf(r).archetype === a).map((r) => r.rec.prompt as string);
    const evalPrompts = byArchetype("eval_harness");
    const hydra = byArchetype("hydra-agentic");

    expect(new Set(evalPrompts).size).toBeLessThan(evalPrompts.length * 0.8);
    expect(new Set(hydra).size).toBe(hydra.length);
  });

  it("hydra-agentic maxes output and tools on new, burst-created accounts", () => {
    const hydra = logs.filter((r) => labelOf(r).campaign === "hydra-agentic");
    const ids = new Set(hydra.map((r) => r.rec.account_id as string));
    const accounts = readJsonl(join(dir, "accounts", "accounts.jsonl")).filter((a) =>
      ids.has(a.account_id as string),
    );
    const youngest = Math.min(...accounts.map((a) => START_MS - Date.parse(a.created_at as string)));
    const oldest = Math.max(...accounts.map((a) => START_MS - Date.parse(a.created_at as string)));

    expect(hydra.every((r) => (r.rec.tools as number) > 0 && r.rec.turns === 1)).toBe(true);
    const capOf = new Map(Object.values(MODELS).map((m) => [m.id, m.maxOutputTokens]));
    expect(hydra.every((r) => r.rec.max_tokens === capOf.get(r.rec.model as string))).toBe(true);
    expect(oldest).toBeLessThan(14 * 86_400_000);
    expect(youngest).toBeLessThan(0); // some created inside the window
  });
});
