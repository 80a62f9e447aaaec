import { z } from "zod";
import type { QueryStats } from "../../engine/port.ts";
import { windowParams } from "../../engine/port.ts";
import { groupBy } from "../../group.ts";
import { measure } from "../../scoring/signal.ts";
import { DEFAULT_HOSTING_ASNS } from "../access_path/hosting.ts";
import { allowlistedSkeletons, count, pct, skeletonHex } from "../explain.ts";
import type { AccountSignal, Cluster, ClusterSignal } from "../types.ts";
import { defineDetector } from "../types.ts";
import {
  CONTENT_TRAITS,
  connectedComponents,
  INFRASTRUCTURE_SIGNAL,
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

/**
 * Rarity on an absolute scale: 1 for a value shared by at most `rareAccounts` accounts, whatever
 * the population, falling on a log scale to 0 at ten times that. Sixteen accounts on one template
 * frame are as telling among 400 active accounts as among 400,000; the relative IDF alone would
 * call them common in a small population.
 */
export function absoluteRarity(accounts: number, rareAccounts: number): number {
  if (accounts <= rareAccounts) return 1;
  return Math.min(1, Math.max(0, Math.log((10 * rareAccounts) / accounts) / Math.log(10)));
}

/** Thresholds that say an account is one disposable, dataset-fed head (see `datasetFedHeads`). */
export interface HeadCriteria {
  readonly templatedShare: number;
  readonly fillShare: number;
  readonly minFills: number;
  readonly maxActiveHours: number;
}

/**
 * Whether the account looks like a disposable head fed from a data set: nearly all of its traffic
 * on shared templates that link, distinct prompts on this one (a data set fed through it, not a
 * benchmark or a stock phrase repeated), and a short life in the window (opened, used, dropped).
 */
export function isDatasetFedHead(
  row: {
    requests: number;
    account_requests: number | null;
    fills: number | null;
    account_active_hours: number | null;
    account_templated_requests: number | null;
  },
  c: HeadCriteria,
): boolean {
  if (row.account_requests === null || row.account_requests <= 0) return false;
  const fills = row.fills ?? 0;
  return (
    (row.account_templated_requests ?? 0) / row.account_requests >= c.templatedShare &&
    fills >= c.minFills &&
    fills / Math.max(1, row.requests) >= c.fillShare &&
    row.account_active_hours !== null &&
    row.account_active_hours < c.maxActiveHours
  );
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
     * Rare template frames shared by dataset-fed, short-lived heads. A frame shared by at most
     * `rare_template_accounts` active accounts is rare whatever the population (absolute rarity,
     * taken with the relative IDF, whichever is higher) for the pairs of accounts that each put
     * at least `head_templated_share` of their traffic on linking templates, sent at least
     * `head_min_fills` distinct prompts on it (and as a share of their requests on it,
     * `head_fill_share`), and were active less than `head_max_active_hours` from first to last
     * request. Such pairs need no volume: the pattern stands in for intensity. At least
     * `min_template_heads` such accounts must share the frame.
     */
    rare_template_accounts: z.number().int().min(2).default(32),
    head_templated_share: z.number().min(0).max(1).default(0.5),
    head_min_fills: z.number().int().min(1).default(3),
    head_fill_share: z.number().min(0).max(1).default(0.5),
    head_max_active_hours: z.number().positive().default(72),
    min_template_heads: z.number().int().min(2).default(3),
    /**
     * Requests per sharing account (median) at which a request trait counts fully; for a template,
     * distinct prompts on it.
     */
    full_intensity_requests: z.number().int().min(1).default(50),
    /** Evidence two accounts need to be linked: one strong shared value, or weaker ones together. */
    min_pair_evidence: z.number().gt(0).max(1).default(0.5),
    /** Values whose scaled weight falls below this are ignored, even as corroboration. */
    min_link_weight: z.number().min(0).max(1).default(0.1),
    /** A weak value shared by more accounts than this only counts where it is strong alone. */
    max_paired_accounts: z.number().int().min(2).default(300),
    /** No component grows past this many accounts; the weakest unions are refused. */
    max_cluster_accounts: z.number().int().min(2).default(5000),
    /** Account signal: other active accounts on the same payment method (fires, saturates). */
    shared_payment_accounts: z.number().int().min(1).default(2),
    shared_payment_saturation: z.number().int().min(1).default(20),
    /** Cluster signal: members sharing one rare template or system prompt (fires, saturates). */
    shared_template_members: z.number().int().min(2).default(6),
    shared_template_saturation: z.number().int().min(2).default(60),
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
    "prompt, and were opened together (same day, country, e-mail domain and account type, against " +
    "that combination's usual daily sign-ups). Each shared value carries evidence of one operator, " +
    "scaled by its rarity (IDF-like) and by how heavily the accounts use it; two accounts are linked " +
    "when one strong value or several weaker ones together reach the linking bar. A template frame " +
    "used by few accounts is rare whatever the population's size, and links on its own the " +
    "throwaway heads that share it: accounts active for under three days that put most of their " +
    "traffic on shared templates, each feeding distinct prompts through this one. Connected " +
    "accounts form a cluster whose combined behaviour is judged as a whole. Accounts on the same " +
    "card or in the same sign-up burst that sent nothing yet are reported with the cluster: the " +
    "heads held in reserve.",
  benignLookalikes:
    "A company with several accounts on one card, a university or office behind one NAT, users of " +
    "the same SDK or tool. Values touched by too many accounts, absolutely or as a share of the " +
    "population (a carrier NAT, a popular SDK, a default system prompt), link nobody; a user agent " +
    "never links on its own, nor does a common prompt typed a few times, nor a template shared by " +
    "people who mostly write their own prompts, by long-lived accounts or by a harness replaying " +
    "the same benchmark prompts (template use counts distinct prompts); network links need the same " +
    "network in the same hour in several distinct hours, and networks of large hosting providers, " +
    "where unrelated servers share ranges, are not used; allowlisted user agents and templates are " +
    "ignored. Being linked is not an accusation: a cluster is scored on what its members do, and an " +
    "honest organisation's cluster stays below medium.",
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
    const { clusters, refused } = connectedComponents(values, {
      minPairEvidence: t.min_pair_evidence,
      maxClusterAccounts: t.max_cluster_accounts,
      maxPairedAccounts: t.max_paired_accounts,
    });

    const accountSignals = paymentSignals(values, t);
    const clusterSignals = [
      ...sharedTemplateSignals(clusters, values, t),
      ...infrastructureSignals(clusters, values),
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
    if (refused > 0)
      notes.push(
        `${refused} weak links refused: they would have grown a cluster past ${t.max_cluster_accounts} accounts`,
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
    // Sharing a card or a sign-up burst is the tell itself, however many share it (hubs are cut
    // in SQL); for request traits, commonness means a default, so rarity scales the weight, and
    // light use means coincidence, so intensity does too.
    const accountTrait = first.trait === "payment_fingerprint" || first.trait === "signup_burst";
    const weight = accountTrait
      ? t.trait_weights[first.trait]
      : t.trait_weights[first.trait] *
        rarity(first.value_accounts, first.population_accounts) *
        intensity(
          median(list.filter((r) => r.account_requests !== null).map((r) => usage(r))),
          t.min_account_requests,
          t.full_intensity_requests,
        );
    const active = list.filter((r) => r.account_requests !== null);
    const dormant = list.filter((r) => r.account_requests === null).map((r) => r.account_id);
    const accounts = active.map((r) => r.account_id).sort();
    const pairs = first.trait === "skeleton" ? headPairs(active, weight, t) : undefined;
    values.push({
      trait: first.trait,
      raw: first.value,
      display: display(first.trait, first.value),
      weight: pairs ? Math.max(weight, ...pairs.map((p) => p.weight)) : weight,
      accounts,
      ...(pairs ? { pairs } : {}),
      ...(dormant.length > 0 ? { dormant: dormant.sort() } : {}),
    });
  }
  return values;
}

/**
 * Pairs on a rare template frame, when enough of its accounts are dataset-fed, short-lived heads:
 * pairs of heads weigh the trait weight times the frame's rarity (absolute or relative, whichever
 * is higher), other pairs the value's ordinary weight. Undefined when the frame has too few heads
 * or too many accounts, so the value links as before.
 */
function headPairs(active: readonly MembershipRow[], weight: number, t: Thresholds): Pair[] | undefined {
  const first = active[0];
  if (!first || active.length > t.max_paired_accounts) return undefined;
  const criteria: HeadCriteria = {
    templatedShare: t.head_templated_share,
    fillShare: t.head_fill_share,
    minFills: t.head_min_fills,
    maxActiveHours: t.head_max_active_hours,
  };
  const heads = new Set(active.filter((r) => isDatasetFedHead(r, criteria)).map((r) => r.account_id));
  if (heads.size < t.min_template_heads) return undefined;
  const specific =
    t.trait_weights.skeleton *
    Math.max(
      rarity(first.value_accounts, first.population_accounts),
      absoluteRarity(first.value_accounts, t.rare_template_accounts),
    );
  if (specific <= weight) return undefined;
  const accounts = active.map((r) => r.account_id).sort();
  const pairs: Pair[] = [];
  for (let i = 0; i < accounts.length; i++) {
    for (let j = i + 1; j < accounts.length; j++) {
      const a = accounts[i] as string;
      const b = accounts[j] as string;
      pairs.push({ a, b, weight: heads.has(a) && heads.has(b) ? specific : weight });
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
    const base = t.trait_weights.network_hour * rarity(first.network_accounts, first.population_accounts);
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
 * client) also joins users of one public tool or data set; cluster scoring counts a content tell
 * as repeated observations only across members tied this way.
 */
function infrastructureSignals(clusters: readonly Cluster[], values: readonly LinkValue[]): ClusterSignal[] {
  const infrastructure = values.filter((v) => !CONTENT_TRAITS.has(v.trait));
  const signals: ClusterSignal[] = [];
  for (const cluster of clusters) {
    const members = new Set(cluster.accounts);
    const tied = new Set<string>();
    for (const value of infrastructure) {
      const ends = value.pairs
        ? value.pairs.filter((p) => members.has(p.a) && members.has(p.b)).flatMap((p) => [p.a, p.b])
        : value.accounts.filter((a) => members.has(a));
      if (ends.length >= 2) for (const account of ends) tied.add(account);
    }
    const share = tied.size / members.size;
    signals.push({
      cluster: cluster.id,
      signal: measure({
        detector: "linkage",
        name: INFRASTRUCTURE_SIGNAL,
        value: share,
        threshold: 0.5,
        saturation: 1,
        weight: 0.1,
        explanation: `${count(tied.size)} of ${count(members.size)} members share a payment method, sign-up burst or client network with another member`,
      }),
    });
  }
  return signals;
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
        value: multiple,
        threshold: t.cluster_volume_p99_multiple,
        saturation: t.cluster_volume_saturation,
        weight: 0.1,
        explanation: `${count(row.members)} members sent ${count(row.requests)} requests together (${pct(share)} of all traffic), ${multiple.toFixed(1)}x the population's p99 account`,
      }),
    };
  });
}
