import type { Cluster } from "../../domain/signal.ts";

/** Separates account and cluster id in a membership pair (ASCII unit separator: in no id). */
const UNIT_SEPARATOR = "\u001f";

/**
 * The account-to-cluster mapping for the cluster-stage queries: one array of
 * "account<US>cluster" pairs, which the SQL unnests and joins (`split_part(pair, chr(31), n)`).
 * An account belongs to one cluster (components are disjoint).
 */
export function clusterMembers(clusters: readonly Cluster[]): { cluster_members: string[] } {
  return {
    cluster_members: clusters.flatMap((cluster) =>
      cluster.accounts.map((account) => `${account}${UNIT_SEPARATOR}${cluster.id}`),
    ),
  };
}
