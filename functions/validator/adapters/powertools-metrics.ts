import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { MetricsPort, Outcome } from "../ports";

/** The metric every request counts once, with dimensions provider, outcome and (rejections, failures) reason. */
export const WEBHOOKS_METRIC = "Webhooks";

/**
 * EMF through Powertools: one single-metric line per count, flushed at once, so nothing is lost if
 * an invocation ends early and no per-invocation flush has to be remembered.
 *
 * @example createPowertoolsMetrics(new Metrics({ namespace: "Webhooks", serviceName: "validator" }))
 */
export function createPowertoolsMetrics(metrics: Metrics): MetricsPort {
  return {
    count(provider: string, outcome: Outcome, reason?: string): void {
      const single = metrics.singleMetric();
      single.addDimension("provider", provider).addDimension("outcome", outcome);
      if (reason !== undefined) single.addDimension("reason", reason);
      single.addMetric(WEBHOOKS_METRIC, MetricUnit.Count, 1);
    },
  };
}
