import { finding, type Rule } from "../engine";

/**
 * A PromQL condition on a user-defined log-based metric (`logging_googleapis_com:user_*`) created in the same apply
 * is refused while the metric has no data, unless disable_metric_validation is set (google v6.50.0,
 * google/services/monitoring/resource_monitoring_alert_policy.go:401-410: "allows alerting policies to be defined
 * on metrics that do not yet exist ... such as configuring alerting policies using Terraform").
 */
export const monitoringNewMetricValidation: Rule = {
  id: "PC_MONITORING_NEW_METRIC_VALIDATION",
  maps: [],
  title: "PromQL alerts on log-based metrics skip the metric-existence check",
  fix: "Set disable_metric_validation = true on the condition_prometheus_query_language",
  check(stack) {
    return stack.resources("google_monitoring_alert_policy").flatMap((p) =>
      ([] as any[])
        .concat(p.config.conditions ?? [])
        .map((c) => c?.condition_prometheus_query_language)
        .filter((q) => q && /logging_googleapis_com:user_/.test(String(q.query)) && q.disable_metric_validation !== true)
        .map(() => finding(this, p, "queries a log-based metric that may not exist yet, with metric validation on")),
    );
  },
};
