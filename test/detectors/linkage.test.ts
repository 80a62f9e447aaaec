import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/config.ts";
import { communities, type LinkValue } from "../../lib/detectors/linkage/components.ts";
import {
  burstSurprise,
  isDatasetFedHead,
  linkage,
  networkSpecificity,
  rarity,
} from "../../lib/detectors/linkage/linkage.ts";
import type { Cluster } from "../../lib/domain/signal.ts";
import type { AccountRecord } from "../../lib/schema/log-schema.ts";
import { at, chatAccounts, prng } from "../support/detect.ts";
import { account, DAY, request, writeLogs } from "../support/logs.ts";
import { clusterSignal, runStage } from "../support/stage.ts";

const POPULATION_UA = "acme-sdk-python/2.3.1";

const PEOPLE = 80;
const TOPICS = ["tides", "lichens", "opera", "bridges", "comets", "tea", "chess", "wool", "salt", "bees"];

/** Ordinary chat users on one popular SDK, each on their own home network. */
function population(): Record<string, unknown>[] {
  return chatAccounts(PEOPLE, 10, 7).map((r) => ({
    ...r,
    user_agent: POPULATION_UA,
    source_ip: `198.51.${String(r.account_id).replace("person-", "")}.20`,
  }));
}

function populationAccounts(): AccountRecord[] {
  return Array.from({ length: PEOPLE }, (_, i) =>
    account({
      account_id: `person-${i}`,
      payment_fingerprint: `card-person-${i}`,
      created_at: `2025-${String((i % 12) + 1).padStart(2, "0")}-10T00:00:00Z`,
      email_domain: "webmail.example",
      signup_country: "US",
    }),
  );
}

/**
 * A hydra head: one of `size` accounts paying with one card, sending one templated problem set
 * through the same scraper client from residential IPs that never repeat.
 */
function hydra(size: number, requestsEach: number, seed = 3): Record<string, unknown>[] {
  const rnd = prng(seed);
  const out: Record<string, unknown>[] = [];
  for (let a = 0; a < size; a++) {
    for (let i = 0; i < requestsEach; i++) {
      out.push(
        request({
          account_id: `hydra-${a}`,
          ts: at(rnd() * 86_000),
          prompt: `Solve the following problem step by step and give the final answer: ${Math.floor(rnd() * 900)}x + ${Math.floor(rnd() * 90)} = ${Math.floor(rnd() * 9000)}`,
          user_agent: "harvest-client/0.9 (linux)",
          source_ip: `203.0.${Math.floor(rnd() * 250)}.${Math.floor(rnd() * 250)}`,
        }),
      );
    }
  }
  return out;
}

function hydraAccounts(size: number): AccountRecord[] {
  return Array.from({ length: size }, (_, a) =>
    account({
      account_id: `hydra-${a}`,
      payment_fingerprint: "pm_7Hq2kLx9ZzP0",
      created_at: "2026-02-10T03:00:00Z",
      email_domain: "inbox.example",
      signup_country: "SG",
      account_type: "education",
    }),
  );
}

function clusterOf(clusters: readonly Cluster[], member: string): Cluster | undefined {
  return clusters.find((c) => c.accounts.includes(member));
}

describe("linkage detector", () => {
  it("links a hydra through its shared card, client and template, and leaves the population alone", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...population(), ...hydra(8, 40)] } },
      accounts: [...populationAccounts(), ...hydraAccounts(8)],
    });
    // Act
    const result = await runStage(linkage, logs);
    // Assess
    const clusters = result.clusters ?? [];
    expect(clusters).toHaveLength(1);
    const cluster = clusters[0] as Cluster;
    expect(cluster.accounts).toEqual(Array.from({ length: 8 }, (_, a) => `hydra-${a}`).sort());
    expect(cluster.id).toMatch(/^payment_fingerprint:[0-9a-f]{16}$/);
    const traits = cluster.links.map((l) => l.trait).sort();
    expect(traits).toEqual([
      "disposable_heads",
      "payment_fingerprint",
      "signup_burst",
      "skeleton",
      "user_agent",
    ]);
    const payment = cluster.links.find((l) => l.trait === "payment_fingerprint");
    expect(payment).toMatchObject({ value: "pm_7Hq…", accounts: 8 });
    expect(cluster.links.find((l) => l.trait === "skeleton")?.value).toMatch(/^[0-9a-f]{16}$/);
    // The popular SDK touches every account: a hub, not a link.
    expect(cluster.links.some((l) => l.value === POPULATION_UA)).toBe(false);
    expect(clusterSignal(result, cluster.id, "shared_rare_template")?.fired).toBe(true);
    expect(clusterSignal(result, cluster.id, "shared_infrastructure")?.value).toBe(1);
    const card = result.accountSignals.find((s) => s.account === "hydra-0")?.signal;
    expect(card).toMatchObject({ name: "shared_payment_method", value: 7, fired: true });
    expect(card?.weight).toBeLessThanOrEqual(0.3);
  });

  it("attaches dormant accounts on the hydra's card, without letting them link anything", async () => {
    // Prepare: three accounts on the hydra's card that sent nothing, and two idle ones on another
    // card together.
    const idle = (id: string, card: string) => account({ account_id: id, payment_fingerprint: card });
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...population(), ...hydra(8, 40)] } },
      accounts: [
        ...populationAccounts(),
        ...hydraAccounts(8),
        idle("reserve-0", "pm_7Hq2kLx9ZzP0"),
        idle("reserve-1", "pm_7Hq2kLx9ZzP0"),
        idle("reserve-2", "pm_7Hq2kLx9ZzP0"),
        idle("idle-0", "pm_other"),
        idle("idle-1", "pm_other"),
      ],
    });
    // Act
    const result = await runStage(linkage, logs);
    // Assess
    expect(result.clusters).toHaveLength(1);
    expect(result.clusters?.[0]?.accounts).toHaveLength(8);
    expect(result.clusters?.[0]?.dormant).toEqual(["reserve-0", "reserve-1", "reserve-2"]);
    const card = result.accountSignals.find((s) => s.account === "hydra-0")?.signal;
    expect(card?.explanation).toBe(
      "pays with payment method pm_7Hq…, shared with 10 other accounts (3 without traffic in the window)",
    );
  });

  it("keeps the cluster id when the window and the population change", async () => {
    // Prepare: the same hydra seen in a one-day and a two-day window with different neighbours.
    const dayTwo = hydra(8, 10, 9).map((r) => ({ ...r, ts: (r.ts as string).replace("02-16", "02-17") }));
    const small = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...population(), ...hydra(8, 40)] } },
      accounts: [...populationAccounts(), ...hydraAccounts(8)],
    });
    const large = writeLogs({
      requests: {
        "2026-02-16": { "a.jsonl": [...population(), ...hydra(8, 40)] },
        "2026-02-17": { "a.jsonl": [...chatAccounts(20, 10, 11, "other"), ...dayTwo] },
      },
      accounts: [...populationAccounts(), ...hydraAccounts(8)],
    });
    // Act
    const one = await runStage(linkage, small);
    const two = await runStage(linkage, large, {
      window: { start: DAY.start, end: new Date("2026-02-18T00:00:00Z") },
    });
    // Assess
    const a = clusterOf(one.clusters ?? [], "hydra-0");
    const b = clusterOf(two.clusters ?? [], "hydra-0");
    expect(a?.id).toBeDefined();
    expect(b?.id).toBe(a?.id);
  });

  it("links a shared office network hour after hour when a second kind of evidence backs it", async () => {
    // Prepare: five colleagues behind one NAT all day on their company's internal assistant (its
    // client and system prompt); two strangers who met once at a café on that client too; and five
    // neighbours on one residential range all day, each with their own client.
    const rnd = prng(5);
    const office = Array.from({ length: 5 }, (_, a) =>
      Array.from({ length: 8 }, (_, h) =>
        request({
          account_id: `colleague-${a}`,
          ts: at((9 + h) * 3600 + rnd() * 3000),
          source_ip: "192.0.2.17",
          user_agent: "acme-internal-assistant/4.2",
          system_prompt: "You are Acme's internal assistant. Answer with links to the wiki.",
          prompt: `notes on ${TOPICS[a]} for ${TOPICS[h]}`,
        }),
      ),
    ).flat();
    const neighbours = Array.from({ length: 5 }, (_, a) =>
      Array.from({ length: 8 }, (_, h) =>
        request({
          account_id: `neighbour-${a}`,
          ts: at((9 + h) * 3600 + rnd() * 3000),
          source_ip: `198.18.40.${10 + a}`,
          user_agent: `home-client-${a}/1.0`,
          prompt: `questions on ${TOPICS[h]} from ${TOPICS[a]}`,
        }),
      ),
    ).flat();
    const cafe = ["stranger-a", "stranger-b"].flatMap((id, i) => [
      request({
        account_id: id,
        ts: at(15 * 3600 + i * 60),
        source_ip: "100.64.9.4",
        user_agent: "acme-internal-assistant/4.2",
      }),
      request({ account_id: id, ts: at(15 * 3600 + i * 60 + 30), source_ip: "100.64.9.5" }),
      request({ account_id: id, ts: at(20 * 3600 + i * 60), source_ip: `10.${i}.0.1` }),
    ]);
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...population(), ...office, ...neighbours, ...cafe] } },
    });
    // Act
    const result = await runStage(linkage, logs);
    // Assess
    const colleagues = clusterOf(result.clusters ?? [], "colleague-0");
    expect(colleagues?.accounts).toHaveLength(5);
    expect(colleagues?.links.map((l) => l.trait).sort()).toEqual([
      "network_hour",
      "system_prompt",
      "user_agent",
    ]);
    expect(colleagues?.links.find((l) => l.trait === "network_hour")?.base_rate).toMatch(
      /^used by 5 of \d+ active accounts over the window$/,
    );
    expect(clusterOf(result.clusters ?? [], "stranger-a")).toBeUndefined();
    // A network alone is one kind of evidence: neighbours on one range are strangers.
    expect(clusterOf(result.clusters ?? [], "neighbour-0")).toBeUndefined();
  });

  it("does not link accounts through a crowded or a hosting-provider network", async () => {
    // Prepare: 8 accounts on one cloud /24 (AS16509) every hour, on one uncommon client and system
    // prompt (a second kind of evidence beside the network).
    const servers = Array.from({ length: 8 }, (_, a) =>
      Array.from({ length: 30 }, (_, i) =>
        request({
          account_id: `server-${a}`,
          ts: at((i % 6) * 3600 + i * 60 + a * 10),
          source_ip: "52.1.2.3",
          source_asn: 16509,
          user_agent: "batch-summarizer/0.3",
          system_prompt: "You summarise the nightly batch for the operations team.",
          prompt: `summary of ${TOPICS[a]} and ${TOPICS[i % TOPICS.length]} run ${i}`,
        }),
      ),
    ).flat();
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": [...population(), ...servers] } } });
    // Act
    const skipped = await runStage(linkage, logs);
    const crowded = await runStage(linkage, logs, {
      overrides: { skip_hosting_networks: false, max_network_hour_accounts: 5 },
    });
    const counted = await runStage(linkage, logs, { overrides: { skip_hosting_networks: false } });
    // Assess
    expect(clusterOf(skipped.clusters ?? [], "server-0")).toBeUndefined();
    expect(clusterOf(crowded.clusters ?? [], "server-0")).toBeUndefined();
    expect(clusterOf(counted.clusters ?? [], "server-0")?.accounts).toHaveLength(8);
  });

  it("ignores allowlisted user agents and templates", async () => {
    // Prepare: the hydra without an accounts table, so only its client and template can link it
    // (the template, rare and pushed hard by every head, is enough on its own).
    const rows = hydra(6, 60);
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": [...population(), ...rows] } } });
    const linked = await runStage(linkage, logs);
    const template = linked.clusters?.[0]?.links.find((l) => l.trait === "skeleton")?.value as string;
    const config = parseConfig({
      allowlist: { user_agents: ["harvest-client/0.9 (linux)"], skeletons: [template] },
    });
    // Act
    const allowed = await runStage(linkage, logs, { config });
    // Assess
    expect(linked.clusters).toHaveLength(1);
    expect(allowed.clusters).toEqual([]);
  });

  it("weighs a sign-up burst against the base rate of its traits and its day", async () => {
    // Prepare: six accounts opened on one day from one country with one rare domain and type,
    // against a webmail domain that gets many sign-ups every day, one busy day of which brings
    // six of them; both groups also share one niche client, a second kind of evidence.
    const burst = Array.from({ length: 6 }, (_, a) =>
      account({
        account_id: `burst-${a}`,
        created_at: `2026-02-12T0${a}:00:00Z`,
        email_domain: "mail.example",
        signup_country: "BR",
        account_type: "research",
      }),
    );
    const trickle = Array.from({ length: PEOPLE }, (_, i) =>
      account({
        account_id: `person-${i}`,
        created_at: `2026-02-${String(1 + (i % 10)).padStart(2, "0")}T10:00:00Z`,
        email_domain: "webmail.example",
        signup_country: "US",
      }),
    );
    const busyDay = Array.from({ length: 6 }, (_, a) =>
      account({
        account_id: `newcomer-${a}`,
        created_at: `2026-02-11T1${a}:00:00Z`,
        email_domain: "webmail.example",
        signup_country: "US",
      }),
    );
    const traffic = [...burst, ...busyDay].flatMap((b, a) =>
      Array.from({ length: 30 }, (_, i) =>
        request({
          account_id: b.account_id,
          user_agent: "notes-plugin/2.0",
          system_prompt: "You are the notes plugin. Keep answers under a page.",
          prompt: `tell me about ${TOPICS[a % TOPICS.length]} and ${TOPICS[i % TOPICS.length]}, note ${i}`,
        }),
      ),
    );
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...population(), ...traffic] } },
      accounts: [...trickle, ...burst, ...busyDay],
    });
    // Act
    const result = await runStage(linkage, logs);
    // Assess
    const cluster = clusterOf(result.clusters ?? [], "burst-0");
    expect(cluster?.accounts).toEqual(burst.map((b) => b.account_id));
    expect(cluster?.links.find((l) => l.trait === "signup_burst")).toMatchObject({
      value: "2026-02-12 BR mail.example research",
      base_rate: expect.stringMatching(
        /^6 opened that day against 0\.\d\d expected, over \d+ \(combination, day\) cells$/,
      ),
    });
    expect(clusterOf(result.clusters ?? [], "person-0")).toBeUndefined();
    // Six webmail sign-ups on a day that usually brings eight: what chance alone gives.
    expect(clusterOf(result.clusters ?? [], "newcomer-0")).toBeUndefined();
  });

  it("links short-lived dataset-fed heads on a rare template frame, not casual users on a common opening", async () => {
    // Prepare: six throwaway accounts, each on its own common SDK and its own residential or
    // hosting address, that feed distinct problems through one reasoning template (plus a couple
    // of paraphrased openings of their own) for a few hours; and twenty casual users who open a
    // few of their questions with the same polite phrase but mostly write their own prompts.
    const rnd = prng(17);
    const uas = ["anthropic-python/0.39.0", "python-requests/2.32.3", "curl/8.5.0"];
    const heads: Record<string, unknown>[] = [];
    for (let a = 0; a < 6; a++) {
      const start = 3_600 * (2 * a);
      for (let i = 0; i < 10; i++) {
        const prompt =
          i < 8
            ? `Reason carefully through this and write out every intermediate step before the answer: ${Math.floor(rnd() * 900)} apples are shared among ${Math.floor(rnd() * 90) + 2} ${TOPICS[i]} clubs`
            : `Head ${a} variant ${i === 8 ? "alpha" : "beta"} wording: please think hard about ${TOPICS[(a + i) % TOPICS.length]} and explain`;
        heads.push(
          request({
            account_id: `head-${a}`,
            ts: at(start + i * 900 + rnd() * 300),
            prompt,
            user_agent: uas[a % uas.length],
            source_ip: `${a % 2 === 0 ? "100.64" : "34.120"}.${20 + a}.${Math.floor(rnd() * 250)}`,
          }),
        );
      }
    }
    const casual: Record<string, unknown>[] = [];
    for (let u = 0; u < 20; u++) {
      for (let i = 0; i < 10; i++) {
        const topic = TOPICS[(u + i) % TOPICS.length];
        const prompt =
          i < 3
            ? `Can you help me with something quick? I want to know more about ${topic} and ${TOPICS[i]}`
            : `${["Why", "How", "When", "Where"][i % 4]} do ${topic} matter to user ${u} on day ${i}? ${topic} ${u * 7 + i} ${"x".repeat(i)}`;
        casual.push(
          request({
            account_id: `casual-${u}`,
            ts: at(600 * i + 60 * u),
            prompt,
            user_agent: uas[u % uas.length],
            source_ip: `198.18.${u}.${10 + (i % 3)}`,
          }),
        );
      }
    }
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...population(), ...heads, ...casual] } },
    });
    // Act
    const result = await runStage(linkage, logs);
    // Assess: the heads form one cluster on the template, and nobody else is linked.
    const clusters = result.clusters ?? [];
    expect(clusters.map((c) => c.accounts)).toEqual([Array.from({ length: 6 }, (_, a) => `head-${a}`)]);
    expect(clusters[0]?.links[0]).toMatchObject({ trait: "skeleton", accounts: 6 });
    // Without the head pattern (a long-lived account could not be a throwaway head), no link.
    const strict = await runStage(linkage, logs, { overrides: { head_max_active_hours: 1 } });
    expect(strict.clusters ?? []).toEqual([]);
  });

  it("runs without the accounts table and says which links it skipped", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": [...population(), ...hydra(6, 60)] } } });
    // Act
    const result = await runStage(linkage, logs);
    // Assess
    expect(result.notes).toContain("payment and sign-up links skipped: no accounts table");
    expect(result.clusters?.[0]?.accounts).toHaveLength(6);
    expect(result.clusters?.[0]?.id).toMatch(/^skeleton:/);
    expect(result.clusters?.[0]?.links.map((l) => l.trait)).toContain("disposable_heads");
    expect(clusterSignal(result, result.clusters?.[0]?.id ?? "", "shared_infrastructure")?.value).toBe(0);
  });
});

const OPTIONS = {
  minPairEvidence: 0.5,
  minSoftKinds: 2,
  minCorroboration: 0.25,
  coreEvidence: 0.7,
  maxPairedAccounts: 100,
};

function value(trait: LinkValue["trait"], raw: string, weight: number, accounts: string[]): LinkValue {
  return { trait, raw, display: raw, weight, accounts };
}

describe("linkage rarity and components", () => {
  it("weighs a value shared by few accounts above one shared by many", () => {
    expect(rarity(2, 10_000)).toBe(1);
    expect(rarity(200, 10_000)).toBeCloseTo(0.5, 1);
    expect(rarity(1000, 10_000)).toBeLessThan(rarity(200, 10_000));
  });

  it("calls a sign-up burst surprising only when chance would rarely give it", () => {
    // Ten accounts of a combination that sees one sign-up a year, in a table of 5,000 cells.
    expect(burstSurprise(10, 1 / 365, 5_000, 3)).toBe(1);
    // Six of a combination that sees four a day: chance gives that every week.
    expect(burstSurprise(6, 4, 5_000, 3)).toBe(0);
    // In between, it grows with the burst.
    expect(burstSurprise(5, 0.3, 5_000, 3)).toBeGreaterThan(0);
    expect(burstSurprise(5, 0.3, 5_000, 3)).toBeLessThan(burstSurprise(7, 0.3, 5_000, 3));
  });

  it("weighs a network by how many accounts use it", () => {
    expect(networkSpecificity(2)).toBe(1);
    expect(networkSpecificity(8)).toBeCloseTo(0.5, 5);
    expect(networkSpecificity(200)).toBeLessThan(0.11);
  });

  it("recognises a dataset-fed, short-lived head, and not a person, a benchmark replay or a long-lived account", () => {
    const criteria = { templatedShare: 0.5, fillShare: 0.5, minFills: 3, maxActiveHours: 36, maxAgeDays: 7 };
    const head = {
      requests: 12,
      account_requests: 20,
      fills: 12,
      account_active_hours: 30,
      account_templated_requests: 16,
      account_age_days: 200,
    };
    expect(isDatasetFedHead(head, criteria)).toBe(true);
    // Most of a person's traffic is their own prompts.
    expect(isDatasetFedHead({ ...head, account_templated_requests: 4 }, criteria)).toBe(false);
    // An eval harness replays the same few benchmark prompts.
    expect(isDatasetFedHead({ ...head, requests: 120, fills: 6 }, criteria)).toBe(false);
    // A long-lived account is no throwaway head, nor is a dormant one.
    expect(isDatasetFedHead({ ...head, account_active_hours: 140 }, criteria)).toBe(false);
    // An account opened days ago is a throwaway head however long it stays busy in the window.
    expect(isDatasetFedHead({ ...head, account_active_hours: 140, account_age_days: 2 }, criteria)).toBe(
      true,
    );
    expect(isDatasetFedHead({ ...head, account_requests: null, account_active_hours: null }, criteria)).toBe(
      false,
    );
  });

  it("links on a card alone, or on two kinds of soft evidence together, never on one kind", () => {
    // Prepare: a popular SDK shared by everyone; three accounts that also share prompt templates;
    // one of those pairs also shares a proxy network hour after hour; two strangers share only a
    // network.
    const everyone = ["p1", "p2", "p3", "p4", "p5"];
    const sdk = value("user_agent", "sdk/1.0", 0.3, everyone);
    const templates = [
      value("skeleton", "template-a", 0.35, ["p1", "p2", "p3"]),
      value("skeleton", "template-b", 0.35, ["p1", "p2", "p3"]),
      value("skeleton", "template-c", 0.35, ["p1", "p2", "p3"]),
    ];
    const proxy = {
      ...value("network_hour", "10.1.0.0/24", 0.6, ["p1", "p2"]),
      pairs: [{ a: "p1", b: "p2", weight: 0.6 }],
    };
    const strangers = {
      ...value("network_hour", "10.9.0.0/24", 0.8, ["s1", "s2"]),
      pairs: [{ a: "s1", b: "s2", weight: 0.8 }],
    };
    const card = value("payment_fingerprint", "card-1", 1, ["c1", "c2"]);
    // Two strangers opened the same day who also share a popular client: it barely corroborates.
    const weakPair = [
      value("signup_burst", "burst", 0.55, ["w1", "w2"]),
      value("user_agent", "popular-sdk", 0.15, ["w1", "w2"]),
    ];
    // Act
    const contentOnly = communities([sdk, ...templates, strangers, ...weakPair], OPTIONS);
    const corroborated = communities([sdk, ...templates, proxy, strangers, card], OPTIONS);
    // Assess
    expect(contentOnly.clusters).toEqual([]);
    expect(corroborated.clusters.map((c) => c.accounts)).toEqual([
      ["c1", "c2"],
      ["p1", "p2"],
    ]);
    expect(corroborated.clusters[1]?.links.map((l) => l.trait).sort()).toEqual([
      "network_hour",
      "skeleton",
      "skeleton",
      "skeleton",
      "user_agent",
    ]);
  });

  it("keeps two groups bridged by one link apart, and an account held by one weak link as context", () => {
    // Prepare: two groups of three on their own cards, bridged by one pair that shares a template
    // and a network; and one account tied to the first group by a single template-and-burst link.
    const values: LinkValue[] = [
      value("payment_fingerprint", "card-1", 1, ["a1", "a2", "a3"]),
      value("payment_fingerprint", "card-2", 1, ["b1", "b2", "b3"]),
      {
        ...value("network_hour", "10.0.0.0/24", 0.6, ["a1", "b1"]),
        pairs: [{ a: "a1", b: "b1", weight: 0.6 }],
      },
      { ...value("skeleton", "template-x", 0.5, ["a1", "b1"]), pairs: [{ a: "a1", b: "b1", weight: 0.5 }] },
      { ...value("skeleton", "template-y", 0.3, ["a2", "x1"]), pairs: [{ a: "a2", b: "x1", weight: 0.3 }] },
      { ...value("signup_burst", "burst", 0.35, ["a2", "x1"]), pairs: [{ a: "a2", b: "x1", weight: 0.35 }] },
    ];
    // Act
    const { clusters, context } = communities(values, OPTIONS);
    // Assess
    expect(clusters.map((c) => c.accounts)).toEqual([
      ["a1", "a2", "a3"],
      ["b1", "b2", "b3"],
    ]);
    expect(clusters[0]?.context).toEqual(["x1"]);
    expect(context).toBe(1);
    expect(clusters.every((c) => c.id.startsWith("payment_fingerprint:"))).toBe(true);
  });
});
