import type { Cluster } from "../types.ts";

/**
 * The account-to-cluster mapping as two parallel arrays, for `element_at(map(?, ?), account_id)`
 * in the cluster-stage queries. An account belongs to one cluster (components are disjoint).
 */
export function clusterMapping(clusters: readonly Cluster[]): {
  cluster_accounts: string[];
  cluster_ids: string[];
} {
  const accounts: string[] = [];
  const ids: string[] = [];
  for (const cluster of clusters) {
    for (const account of cluster.accounts) {
      accounts.push(account);
      ids.push(cluster.id);
    }
  }
  return { cluster_accounts: accounts, cluster_ids: ids };
}
