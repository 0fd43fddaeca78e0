import { finding, type Rule } from "../engine";

/**
 * In a regional node pool, min_node_count/max_node_count are "per zone" (google v6.50.0,
 * google/services/container/resource_container_node_pool.go:154-166): the pool runs about three times the intended
 * nodes. total_min_node_count/total_max_node_count (lines 168-180) bound the whole pool.
 */
export const gkeRegionalPoolTotals: Rule = {
  id: "PC_GKE_REGIONAL_POOL_TOTALS",
  maps: [],
  title: "Regional node pools are sized with total node counts",
  fix: "Use autoscaling.total_min_node_count/total_max_node_count (poolAutoscaling in constructs/gke-cluster.ts)",
  check(stack) {
    return stack
      .resources("google_container_node_pool")
      .filter((p) => /^[a-z]+-[a-z]+\d$/.test(String(p.config.location ?? "")))
      .filter((p) => p.config.autoscaling?.min_node_count !== undefined || p.config.autoscaling?.max_node_count !== undefined)
      .map((p) => finding(this, p, `is regional (${p.config.location}) but sized per zone (min/max_node_count)`));
  },
};
