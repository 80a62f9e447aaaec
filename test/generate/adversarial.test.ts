/**
 * The `adversarial` mix (40k requests, 5 days): each failure shape of issue 13 is present in the
 * generated data, and each honest look-alike really looks like its campaign counterpart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODELS } from "../../lib/generate/core.ts";
import {
  type AccountLabel,
  ADVERSARIAL_ARCHETYPES,
  ADVERSARIAL_CAMPAIGNS,
  archetypesOf,
  campaignsOf,
  generateTraffic,
  readLabels,
} from "../../lib/generate/index.ts";
import { type LoggedRequest, readJsonl, readRequests, removeDir, tempDir } from "./helpers.ts";

const START = "2026-02-16";
const START_MS = Date.parse(`${START}T00:00:00.000Z`);
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

let dir: string;
let logs: LoggedRequest[];
let labels: Map<string, AccountLabel>;
let accounts: Map<string, Record<string, unknown>>;

beforeAll(async () => {
  dir = tempDir("adv");
  const s = await generateTraffic({
    outDir: dir,
    requests: 40_000,
    days: 5,
    seed: 9,
    format: "jsonl",
    start: START,
    mix: "adversarial",
    workers: 0,
  });
  logs = readRequests(dir);
  labels = await readLabels(s.labelsPath);
  accounts = new Map(
    readJsonl(`${dir}/accounts/accounts.jsonl`).map((a) => [a.account_id as string, a] as const),
  );
}, 60_000);

afterAll(() => removeDir(dir));

function label(id: unknown): AccountLabel {
  const l = labels.get(id as string);
  if (l === undefined) throw new Error(`no label for ${String(id)}`);
  return l;
}

/** Requests of the accounts labelled with this archetype (benign) or campaign. */
function of(name: string): LoggedRequest[] {
  return logs.filter((r) => label(r.rec.account_id).archetype === name);
}

function accountsOf(name: string): string[] {
  return [...labels.values()].filter((l) => l.archetype === name).map((l) => l.account_id);
}

function byAccount(rows: readonly LoggedRequest[]): Map<string, LoggedRequest[]> {
  const m = new Map<string, LoggedRequest[]>();
  for (const r of rows) {
    const id = r.rec.account_id as string;
    m.set(id, [...(m.get(id) ?? []), r]);
  }
  return m;
}

function capOf(model: unknown): { out: number; think: number } {
  const m = Object.values(MODELS).find((x) => x.id === model);
  if (m === undefined) throw new Error(`unknown model ${String(model)}`);
  return { out: m.maxOutputTokens, think: m.maxThinkingBudget };
}

function ms(r: LoggedRequest): number {
  return Date.parse(r.rec.ts as string);
}

function share(rows: readonly LoggedRequest[], p: (r: LoggedRequest) => boolean): number {
  return rows.filter(p).length / Math.max(1, rows.length);
}

/** The phrases a lexicon of reasoning requests usually lists (what these shapes must avoid). */
const LEXICON =
  /step[ -]by[ -]step|\bthink|show (?:your|all|me)|chain[ -]of[ -]thought|reasoning|walk me through|explain your|reconstruct/i;

describe("adversarial mix: labels", () => {
  it("labels every account, with every archetype and campaign of the mix present", () => {
    const seen = new Set([...labels.values()].map((l) => l.archetype));

    expect([...accounts.keys()].sort()).toEqual([...labels.keys()].sort());
    for (const a of archetypesOf("adversarial")) expect(seen, a).toContain(a);
    for (const c of campaignsOf("adversarial")) expect(seen, c).toContain(c);
  });

  it("marks every added benign shape as a hard negative and the added campaigns as campaigns", () => {
    const added = [...labels.values()].filter((l) =>
      (ADVERSARIAL_ARCHETYPES as readonly string[]).includes(l.archetype),
    );
    const campaigns = [...labels.values()].filter((l) =>
      (ADVERSARIAL_CAMPAIGNS as readonly string[]).includes(l.archetype),
    );

    expect(added.every((l) => l.kind === "benign" && l.hard_negative)).toBe(true);
    expect(
      campaigns.every((l) => l.kind === "campaign" && l.campaign === l.archetype && !l.hard_negative),
    ).toBe(true);
  });

  it("leaks none of the new label names into the logs", () => {
    const names = [...ADVERSARIAL_CAMPAIGNS, ...ADVERSARIAL_ARCHETYPES];
    const leaks = logs.filter((r) => {
      const meta = [r.rec.user_agent, r.rec.api_key_id, r.rec.conversation_id, r.rec.system_prompt]
        .join(" ")
        .toLowerCase();
      return names.some((n) => meta.includes(n));
    });

    expect(leaks.map((r) => r.line.slice(0, 120)).slice(0, 3)).toEqual([]);
  });
});

describe("adversarial mix: shared traits between strangers", () => {
  it("opens many honest accounts on one day with the commonest traits (US, gmail.com, individual)", () => {
    const perDay = new Map<string, number>();
    for (const [id, a] of accounts) {
      const l = label(id);
      if (l.kind !== "benign" || a.signup_country !== "US" || a.email_domain !== "gmail.com") continue;
      if (a.account_type !== "individual") continue;
      const day = (a.created_at as string).slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const rotating = accountsOf("rotating-hydra").map((id) => accounts.get(id) as Record<string, unknown>);

    expect(Math.max(...perDay.values())).toBeGreaterThanOrEqual(10);
    // the rotating hydra signs up with exactly those traits, so the base rate is what hides it
    expect(rotating.every((a) => a.signup_country === "US" && a.account_type === "individual")).toBe(true);
    expect(
      share(
        of("rotating-hydra"),
        (r) => accounts.get(r.rec.account_id as string)?.email_domain === "gmail.com",
      ),
    ).toBeGreaterThan(0.5);
  });

  it("puts strangers on one mobile carrier behind the same CGNAT address in the same hour", () => {
    const perIpHour = new Map<string, Set<string>>();
    for (const r of of("cgnat_subscriber")) {
      const k = `${String(r.rec.source_ip)}@${(r.rec.ts as string).slice(0, 13)}`;
      perIpHour.set(k, (perIpHour.get(k) ?? new Set()).add(r.rec.account_id as string));
    }

    expect(Math.max(...[...perIpHour.values()].map((s) => s.size))).toBeGreaterThanOrEqual(3);
  });

  it("puts unrelated households in one residential /24", () => {
    const per24 = new Map<string, Set<string>>();
    for (const r of of("residential_neighbour")) {
      const ip = r.rec.source_ip as string | null;
      if (ip === null || ip.includes(":")) continue;
      const k = ip.split(".").slice(0, 3).join(".");
      per24.set(k, (per24.get(k) ?? new Set()).add(r.rec.account_id as string));
    }

    expect([...per24.values()].filter((s) => s.size >= 2).length).toBeGreaterThanOrEqual(5);
  });

  it("sends campaign traffic through the addresses and /24s real subscribers use", () => {
    const subscriberIps = new Set(
      [...of("cgnat_subscriber"), ...of("residential_neighbour")].map((r) => r.rec.source_ip as string),
    );
    const subscriber24s = new Set([...subscriberIps].map((ip) => ip?.split(".").slice(0, 3).join(".")));
    const campaign = [...of("rotating-hydra"), ...of("tail-paraphrase"), ...of("aged-slow")];

    expect(share(campaign, (r) => subscriberIps.has(r.rec.source_ip as string))).toBeGreaterThan(0.1);
    expect(
      share(campaign, (r) => subscriber24s.has((r.rec.source_ip as string).split(".").slice(0, 3).join("."))),
    ).toBeGreaterThan(0.4);
  });

  it("shares one white-label template across unrelated, old companies, each with its own card and customers", () => {
    const bySystem = new Map<string, Set<string>>();
    for (const r of of("template_tenant"))
      bySystem.set(
        r.rec.system_prompt as string,
        (bySystem.get(r.rec.system_prompt as string) ?? new Set()).add(r.rec.account_id as string),
      );
    const [system, tenants] = [...bySystem].sort((a, b) => b[1].size - a[1].size)[0] as [string, Set<string>];
    const cards = new Set([...tenants].map((id) => accounts.get(id)?.payment_fingerprint));
    const oldest = Math.max(...[...tenants].map((id) => Date.parse(accounts.get(id)?.created_at as string)));
    const prompts = of("template_tenant").filter((r) => r.rec.system_prompt === system);

    expect(tenants.size).toBeGreaterThanOrEqual(3);
    expect(cards.size).toBe(tenants.size);
    expect(oldest).toBeLessThan(START_MS - 90 * DAY_MS);
    // customers' own messages inside the template: many distinct fills, but repeats too
    const distinct = new Set(prompts.map((r) => r.rec.prompt)).size;
    expect(distinct).toBeGreaterThan(prompts.length * 0.3);
    expect(distinct).toBeLessThan(prompts.length);
  });

  it("runs an agency's many client apps on one card, each with its own prompt", () => {
    const byCard = new Map<string, string[]>();
    for (const id of accountsOf("agency_client")) {
      const pay = accounts.get(id)?.payment_fingerprint as string;
      byCard.set(pay, [...(byCard.get(pay) ?? []), id]);
    }
    const biggest = Math.max(...[...byCard.values()].map((v) => v.length));
    const systems = new Set(of("agency_client").map((r) => r.rec.system_prompt));

    expect(biggest).toBeGreaterThanOrEqual(5);
    expect(systems.size).toBeGreaterThanOrEqual(biggest);
  });
});

describe("adversarial mix: campaign shapes", () => {
  it("gives each tail-paraphrase account its own system prompt and rewords the instruction per request", () => {
    const rows = of("tail-paraphrase");
    const systems = new Map<string, Set<string>>();
    for (const r of rows)
      systems.set(
        r.rec.account_id as string,
        (systems.get(r.rec.account_id as string) ?? new Set()).add(r.rec.system_prompt as string),
      );
    const tails = (rs: readonly LoggedRequest[]) =>
      new Set(rs.map((r) => (r.rec.prompt as string).split("\n\n").at(-1)));
    const perAccount = [...byAccount(rows).values()].filter((v) => v.length >= 10).map((v) => tails(v).size);

    expect([...systems.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...systems.values()].map((s) => [...s][0])).size).toBe(systems.size);
    expect(tails(rows).size).toBeGreaterThanOrEqual(30);
    expect(Math.min(...perAccount)).toBeGreaterThanOrEqual(3);
  });

  it("places the instruction at the end of the prompt, worded outside the usual lexicon", () => {
    const rows = of("tail-paraphrase");
    const last = rows.map((r) => (r.rec.prompt as string).split("\n\n").at(-1) as string);
    const imperative = /^(?:Lay out|Spell out|Write down|Set out|Put on paper|Document|Make explicit|List) /;

    expect(rows.every((r) => (r.rec.prompt as string).split("\n\n").length >= 2)).toBe(true);
    expect(last.every((l) => imperative.test(l))).toBe(true);
    // the opening (what a head-only template hash sees) carries no instruction at all
    expect(rows.filter((r) => imperative.test(r.rec.prompt as string))).toEqual([]);
    expect(rows.filter((r) => LEXICON.test(r.rec.prompt as string)).map((r) => r.rec.prompt)).toEqual([]);
  });

  it("rotates hydra accounts that live hours, each taken over by the next on the same user agent", () => {
    const spans = [...byAccount(of("rotating-hydra")).entries()].map(([id, rs]) => {
      const t = rs.map(ms);
      return { id, first: Math.min(...t), last: Math.max(...t), n: rs.length };
    });
    spans.sort((a, b) => a.first - b.first);
    const created = (id: string) => Date.parse(accounts.get(id)?.created_at as string);
    const handovers = spans
      .slice(1)
      .filter((s, i) => s.first - (spans[i] as { last: number }).last < 2 * HOUR_MS);
    const uas = new Set(of("rotating-hydra").map((r) => r.rec.user_agent));
    const cards = new Set(spans.map((s) => accounts.get(s.id)?.payment_fingerprint));

    expect(spans.length).toBeGreaterThanOrEqual(10);
    expect(spans.every((s) => s.last - s.first <= 8 * HOUR_MS)).toBe(true);
    // signed up just before taking over (the lane's first accounts were already running at the start)
    expect(spans.every((s) => s.first - Math.max(created(s.id), START_MS) < 2 * HOUR_MS)).toBe(true);
    expect(handovers.length).toBeGreaterThanOrEqual(Math.floor((spans.length - 1) * 0.8));
    expect(uas.size).toBe(1);
    expect(cards.size).toBeLessThan(spans.length);
  });

  it("harvests slowly from aged accounts in waking hours with thinking and output caps maxed", () => {
    const rows = of("aged-slow");
    const ids = accountsOf("aged-slow");
    const quiet = [...byAccount(rows).values()]
      .filter((rs) => rs.length >= 40)
      .map((rs) => {
        const perHour = new Array<number>(24).fill(0);
        for (const r of rs) {
          const h = new Date(ms(r)).getUTCHours();
          perHour[h] = (perHour[h] as number) + 1;
        }
        // the 8 quietest hours of the day: a flat 24/7 sender puts a third of its traffic there
        return (
          perHour
            .sort((a, b) => a - b)
            .slice(0, 8)
            .reduce((s, x) => s + x, 0) / rs.length
        );
      });
    const casual = byAccount(of("casual"));
    const meanCasual = [...casual.values()].reduce((s, v) => s + v.length, 0) / casual.size;

    expect(
      ids.every((id) => Date.parse(accounts.get(id)?.created_at as string) < START_MS - 60 * DAY_MS),
    ).toBe(true);
    expect(share(rows, (r) => r.rec.max_tokens === capOf(r.rec.model).out)).toBe(1);
    expect(share(rows, (r) => r.rec.thinking_budget === capOf(r.rec.model).think)).toBe(1);
    expect(share(rows, (r) => r.rec.turns === 1 && r.rec.conversation_id === null)).toBe(1);
    expect(quiet.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...quiet)).toBeLessThan(0.15);
    expect(rows.length / ids.length).toBeLessThan(6 * meanCasual);
    expect(rows.filter((r) => LEXICON.test(r.rec.prompt as string)).map((r) => r.rec.prompt)).toEqual([]);
  });
});

describe("adversarial mix: honest look-alikes", () => {
  it("long-form writing products max the output cap on every request", () => {
    const rows = of("longform_writer");

    expect(share(rows, (r) => r.rec.max_tokens === capOf(r.rec.model).out)).toBe(1);
    expect(share(rows, (r) => r.rec.output_tokens === capOf(r.rec.model).out)).toBeGreaterThan(0.2);
  });

  it("tutoring apps ask for step-by-step solutions, some with the request after the question", () => {
    const rows = of("tutoring_app");

    expect(share(rows, (r) => /step/i.test(r.rec.prompt as string))).toBeGreaterThan(0.3);
    expect(share(rows, (r) => /\n\nExplain each step[^\n]*$/.test(r.rec.prompt as string))).toBeGreaterThan(
      0.1,
    );
  });

  it("power users max the thinking budget inside multi-turn conversations", () => {
    const rows = of("power_user");

    expect(share(rows, (r) => r.rec.thinking_budget === capOf(r.rec.model).think)).toBeGreaterThan(0.8);
    expect(share(rows, (r) => (r.rec.turns as number) > 1)).toBeGreaterThan(0.5);
  });

  it("new product launches send high volume from their first day", () => {
    const ids = accountsOf("product_launch");
    const mostRequests = [...byAccount(logs).values()].map((v) => v.length).sort((a, b) => a - b);
    const median = mostRequests[Math.floor(mostRequests.length / 2)] as number;

    for (const id of ids) {
      const rs = of("product_launch").filter((r) => r.rec.account_id === id);
      const createdMs = Date.parse(accounts.get(id)?.created_at as string);
      const first = Math.min(...rs.map(ms));
      const firstDay = rs.filter((r) => ms(r) < first + DAY_MS).length;

      expect(createdMs).toBeGreaterThan(START_MS - 3 * DAY_MS);
      expect(first - Math.max(createdMs, START_MS)).toBeLessThan(8 * HOUR_MS);
      expect(firstDay).toBeGreaterThan(5 * median);
    }
  });
});
