import { z } from "zod";
import type { AccountSignal, Cluster, ClusterSignal } from "../../domain/signal.ts";
import type { QueryStats } from "../../engine/port.ts";
import { windowParams } from "../../engine/port.ts";
import { groupBy } from "../../group.ts";
import { measure } from "../../scoring/signal.ts";
import { DEFAULT_HOSTING_ASNS } from "../access_path/hosting.ts";
import { allowlistedSkeletons, count, pct, skeletonHex } from "../explain.ts";
import { defineDetector } from "../types.ts";
import {
  communities,
  INFRASTRUCTURE_TRAITS,
  type LinkTrait,
  type LinkValue,
  type Pair,
} from "./components.ts";
import { clusterMembers } from "./params.ts";

interface MembershipRow {
  [key: string]: string | number | null;
  trait: Exclude<LinkTrait, "network_hour">;
  value: string;
  account_id: string;
  requests: number;
  /** NULL for a dormant account (no request in the window). */
  account_requests: number | null;
  value_accounts: number;
  population_accounts: number;
  /** Distinct prompts the account sent on the value (templates only). */
  fills: number | null;
  /** Hours from the account's first to its last request in the window (NULL when dormant). */
  account_active_hours: number | null;
  /** The account's requests on shared templates that link (any of them). */
  account_templated_requests: number | null;
  /** The account's age in days at its first request in the window (NULL without a sign-up time). */
  account_age_days: number | null;
  /** Sign-up bursts only: accounts in the burst, the base rate it is weighed against, and how many
   *  (combination, day) cells of the accounts table could have shown a burst by chance. */
  burst_size: number | null;
  burst_expected: number | null;
  burst_cells: number | null;
}

interface PairRow {
  [key: string]: string | number | null;
  account_a: string;
  account_b: string;
  network: string;
  network_accounts: number;
  shared_hours: number;
  population_accounts: number;
}

interface VolumeRow {
  [key: string]: string | number | null;
  cluster_id: string;
  members: number;
  requests: number;
  population_accounts: number;
  population_requests: number;
  p99_requests: number;
}

/**
 * Evidence of one operator when two accounts share a value of each trait, before rarity and
 * intensity scale it. A value at or above `min_pair_evidence` links on its own; below, it needs
 * others shared by the same two accounts (a user agent never links alone).
 */
const TraitWeights = z
  .object({
    payment_fingerprint: z.number().min(0).max(1).default(1),
    skeleton: z.number().min(0).max(1).default(0.8),
    system_prompt: z.number().min(0).max(1).default(0.7),
    user_agent: z.number().min(0).max(1).default(0.35),
    network_hour: z.number().min(0).max(1).default(0.8),
    signup_burst: z.number().min(0).max(1).default(0.55),
    disposable_heads: z.number().min(0).max(1).default(0.5),
  })
  .strict();

/**
 * How rare a value is, IDF-style, scaled to [0, 1]: 1 when only two accounts of the population
 * share it, falling towards 0 as it approaches everyone. A template shared by 2 accounts in 10,000
 * says far more than one shared by 500.
 */
export function rarity(accounts: number, population: number): number {
  if (population <= 2) return 1;
  const idf = Math.log(population / Math.max(2, accounts)) / Math.log(population / 2);
  return Math.min(1, Math.max(0, idf));
}

/** Thresholds that say an account is one disposable, dataset-fed head (see `isDatasetFedHead`). */
export interface HeadCriteria {
  readonly templatedShare: number;
  readonly fillShare: number;
  readonly minFills: number;
  readonly maxActiveHours: number;
  readonly maxAgeDays: number;
}

/**
 * Whether the account looks like a disposable head fed from a data set: nearly all of its traffic
 * on shared templates that link, distinct prompts on this one (a data set fed through it, not a
 * benchmark or a stock phrase repeated), and a throwaway life: opened days before it started
 * sending, or active only hours in the window (opened, used, dropped).
 */
export function isDatasetFedHead(
  row: {
    requests: number;
    account_requests: number | null;
    fills: number | null;
    account_active_hours: number | null;
    account_templated_requests: number | null;
    account_age_days: number | null;
  },
  c: HeadCriteria,
): boolean {
  if (row.account_requests === null || row.account_requests <= 0) return false;
  const fills = row.fills ?? 0;
  const young = row.account_age_days !== null && row.account_age_days < c.maxAgeDays;
  const brief = row.account_active_hours !== null && row.account_active_hours < c.maxActiveHours;
  return (
    (row.account_templated_requests ?? 0) / row.account_requests >= c.templatedShare &&
    fills >= c.minFills &&
    fills / Math.max(1, row.requests) >= c.fillShare &&
    (young || brief)
  );
}

/**
 * Poisson upper tail P(X >= k) for mean `mean`, summed from k upwards (no cancellation when the
 * tail is tiny, which is the case that matters here).
 */
function poissonTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  let logTerm = -mean + k * Math.log(mean);
  for (let i = 2; i <= k; i++) logTerm -= Math.log(i);
  let term = Math.exp(logTerm);
  let sum = 0;
  for (let i = k; i < k + 200 && term > 0; i++) {
    sum += term;
    term *= mean / (i + 1);
    if (term < sum * 1e-15) break;
  }
  return Math.min(1, sum);
}

/**
 * How surprising a sign-up burst is in this accounts table, in [0, 1]: the number of bursts at
 * least this large that chance alone would produce over all (combination, day) cells, on a log
 * scale. One or more expected by chance is no evidence (0); a thousandth of one is full evidence
 * at `fullDecades` = 3. Ten strangers who opened accounts in the US with a webmail address on a
 * busy day are expected; ten on a rare corporate domain from one small country are not.
 */
export function burstSurprise(size: number, expected: number, cells: number, fullDecades: number): number {
  const chance = Math.max(1, cells) * poissonTail(size, expected);
  if (chance <= 0) return 1;
  return Math.min(1, Math.max(0, -Math.log10(chance) / fullDecades));
}

/**
 * How much a shared client network says, in (0, 1]: a /24 that two accounts share is telling; one
 * that dozens of accounts use over the window is a carrier's NAT, a campus or a residential range
 * whose addresses a proxy service also exits through, and says little about any two of them.
 */
export function networkSpecificity(networkAccounts: number): number {
  return Math.min(1, Math.sqrt(2 / Math.max(2, networkAccounts)));
}

function display(trait: LinkTrait, raw: string): string {
  switch (trait) {
    case "skeleton":
    case "system_prompt":
      return skeletonHex(raw);
    case "payment_fingerprint":
      // Enough to find the instrument in the billing system, not enough to be the instrument.
      return raw.length <= 6 ? `${raw.slice(0, 2)}…` : `${raw.slice(0, 6)}…`;
    case "user_agent":
      return raw.length > 60 ? `${raw.slice(0, 60)}…` : raw;
    default:
      return raw;
  }
}

/**
 * How heavily the sharing accounts use a value, in [0.25, 1]: a quarter at the floor of requests
 * per account, full from `full` requests (median over the sharing accounts). A pipeline pushes
 * hundreds of requests through its template and client; people who happen to type the same short
 * prompt, or try the same SDK, do it a handful of times.
 */
export function intensity(medianRequests: number, floor: number, full: number): number {
  if (full <= floor) return 1;
  const x = Math.log(Math.max(1, medianRequests) / floor) / Math.log(full / floor);
  return 0.25 + 0.75 * Math.min(1, Math.max(0, x));
}

/** Network co-location in [0.5, 1]: half at the minimum of shared hours, full at twice that. */
function hoursFactor(hours: number, minimum: number): number {
  return 0.5 + 0.5 * Math.min(1, Math.max(0, (hours - minimum) / Math.max(1, minimum)));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const NOUN: Record<LinkTrait, string> = {
  payment_fingerprint: "payment method",
  skeleton: "prompt template",
  system_prompt: "system prompt",
  user_agent: "user agent",
  network_hour: "client network",
  signup_burst: "sign-up burst",
  disposable_heads: "disposable heads on template",
};

const LinkageThresholds = z
  .object({
    /**
     * An account links through a value only if it sends this many requests with it (one stray
     * request links nobody), and they are at least this share of its traffic. Light use still
     * weighs little: see `full_intensity_requests`.
     */
    min_account_requests: z.number().int().min(1).default(2),
    min_account_share: z.number().min(0).max(1).default(0.01),
    /** Hub caps: a value touched by more accounts than this, or a larger share, links nobody. */
    max_accounts: z.number().int().min(2).default(2000),
    max_share: z.number().gt(0).max(1).default(0.2),
    /** Share cap for payment fingerprints and sign-up bursts: only placeholders are that common. */
    max_account_trait_share: z.number().gt(0).max(1).default(0.3),
    /** Network links: accounts must share a network in at least this many distinct hours. */
    min_shared_hours: z.number().int().min(1).default(3),
    /** A network-hour with more accounts than this is a crowd (NAT, campus), not a link. */
    max_network_hour_accounts: z.number().int().min(2).default(100),
    /** Skip networks of hosting ASNs for network links (unrelated servers share cloud ranges). */
    skip_hosting_networks: z.boolean().default(true),
    hosting_asns: z.array(z.number().int().positive()).default([...DEFAULT_HOSTING_ASNS]),
    /** Sign-up burst: at least this many accounts with the same day, country, domain and type... */
    min_burst: z.number().int().min(2).default(3),
    /** ...and this multiple of that combination's usual daily sign-ups. */
    burst_multiple: z.number().min(1).default(3),
    trait_weights: TraitWeights.default(TraitWeights.parse({})),
    /**
     * Disposable heads on a shared template frame: accounts that put at least
     * `head_templated_share` of their traffic on linking templates, sent at least `head_min_fills`
     * distinct prompts on the frame (and as a share of their requests on it, `head_fill_share`),
     * and were opened less than `head_max_age_days` before their first request or active less than
     * `head_max_active_hours` in the window. When at least `min_template_heads` of a frame's
     * accounts are such heads, the frame weighs by the share of its accounts that are heads (not
     * by a fixed count of accounts), and pairs of heads share a second, independent kind of
     * evidence: the same throwaway life cycle (`disposable_heads`).
     */
    head_templated_share: z.number().min(0).max(1).default(0.5),
    head_min_fills: z.number().int().min(1).default(3),
    head_fill_share: z.number().min(0).max(1).default(0.5),
    head_max_active_hours: z.number().positive().default(36),
    head_max_age_days: z.number().positive().default(7),
    min_template_heads: z.number().int().min(2).default(3),
    /** Sign-up bursts weigh fully when chance would give one in 10^this over the accounts table. */
    burst_full_surprise_decades: z.number().positive().default(3),
    /**
     * Requests per sharing account (median) at which a request trait counts fully; for a template,
     * distinct prompts on it.
     */
    full_intensity_requests: z.number().int().min(1).default(50),
    /**
     * Evidence two accounts need to be linked: a shared card alone, or soft values (network,
     * client, template, sign-up burst, life cycle) of at least `min_soft_kinds` independent kinds
     * together.
     */
    min_pair_evidence: z.number().gt(0).max(1).default(0.5),
    min_soft_kinds: z.number().int().min(1).default(2),
    /** Each of those kinds must carry at least this much evidence to count. */
    min_corroboration: z.number().min(0).max(1).default(0.25),
    /** A member held to its cluster by one link weaker than this is context, not a member. */
    core_evidence: z.number().gt(0).max(1).default(0.7),
    /** Values whose scaled weight falls below this are ignored, even as corroboration. */
    min_link_weight: z.number().min(0).max(1).default(0.1),
    /** A weak value shared by more accounts than this only counts where it is strong alone. */
    max_paired_accounts: z.number().int().min(2).default(300),
    /** Account signal: other active accounts on the same payment method (fires, saturates). */
    shared_payment_accounts: z.number().int().min(1).default(2),
    shared_payment_saturation: z.number().int().min(1).default(20),
    /** Cluster signal: members sharing one rare template or system prompt (fires, saturates). */
    shared_template_members: z.number().int().min(2).default(6),
    shared_template_saturation: z.number().int().min(2).default(60),
    /** Cluster signal: share of members that are disposable heads (fires, saturates). */
    disposable_head_share: z.number().min(0).max(1).default(0.5),
    disposable_head_share_saturation: z.number().min(0).max(1).default(0.9),
    /** Cluster signal: combined requests as a multiple of the population's p99 account. */
    cluster_volume_p99_multiple: z.number().positive().default(3),
    cluster_volume_saturation: z.number().positive().default(30),
  })
  .strict();

type Thresholds = z.infer<typeof LinkageThresholds>;

export const linkage = defineDetector({
  id: "linkage",
  title: "Account linkage (hydra clusters)",
  stage: "linkage",
  rationale:
    "A distillation campaign spreads its traffic over many accounts so that none stands out. The " +
    "accounts still betray one operator: they pay with the same card, send from the same proxy " +
    "network hour after hour, use the same unusual client, the same rare prompt templates or system " +
    "prompt, were opened together, and live the same throwaway life. Each shared value carries " +
    "evidence of one operator, weighed by how surprising the sharing is in this population: a card " +
    "links two accounts on its own; a sign-up burst weighs by its Poisson surprise against the base " +
    "rates of its traits and its day; a network by how many accounts use it; a template by its " +
    "rarity and use, and by the share of its accounts that are disposable heads (opened days before " +
    "sending or used for hours, feeding distinct prompts through it) rather than by a fixed count. " +
    "Without a card, two accounts need soft evidence of two independent kinds (content, sign-up " +
    "burst, network, life cycle), each of some weight. Linked accounts form communities by weighted " +
    "label propagation, whose combined behaviour is judged as a whole; an account held by one weak " +
    "link is context, not a member. Accounts on the same card or in the same sign-up burst that " +
    "sent nothing yet are reported with the cluster: the heads held in reserve.",
  benignLookalikes:
    "A company with several accounts on one card, a university or office behind one NAT, users of " +
    "the same SDK or tool, strangers who signed up on a busy day with the commonest traits. Values " +
    "touched by too many accounts, absolutely or as a share of the population (a carrier NAT, a " +
    "popular SDK, a default system prompt), link nobody; one kind of soft evidence never links, so " +
    "a shared client or template alone, a network alone or a sign-up day alone joins nobody; a " +
    "burst chance would give weighs nothing and a network dozens of accounts use weighs little; " +
    "template use counts distinct prompts, so a harness replaying the same benchmark prompts is no " +
    "template user; networks of large hosting providers are not used; one weak bridge cannot merge " +
    "two communities; allowlisted user agents and templates are ignored. Being linked is not an " +
    "accusation: a cluster is scored on what its members do, and an honest organisation's cluster " +
    "stays below medium.",
  runbook: [
    "Open the cluster's links: which card, network, client or template joins the accounts, and how many share it.",
    "Check the linked accounts' owners, payment instruments and sign-up records for one operator behind different names.",
    "If one operator is confirmed, act on all linked accounts together; suspending one hydra head moves its traffic to the others.",
  ],
  thresholds: LinkageThresholds,
  requires: {},
  async run(context, t) {
    const { config, coverage, prepared } = context;
    const window = windowParams(context.window);
    const allowAccounts = config.allowlist.accounts;
    const skipAsns = t.skip_hosting_networks ? t.hosting_asns.map(String) : [];
    const [membership, pairs] = await Promise.all([
      context.engine.run<MembershipRow>("detector_linkage", {
        ...window,
        allow_accounts: allowAccounts,
        allow_user_agents: config.allowlist.user_agents,
        allow_skeletons: allowlistedSkeletons(config),
        min_burst: t.min_burst,
        burst_multiple: t.burst_multiple,
        min_account_requests: t.min_account_requests,
        min_account_share: t.min_account_share,
        max_accounts: t.max_accounts,
        max_account_trait_share: t.max_account_trait_share,
        max_share: t.max_share,
      }),
      context.engine.run<PairRow>("detector_linkage_network", {
        ...window,
        allow_accounts: allowAccounts,
        skip_asns: skipAsns,
        max_cell_accounts: t.max_network_hour_accounts,
        max_accounts: t.max_accounts,
        max_share: t.max_share,
        min_shared_hours: t.min_shared_hours,
      }),
    ]);
    const stats: QueryStats[] = [membership.stats, pairs.stats];

    const values = [...membershipValues(membership.rows, t), ...networkValues(pairs.rows, t)].filter(
      (v) => v.weight >= t.min_link_weight,
    );
    const components = communities(values, {
      minPairEvidence: t.min_pair_evidence,
      minSoftKinds: t.min_soft_kinds,
      minCorroboration: t.min_corroboration,
      coreEvidence: t.core_evidence,
      maxPairedAccounts: t.max_paired_accounts,
    });
    const clusters = components.clusters.map((cluster) => ({
      ...cluster,
      infrastructureShare: infrastructureShare(cluster, values),
    }));

    const accountSignals = paymentSignals(values, t);
    const clusterSignals = [
      ...sharedTemplateSignals(clusters, values, t),
      ...infrastructureSignals(clusters),
      ...disposableHeadSignals(clusters, values, t),
    ];
    if (clusters.length > 0) {
      const volume = await context.engine.run<VolumeRow>("detector_linkage_volume", {
        ...window,
        ...clusterMembers(clusters),
      });
      stats.push(volume.stats);
      clusterSignals.push(...clusterVolumeSignals(volume.rows, t));
    }

    const notes: string[] = [];
    if (!prepared.accountsAvailable) notes.push("payment and sign-up links skipped: no accounts table");
    if ((coverage.source_ip ?? 0) === 0) notes.push("network links skipped: no request carries source_ip");
    if ((coverage.user_agent ?? 0) === 0)
      notes.push("user-agent links skipped: no request carries user_agent");
    if (components.context > 0)
      notes.push(
        `${components.context} accounts tied to a cluster by a single weak link are reported as its context, not flagged with it`,
      );
    return { accountSignals, clusterSignals, clusters, notes, stats };
  },
});

/**
 * How much an account uses a value: its requests, or for a template its distinct prompts (a data
 * set fed through the template, not the same benchmark prompts replayed by an eval harness).
 */
function usage(row: MembershipRow): number {
  return row.trait === "skeleton" && row.fills !== null ? row.fills : row.requests;
}

/** Trait values shared through requests or the accounts table, one per (trait, value). */
function membershipValues(rows: readonly MembershipRow[], t: Thresholds): LinkValue[] {
  const grouped = groupBy(rows, (row) => `${row.trait}\u0000${row.value}`);
  const values: LinkValue[] = [];
  for (const list of grouped.values()) {
    const first = list[0] as MembershipRow;
    const active = list.filter((r) => r.account_requests !== null);
    const dormant = list.filter((r) => r.account_requests === null).map((r) => r.account_id);
    const accounts = active.map((r) => r.account_id).sort();
    const weight = traitWeight(first, active, t);
    const heads = first.trait === "skeleton" ? disposableHeads(active, t) : undefined;
    const value: LinkValue = {
      trait: first.trait,
      raw: first.value,
      display: display(first.trait, first.value),
      weight,
      baseRate: baseRate(first),
      accounts,
      ...(dormant.length > 0 ? { dormant: dormant.sort() } : {}),
    };
    if (!heads) {
      values.push(value);
      continue;
    }
    // Pairs of heads on the frame: the frame weighs by how much of it heads make up, and the
    // shared throwaway life cycle is a second kind of evidence beside the shared content.
    const headShare = heads.size / active.length;
    const specific = Math.max(weight, t.trait_weights.skeleton * Math.max(rarityOf(first), headShare));
    const headPairs = pairsWithin([...heads].sort(), t.trait_weights.disposable_heads * headShare);
    const framePairs = pairsWithin(accounts, weight).map((p) =>
      heads.has(p.a) && heads.has(p.b) ? { ...p, weight: specific } : p,
    );
    values.push(
      { ...value, weight: specific, pairs: framePairs },
      {
        trait: "disposable_heads",
        raw: first.value,
        display: `${display(first.trait, first.value)}: ${count(heads.size)} of ${count(active.length)} accounts`,
        weight: t.trait_weights.disposable_heads * headShare,
        baseRate: `${count(heads.size)} of the ${count(active.length)} accounts on the frame are disposable heads`,
        accounts: [...heads].sort(),
        pairs: headPairs,
      },
    );
  }
  return values;
}

/** What the sharing is weighed against, in words an analyst can check against the population. */
function baseRate(row: MembershipRow): string {
  switch (row.trait) {
    case "payment_fingerprint":
      return "a payment instrument is issued to one payer";
    case "signup_burst":
      return `${count(row.burst_size ?? 0)} opened that day against ${(row.burst_expected ?? 0).toFixed(2)} expected, over ${count(row.burst_cells ?? 0)} (combination, day) cells`;
    default:
      return `used by ${count(row.value_accounts)} of ${count(row.population_accounts)} active accounts`;
  }
}

function rarityOf(row: MembershipRow): number {
  return rarity(row.value_accounts, row.population_accounts);
}

/**
 * The weight of one shared value. A card is the tell itself, however many share it (hubs are cut
 * in SQL). A sign-up burst weighs by how surprising it is against the base rates of its traits
 * and day. For request traits commonness means a default, so rarity scales the weight, and light
 * use means coincidence, so intensity does too.
 */
function traitWeight(first: MembershipRow, active: readonly MembershipRow[], t: Thresholds): number {
  switch (first.trait) {
    case "payment_fingerprint":
      return t.trait_weights.payment_fingerprint;
    case "signup_burst":
      return (
        t.trait_weights.signup_burst *
        burstSurprise(
          first.burst_size ?? 0,
          first.burst_expected ?? 0,
          first.burst_cells ?? 1,
          t.burst_full_surprise_decades,
        )
      );
    default:
      return (
        t.trait_weights[first.trait] *
        rarityOf(first) *
        intensity(median(active.map((r) => usage(r))), t.min_account_requests, t.full_intensity_requests)
      );
  }
}

/**
 * The disposable, dataset-fed heads on a template frame (see `isDatasetFedHead`), when there are
 * at least `min_template_heads` of them and the frame is small enough to pair; else undefined.
 */
function disposableHeads(active: readonly MembershipRow[], t: Thresholds): Set<string> | undefined {
  if (active.length > t.max_paired_accounts) return undefined;
  const criteria: HeadCriteria = {
    templatedShare: t.head_templated_share,
    fillShare: t.head_fill_share,
    minFills: t.head_min_fills,
    maxActiveHours: t.head_max_active_hours,
    maxAgeDays: t.head_max_age_days,
  };
  const heads = new Set(active.filter((r) => isDatasetFedHead(r, criteria)).map((r) => r.account_id));
  return heads.size >= t.min_template_heads ? heads : undefined;
}

function pairsWithin(accounts: readonly string[], weight: number): Pair[] {
  const pairs: Pair[] = [];
  for (let i = 0; i < accounts.length; i++) {
    for (let j = i + 1; j < accounts.length; j++) {
      pairs.push({ a: accounts[i] as string, b: accounts[j] as string, weight });
    }
  }
  return pairs;
}

/** Network co-location pairs grouped by network: one linking value per network. */
function networkValues(rows: readonly PairRow[], t: Thresholds): LinkValue[] {
  const grouped = groupBy(rows, (row) => row.network);
  return [...grouped].map(([network, list]) => {
    const first = list[0] as PairRow;
    const accounts = new Set(list.flatMap((r) => [r.account_a, r.account_b]));
    const base =
      t.trait_weights.network_hour *
      Math.min(
        rarity(first.network_accounts, first.population_accounts),
        networkSpecificity(first.network_accounts),
      );
    const pairs = list.map((r) => ({
      a: r.account_a,
      b: r.account_b,
      weight: base * hoursFactor(r.shared_hours, t.min_shared_hours),
    }));
    return {
      trait: "network_hour" as const,
      raw: network,
      display: network,
      weight: Math.max(...pairs.map((p) => p.weight)),
      baseRate: `used by ${count(first.network_accounts)} of ${count(first.population_accounts)} active accounts over the window`,
      accounts: [...accounts].sort(),
      pairs,
    };
  });
}

/**
 * The one linkage tell that is worth something on a single account: paying with the same card as
 * several other active accounts. Weighted low: families, teams and agencies share cards too.
 */
function paymentSignals(values: readonly LinkValue[], t: Thresholds): AccountSignal[] {
  const signals: AccountSignal[] = [];
  for (const value of values) {
    if (value.trait !== "payment_fingerprint") continue;
    const dormant = value.dormant?.length ?? 0;
    const others = value.accounts.length - 1 + dormant;
    const idle = dormant > 0 ? ` (${count(dormant)} without traffic in the window)` : "";
    for (const account of value.accounts) {
      signals.push({
        account,
        signal: measure({
          detector: "linkage",
          name: "shared_payment_method",
          axis: "coordination",
          facet: "shared_accounts",
          value: others,
          threshold: t.shared_payment_accounts,
          saturation: t.shared_payment_saturation,
          weight: 0.12,
          explanation: `pays with payment method ${value.display}, shared with ${count(others)} other account${others === 1 ? "" : "s"}${idle}`,
        }),
      });
    }
  }
  return signals;
}

/**
 * A rare template or system prompt carried by many members of one cluster: the "same template
 * across hundreds of coordinated accounts" of a campaign, seen at the level where it happens.
 */
function sharedTemplateSignals(
  clusters: readonly Cluster[],
  values: readonly LinkValue[],
  t: Thresholds,
): ClusterSignal[] {
  const signals: ClusterSignal[] = [];
  const templates = values.filter((v) => v.trait === "skeleton" || v.trait === "system_prompt");
  for (const cluster of clusters) {
    const members = new Set(cluster.accounts);
    let best: { value: LinkValue; sharing: number } | undefined;
    for (const value of templates) {
      const sharing = value.accounts.filter((a) => members.has(a)).length;
      if (sharing >= 2 && (!best || sharing > best.sharing)) best = { value, sharing };
    }
    if (!best) continue;
    signals.push({
      cluster: cluster.id,
      signal: measure({
        detector: "linkage",
        name: "shared_rare_template",
        axis: "coordination",
        facet: "shared_templates",
        value: best.sharing,
        threshold: t.shared_template_members,
        saturation: t.shared_template_saturation,
        weight: 0.2,
        explanation: `${count(best.sharing)} of ${count(members.size)} members send the same rare ${NOUN[best.value.trait]} ${best.value.display}`,
      }),
    });
  }
  return signals;
}

/**
 * How much of the cluster one operator's infrastructure holds together: the share of members that
 * share a card, a sign-up burst or a network with another member. Content alone (templates, a
 * client) also joins users of one public tool or data set; cluster scoring counts a harvest tell
 * as repeated observations only across members tied this way.
 */
function infrastructureShare(cluster: Cluster, values: readonly LinkValue[]): number {
  const members = new Set(cluster.accounts);
  const tied = new Set<string>();
  for (const value of values) {
    if (!INFRASTRUCTURE_TRAITS.has(value.trait)) continue;
    const ends = value.pairs
      ? value.pairs.filter((p) => members.has(p.a) && members.has(p.b)).flatMap((p) => [p.a, p.b])
      : value.accounts.filter((a) => members.has(a));
    if (ends.length >= 2) for (const account of ends) tied.add(account);
  }
  return tied.size / members.size;
}

function infrastructureSignals(clusters: readonly Cluster[]): ClusterSignal[] {
  return clusters.map((cluster) => {
    const share = cluster.infrastructureShare ?? 0;
    const members = cluster.accounts.length;
    return {
      cluster: cluster.id,
      signal: measure({
        detector: "linkage",
        name: "shared_infrastructure",
        axis: "coordination",
        facet: "shared_accounts",
        value: share,
        threshold: 0.5,
        saturation: 1,
        weight: 0.1,
        explanation: `${count(Math.round(share * members))} of ${count(members)} members share a payment method, sign-up burst or client network with another member`,
      }),
    };
  });
}

/**
 * Members that are disposable heads: opened days before they sent, or used for hours and dropped,
 * each feeding a data set through the cluster's templates. One operator's many throwaway accounts
 * are how a campaign rotates past per-account limits and bans.
 */
function disposableHeadSignals(
  clusters: readonly Cluster[],
  values: readonly LinkValue[],
  t: Thresholds,
): ClusterSignal[] {
  const heads = new Set(values.filter((v) => v.trait === "disposable_heads").flatMap((v) => v.accounts));
  return clusters.flatMap((cluster) => {
    const members = cluster.accounts.length;
    const disposable = cluster.accounts.filter((a) => heads.has(a)).length;
    if (disposable === 0) return [];
    const value = disposable / members;
    return [
      {
        cluster: cluster.id,
        signal: measure({
          detector: "linkage",
          name: "disposable_heads",
          axis: "coordination",
          facet: "rotation",
          value,
          threshold: t.disposable_head_share,
          saturation: t.disposable_head_share_saturation,
          weight: 0.3,
          explanation: `${count(disposable)} of ${count(members)} members are disposable heads: new or short-lived accounts feeding distinct prompts through the shared templates`,
        }),
      },
    ];
  });
}

/** The cluster's combined volume against the heaviest single accounts of the population. */
function clusterVolumeSignals(rows: readonly VolumeRow[], t: Thresholds): ClusterSignal[] {
  return rows.map((row) => {
    const multiple = row.requests / Math.max(1, row.p99_requests);
    const share = row.population_requests > 0 ? row.requests / row.population_requests : 0;
    return {
      cluster: row.cluster_id,
      signal: measure({
        detector: "linkage",
        name: "cluster_volume",
        axis: "automation",
        facet: "volume",
        value: multiple,
        threshold: t.cluster_volume_p99_multiple,
        saturation: t.cluster_volume_saturation,
        weight: 0.1,
        explanation: `${count(row.members)} members sent ${count(row.requests)} requests together (${pct(share)} of all traffic), ${multiple.toFixed(1)}x the population's p99 account`,
      }),
    };
  });
}
