import { createHash } from "node:crypto";
import type { Cluster, ClusterLink, MemberAttachment } from "../../domain/signal.ts";
import { groupBy } from "../../group.ts";

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
  "disposable_heads",
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
  /** What the weight was measured against (how many accounts share it, the expected count). */
  readonly baseRate?: string;
  readonly accounts: readonly string[];
  readonly pairs?: readonly Pair[];
  /** Accounts with the value but no traffic in the window: they follow the cluster, never link it. */
  readonly dormant?: readonly string[];
}

export interface LinkOptions {
  /** Evidence two accounts need to be linked through soft values (see `communities`). */
  readonly minPairEvidence: number;
  /** Independent kinds of soft evidence two accounts need to share to be linked without a hard link. */
  readonly minSoftKinds: number;
  /**
   * The weakest of those kinds must carry at least this much: a popular SDK's user agent beside a
   * sign-up day corroborates nothing.
   */
  readonly minCorroboration: number;
  /** A member held by a single link weaker than this is the cluster's context, not a member. */
  readonly coreEvidence: number;
  /** A soft value shared by more accounts than this is not paired (it would be quadratic). */
  readonly maxPairedAccounts: number;
}

/**
 * Traits that describe what accounts send and with which client: they show a shared tool or a
 * shared data set (every user of a niche app sends its templates; a campaign and an eval harness
 * can both send the same public benchmark), so several of them are one piece of evidence, not
 * several. Infrastructure traits (card, sign-up burst, network) are independent of the content.
 */
export const CONTENT_TRAITS: ReadonlySet<LinkTrait> = new Set(["skeleton", "system_prompt", "user_agent"]);

/**
 * Traits that join two accounts on their own: a payment instrument is issued to one payer. Every
 * other trait is soft: a network, a client, a template, a sign-up day and a life cycle are each
 * shared by strangers somewhere, so two accounts need two independent kinds of them.
 */
export const HARD_TRAITS: ReadonlySet<LinkTrait> = new Set(["payment_fingerprint"]);

/**
 * Traits that show one operator's infrastructure: who pays, when the accounts were opened, where
 * they send from. Cluster scoring counts shared harvest tells as repeated observations only across
 * members tied this way (see `infrastructureShare` in linkage.ts).
 */
export const INFRASTRUCTURE_TRAITS: ReadonlySet<LinkTrait> = new Set([
  "payment_fingerprint",
  "signup_burst",
  "network_hour",
]);

/** The independent kind of evidence a trait carries: all content traits are one kind. */
function evidenceKind(trait: LinkTrait): string {
  return CONTENT_TRAITS.has(trait) ? "content" : trait;
}

/** One community: its members with what holds each, and the accounts held too weakly (context). */
interface Group {
  readonly core: ReadonlyMap<string, MemberAttachment>;
  readonly context: ReadonlySet<string>;
}

export interface Communities {
  readonly clusters: Cluster[];
  /** Accounts that soft evidence paired with others but no community kept as a member. */
  readonly context: number;
}

const MAX_LINKS_SHOWN = 12;
const MAX_PROPAGATION_ROUNDS = 50;

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

/** One pair of accounts and everything they share. */
interface PairEvidence {
  readonly a: string;
  readonly b: string;
  hard: number;
  /** The strongest value of each soft kind the two share. */
  readonly kinds: Map<string, number>;
  readonly values: LinkValue[];
}

function pairKey(a: string, b: string): string {
  return `${a}\u0000${b}`;
}

/**
 * The weighted account graph: an edge where two accounts share a hard value, or soft values of at
 * least `minSoftKinds` independent kinds, each carrying at least `minCorroboration`, whose
 * noisy-OR (strongest value per kind) reaches `minPairEvidence`. A shared tool's twenty templates are one kind and link nobody; a template
 * with a shared proxy range, or with a sign-up burst, links.
 */
function pairGraph(values: readonly LinkValue[], options: LinkOptions): PairEvidence[] {
  const shared = new Map<string, PairEvidence>();
  const add = (x: string, y: string, value: LinkValue, weight: number) => {
    const [a, b] = x < y ? [x, y] : [y, x];
    const key = pairKey(a, b);
    let entry = shared.get(key);
    if (!entry) {
      entry = { a, b, hard: 0, kinds: new Map(), values: [] };
      shared.set(key, entry);
    }
    const w = Math.min(1, Math.max(0, weight));
    if (HARD_TRAITS.has(value.trait)) entry.hard = Math.max(entry.hard, w);
    else {
      const kind = evidenceKind(value.trait);
      entry.kinds.set(kind, Math.max(entry.kinds.get(kind) ?? 0, w));
    }
    entry.values.push(value);
  };
  for (const value of values) {
    if (!value.pairs && value.accounts.length > options.maxPairedAccounts) {
      // A hard value too widely shared to pair is still one payer: chain its accounts.
      if (!HARD_TRAITS.has(value.trait)) continue;
      const accounts = value.accounts;
      for (let i = 1; i < accounts.length; i++) {
        add(accounts[i - 1] as string, accounts[i] as string, value, value.weight);
      }
      continue;
    }
    for (const pair of pairsOf(value)) add(pair.a, pair.b, value, pair.weight);
  }
  return [...shared.values()].filter((e) => {
    if (e.hard >= options.minPairEvidence) return true;
    const corroborating = [...e.kinds.values()].filter((w) => w >= options.minCorroboration).length;
    return corroborating >= options.minSoftKinds && evidence(e) >= options.minPairEvidence - 1e-9;
  });
}

/** A pair's evidence of one operator: noisy-OR of its hard link and its strongest value per kind. */
function evidence(e: PairEvidence): number {
  let miss = 1 - e.hard;
  for (const w of e.kinds.values()) miss *= 1 - w;
  return 1 - miss;
}

/**
 * Weighted label propagation: every account starts in a community of its own and repeatedly joins
 * the community its links weigh most towards (ties to the smaller label, accounts in id order, so
 * the result is deterministic). Dense groups keep their own label; one weak bridge between two
 * groups, a NAT or a shared default that slipped past the hub caps, cannot pull one group into
 * the other, which is what connected components did.
 */
function propagateLabels(edges: readonly { a: string; b: string; weight: number }[]): Map<string, string> {
  const neighbours = new Map<string, { other: string; weight: number }[]>();
  for (const { a, b, weight } of edges) {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const list = neighbours.get(x) ?? [];
      list.push({ other: y, weight });
      neighbours.set(x, list);
    }
  }
  const nodes = [...neighbours.keys()].sort(compareText);
  const label = new Map(nodes.map((n) => [n, n]));
  for (let round = 0; round < MAX_PROPAGATION_ROUNDS; round++) {
    let changed = false;
    for (const node of nodes) {
      const weights = new Map<string, number>();
      for (const { other, weight } of neighbours.get(node) ?? []) {
        const l = label.get(other) as string;
        weights.set(l, (weights.get(l) ?? 0) + weight);
      }
      const current = label.get(node) as string;
      let best = current;
      let bestWeight = weights.get(current) ?? 0;
      for (const [l, w] of weights) {
        if (w > bestWeight + 1e-12 || (Math.abs(w - bestWeight) <= 1e-12 && compareText(l, best) < 0)) {
          best = l;
          bestWeight = w;
        }
      }
      if (best !== current) {
        label.set(node, best);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return label;
}

/**
 * Communities of accounts over the shared trait values. Two accounts are linked by a hard value
 * (a card) or by soft values of at least two independent kinds that together reach
 * `minPairEvidence` (see `pairGraph`); communities are found by weighted label propagation over
 * those links (see `propagateLabels`). Within a community, a member held by a single link weaker
 * than `coreEvidence` is its context: named beside the cluster, never judged with it.
 */
export function communities(values: readonly LinkValue[], options: LinkOptions): Communities {
  const ordered = [...values].sort(byStrength);
  const edges = pairGraph(ordered, options).map((e) => ({ ...e, weight: evidence(e) }));
  const label = propagateLabels(edges);
  const ties = groupBy(
    edges.filter((e) => label.get(e.a) === label.get(e.b)),
    (e) => label.get(e.a) as string,
  );
  const groups: Group[] = [];
  let context = 0;
  for (const list of ties.values()) {
    const held = new Map<string, { ties: number; strongest: (typeof list)[number] }>();
    for (const e of list) {
      for (const account of [e.a, e.b]) {
        const h = held.get(account);
        if (!h) held.set(account, { ties: 1, strongest: e });
        else {
          h.ties++;
          if (e.weight > h.strongest.weight) h.strongest = e;
        }
      }
    }
    const core = new Map<string, MemberAttachment>();
    const loose = new Set<string>();
    for (const [account, { ties: n, strongest }] of held) {
      if (n >= 2 || strongest.weight >= options.coreEvidence) {
        core.set(account, {
          account,
          ties: n,
          strongest: Math.round(strongest.weight * 1000) / 1000,
          traits: [...new Set(strongest.values.map((v) => v.trait))].sort(),
        });
      } else loose.add(account);
    }
    if (core.size < 2) {
      context += core.size + loose.size;
      continue;
    }
    context += loose.size;
    groups.push({ core, context: loose });
  }
  const linking = new Set(edges.flatMap((e) => e.values));
  return { clusters: describe(groups, ordered, linking), context };
}

interface SharedValue {
  readonly value: LinkValue;
  /** Members of the cluster that share it. */
  readonly accounts: number;
  /** Whether it linked members (some shared values only come along). */
  readonly linking: boolean;
}

/**
 * Describes each community as a cluster. A cluster lists every value its members share, the ones
 * that linked them and the ones that merely come along (the same SDK, a common template): an
 * analyst checks the whole picture. Only linking values name it.
 */
function describe(
  groups: readonly Group[],
  ordered: readonly LinkValue[],
  linking: ReadonlySet<LinkValue>,
): Cluster[] {
  const groupOf = new Map<string, number>();
  groups.forEach((group, index) => {
    for (const account of group.core.keys()) groupOf.set(account, index);
  });
  const links = groupBy(
    ordered.flatMap((value) => {
      const ends = new Set(value.pairs ? value.pairs.flatMap((p) => [p.a, p.b]) : value.accounts);
      const inside = new Map<number, number>();
      for (const account of ends) {
        const group = groupOf.get(account);
        if (group !== undefined) inside.set(group, (inside.get(group) ?? 0) + 1);
      }
      return [...inside]
        .filter(([, n]) => n >= 2)
        .map(([group, n]) => ({ group, value, accounts: n, linking: linking.has(value) }));
    }),
    (link) => link.group,
  );

  // A value can link in two communities; it names a cluster only where it lies whole, so that no
  // two clusters get the same id.
  const spans = new Map<LinkValue, number>();
  for (const list of links.values()) {
    for (const { value, linking: linked } of list) if (linked) spans.set(value, (spans.get(value) ?? 0) + 1);
  }

  const attached = new Set<string>();
  const clusters: Cluster[] = [];
  const order = groups
    .map((group, index) => ({ group, index, first: [...group.core.keys()].sort()[0] as string }))
    .sort((a, b) => b.group.core.size - a.group.core.size || compareText(a.first, b.first));
  for (const { group, index, first } of order) {
    const clusterLinks = links.get(index) ?? [];
    const naming = clusterLinks.filter((l) => l.linking);
    const byName = (a: SharedValue, b: SharedValue) =>
      TRAIT_ORDER.indexOf(a.value.trait) - TRAIT_ORDER.indexOf(b.value.trait) ||
      b.accounts - a.accounts ||
      compareText(a.value.raw, b.value.raw);
    const whole = naming.filter((l) => spans.get(l.value) === 1).sort(byName)[0];
    const namer = whole ?? [...naming].sort(byName)[0];
    if (!namer) continue;
    // Fallback only when every linking value spans communities: the first member disambiguates.
    const suffix = whole ? "" : `\u0000${first}`;
    clusters.push({
      id: `${namer.value.trait}:${shortHash(`${namer.value.trait}\u0000${namer.value.raw}${suffix}`)}`,
      accounts: [...group.core.keys()].sort(),
      attachments: [...group.core.values()].sort((a, b) => compareText(a.account, b.account)),
      ...(group.context.size > 0 ? { context: [...group.context].sort() } : {}),
      ...dormantOf(naming, new Set(group.core.keys()), attached),
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
          base_rate: value.baseRate ?? null,
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
