import { createHash } from "node:crypto";
import type { ClusterLink } from "../../findings/model.ts";
import { groupBy } from "../../group.ts";
import type { Cluster } from "../types.ts";

export type LinkTrait = ClusterLink["trait"];

/**
 * Order in which traits name a cluster. Fixed rather than configurable: the cluster id must not
 * change when someone retunes a weight. A shared card is the most specific trait, a shared network
 * the least.
 */
export const TRAIT_ORDER: readonly LinkTrait[] = [
  "payment_fingerprint",
  "skeleton",
  "system_prompt",
  "user_agent",
  "signup_burst",
  "network_hour",
];

export interface Pair {
  readonly a: string;
  readonly b: string;
  /** Evidence this pair shares through the value, in [0, 1]. */
  readonly weight: number;
}

/** One trait value shared by accounts: all of them alike, or explicit pairs (network-hours). */
export interface LinkValue {
  readonly trait: LinkTrait;
  /** The value as SQL returned it; it names the cluster (hashed) and is never shown. */
  readonly raw: string;
  /** What reports show: a hash, a prefix, a truncated string. */
  readonly display: string;
  /** Evidence that two accounts sharing the value have one operator, in [0, 1]. */
  readonly weight: number;
  readonly accounts: readonly string[];
  readonly pairs?: readonly Pair[];
  /** Accounts with the value but no traffic in the window: they follow the cluster, never link it. */
  readonly dormant?: readonly string[];
}

export interface LinkOptions {
  /** Evidence two accounts need to be linked: one strong value, or several weaker ones together. */
  readonly minPairEvidence: number;
  /** No component grows past this many accounts; the weakest unions are refused. */
  readonly maxClusterAccounts: number;
  /** A weak value shared by more accounts than this is not paired (it would be quadratic). */
  readonly maxPairedAccounts: number;
}

/**
 * Traits that describe what accounts send and with which client: they show a shared tool or a
 * shared data set (every user of a niche app sends its templates; a campaign and an eval harness
 * can both send the same public benchmark), so several of them are one piece of evidence, not
 * several. Infrastructure traits (card, sign-up burst, network) are independent of the content.
 */
export const CONTENT_TRAITS: ReadonlySet<LinkTrait> = new Set(["skeleton", "system_prompt", "user_agent"]);

/** The linkage cluster signal carrying the share of members tied by infrastructure (see clusters.ts). */
export const INFRASTRUCTURE_SIGNAL = "shared_infrastructure";

export interface Components {
  readonly clusters: Cluster[];
  /** Unions refused because they would have grown a component past the size cap. */
  readonly refused: number;
}

const MAX_LINKS_SHOWN = 12;

class UnionFind {
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();

  find(x: string): string {
    if (!this.parent.has(x)) {
      this.parent.set(x, x);
      this.size.set(x, 1);
      return x;
    }
    let root = x;
    while (this.parent.get(root) !== root) root = this.parent.get(root) as string;
    // Path compression keeps later finds flat.
    let node = x;
    while (node !== root) {
      const next = this.parent.get(node) as string;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  /** Joins the sets of a and b unless the result would exceed `cap`; false when refused. */
  union(a: string, b: string, cap: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    const sa = this.size.get(ra) ?? 1;
    const sb = this.size.get(rb) ?? 1;
    if (sa + sb > cap) return false;
    const [big, small] = sa >= sb ? [ra, rb] : [rb, ra];
    this.parent.set(small, big);
    this.size.set(big, sa + sb);
    return true;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byStrength(a: LinkValue, b: LinkValue): number {
  return (
    b.weight - a.weight ||
    TRAIT_ORDER.indexOf(a.trait) - TRAIT_ORDER.indexOf(b.trait) ||
    compareText(a.raw, b.raw)
  );
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function pairsOf(value: LinkValue): readonly Pair[] {
  if (value.pairs) return value.pairs;
  const pairs: Pair[] = [];
  const accounts = value.accounts;
  for (let i = 0; i < accounts.length; i++) {
    for (let j = i + 1; j < accounts.length; j++) {
      pairs.push({ a: accounts[i] as string, b: accounts[j] as string, weight: value.weight });
    }
  }
  return pairs;
}

/**
 * Connected components over the shared trait values. Two accounts are linked when the evidence
 * they share reaches `minPairEvidence`: one strong value alone (a card, a rare template used
 * heavily, a network shared hour after hour), or weaker ones together, combined by noisy-OR: the
 * strongest shared content value (template, system prompt, client) with every shared
 * infrastructure value (card, sign-up burst, network). A single weak value, such as a popular
 * SDK's user agent, links nobody however many accounts share it, and neither do many templates of
 * one tool or one data set.
 *
 * Strong values are taken strongest first, then corroborated pairs by evidence; a union that
 * would grow a component beyond `maxClusterAccounts` is refused, so whatever slipped past the
 * hub caps cannot chain the population into one blob, and the unions refused are the weakest.
 */
export function connectedComponents(values: readonly LinkValue[], options: LinkOptions): Components {
  const sets = new UnionFind();
  let refused = 0;
  const ordered = [...values].sort(byStrength);
  const linking = new Set<LinkValue>();
  const shared = new Map<
    string,
    { a: string; b: string; content: number; infraMiss: number; values: LinkValue[] }
  >();

  for (const value of ordered) {
    if (!value.pairs && value.weight >= options.minPairEvidence) {
      // A strong value links its accounts outright; no need to enumerate pairs.
      for (const account of value.accounts.slice(1)) {
        if (!sets.union(value.accounts[0] as string, account, options.maxClusterAccounts)) refused++;
      }
      linking.add(value);
      continue;
    }
    if (!value.pairs && value.accounts.length > options.maxPairedAccounts) continue;
    for (const pair of pairsOf(value)) {
      const [a, b] = pair.a < pair.b ? [pair.a, pair.b] : [pair.b, pair.a];
      const key = `${a}\u0000${b}`;
      const entry = shared.get(key) ?? { a, b, content: 0, infraMiss: 1, values: [] };
      const weight = Math.min(1, Math.max(0, pair.weight));
      if (CONTENT_TRAITS.has(value.trait)) entry.content = Math.max(entry.content, weight);
      else entry.infraMiss *= 1 - weight;
      entry.values.push(value);
      shared.set(key, entry);
    }
  }
  // Content counts once (its strongest value), infrastructure accumulates: a shared tool plus a
  // shared proxy range links, a shared tool's twenty templates do not.
  const corroborated = [...shared.values()]
    .map((e) => ({ ...e, evidence: 1 - (1 - e.content) * e.infraMiss }))
    .filter((e) => e.evidence >= options.minPairEvidence - 1e-9)
    .sort((x, y) => y.evidence - x.evidence || compareText(x.a, y.a) || compareText(x.b, y.b));
  for (const pair of corroborated) {
    if (!sets.union(pair.a, pair.b, options.maxClusterAccounts)) refused++;
    for (const value of pair.values) linking.add(value);
  }

  return { clusters: describe(sets, ordered, linking), refused };
}

interface SharedValue {
  readonly value: LinkValue;
  /** Members of the cluster that share it. */
  readonly accounts: number;
  /** Whether it linked members (some shared values only come along). */
  readonly linking: boolean;
}

/**
 * Groups the linked accounts into clusters. A cluster lists every value its members share, the
 * ones that linked them and the ones that merely come along (the same SDK, a common template): an
 * analyst checks the whole picture. Only linking values name it.
 */
function describe(
  sets: UnionFind,
  ordered: readonly LinkValue[],
  linking: ReadonlySet<LinkValue>,
): Cluster[] {
  const membersOf = (value: LinkValue): Map<string, Set<string>> => {
    const byRoot = new Map<string, Set<string>>();
    const ends = value.pairs ? value.pairs.flatMap((p) => [p.a, p.b]) : value.accounts;
    for (const account of ends) {
      const root = sets.find(account);
      const set = byRoot.get(root) ?? new Set<string>();
      set.add(account);
      byRoot.set(root, set);
    }
    return byRoot;
  };

  const members = new Map<string, Set<string>>();
  for (const value of ordered) {
    if (!linking.has(value)) continue;
    for (const [root, accounts] of membersOf(value)) {
      if (accounts.size < 2) continue;
      const all = members.get(root) ?? new Set<string>();
      for (const account of accounts) all.add(account);
      members.set(root, all);
    }
  }
  const links = groupBy(
    ordered.flatMap((value) =>
      [...membersOf(value)].flatMap(([root, accounts]): (SharedValue & { root: string })[] => {
        const cluster = members.get(root);
        const inside = cluster ? [...accounts].filter((a) => cluster.has(a)).length : 0;
        return inside < 2 ? [] : [{ root, value, accounts: inside, linking: linking.has(value) }];
      }),
    ),
    (link) => link.root,
  );

  // A weak value can link in two components; it names a cluster only where it lies whole, so
  // that no two clusters get the same id.
  const components = new Map<LinkValue, number>();
  for (const list of links.values()) {
    for (const { value, linking: linked } of list)
      if (linked) components.set(value, (components.get(value) ?? 0) + 1);
  }

  const attached = new Set<string>();
  const clusters: Cluster[] = [];
  const roots = [...members].sort((a, b) => b[1].size - a[1].size || compareText(a[0], b[0]));
  for (const [root, accounts] of roots) {
    const clusterLinks = links.get(root) ?? [];
    const naming = clusterLinks.filter((l) => l.linking);
    const byName = (a: SharedValue, b: SharedValue) =>
      TRAIT_ORDER.indexOf(a.value.trait) - TRAIT_ORDER.indexOf(b.value.trait) ||
      b.accounts - a.accounts ||
      compareText(a.value.raw, b.value.raw);
    const whole = naming.filter((l) => components.get(l.value) === 1).sort(byName)[0];
    const namer = whole ?? [...naming].sort(byName)[0];
    if (!namer) continue;
    // Fallback only when every linking value spans components: the first member disambiguates.
    const suffix = whole ? "" : `\u0000${[...accounts].sort()[0]}`;
    clusters.push({
      id: `${namer.value.trait}:${shortHash(`${namer.value.trait}\u0000${namer.value.raw}${suffix}`)}`,
      accounts: [...accounts].sort(),
      ...dormantOf(naming, accounts, attached),
      links: [...clusterLinks]
        .sort(
          (a, b) =>
            Number(b.linking) - Number(a.linking) ||
            b.value.weight - a.value.weight ||
            b.accounts - a.accounts ||
            compareText(a.value.raw, b.value.raw),
        )
        .slice(0, MAX_LINKS_SHOWN)
        .map(({ value, accounts: n }) => ({
          trait: value.trait,
          value: value.display,
          accounts: n,
          weight: Math.round(value.weight * 1000) / 1000,
        })),
    });
  }
  return clusters.sort((a, b) => b.accounts.length - a.accounts.length || a.id.localeCompare(b.id));
}

/**
 * Dormant accounts sharing the cluster's card or sign-up burst, each attached to one cluster only
 * (the largest that claims it), so a dormant head is never reported twice.
 */
function dormantOf(
  links: readonly { value: LinkValue }[],
  active: ReadonlySet<string>,
  attached: Set<string>,
): { dormant?: string[] } {
  const dormant = new Set<string>();
  for (const { value } of links) {
    for (const account of value.dormant ?? []) {
      if (!active.has(account) && !attached.has(account)) dormant.add(account);
    }
  }
  for (const account of dormant) attached.add(account);
  return dormant.size > 0 ? { dormant: [...dormant].sort() } : {};
}
