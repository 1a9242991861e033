import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Counters } from "../ports";

/**
 * Counters as EMF through Powertools. A count with dimensions goes out at once as its own metric
 * (`failed` by `reason`), so the undimensioned totals of the batch stay one EMF blob.
 */
export function powertoolsCounters(metrics: Metrics): Counters {
  return {
    count(name, value, dimensions) {
      if (!dimensions) {
        metrics.addMetric(name, MetricUnit.Count, value);
        return;
      }
      const single = metrics.singleMetric();
      single.addDimensions(dimensions);
      single.addMetric(name, MetricUnit.Count, value);
    },
    publish() {
      metrics.publishStoredMetrics();
    },
  };
}
