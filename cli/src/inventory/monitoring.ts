import { block, blocks, bool, type Entry, num, record, str, strings } from "./document";
import type { Model } from "./model";
import type { AlarmEntry, EventRuleEntry, EventTargetEntry } from "./types";

/** CloudWatch's comparison operators as symbols; anomaly-band operators keep their names. */
const COMPARISONS: Readonly<Record<string, string>> = {
  GreaterThanThreshold: ">",
  GreaterThanOrEqualToThreshold: ">=",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
};

/** Metric and composite alarms, in document order. */
export function buildAlarms(m: Model): AlarmEntry[] {
  return [
    ...m.doc.ofType("aws_cloudwatch_metric_alarm").map((alarm) => metricAlarm(alarm, m)),
    ...m.doc.ofType("aws_cloudwatch_composite_alarm").map((alarm) => compositeAlarm(alarm, m)),
  ];
}

function metricAlarm(alarm: Entry, m: Model): AlarmEntry {
  const attrs = alarm.attrs;
  const queries = blocks(attrs.metric_query);
  const operator = str(attrs.comparison_operator);
  const threshold = num(attrs.threshold);
  const period = num(attrs.period) ?? commonPeriod(queries);
  const evaluationPeriods = num(attrs.evaluation_periods);
  const datapoints = num(attrs.datapoints_to_alarm);
  return {
    address: alarm.address,
    name: m.name(alarm.address) ?? alarm.id,
    metric: queries.length > 0 ? metricMath(queries, m) : metricText(attrs, m),
    ...(operator !== undefined && { comparison: COMPARISONS[operator] ?? operator }),
    ...(threshold !== undefined && { threshold }),
    ...(period !== undefined && { periodSeconds: period }),
    ...(evaluationPeriods !== undefined && { evaluationPeriods }),
    ...(datapoints !== undefined && { datapointsToAlarm: datapoints }),
    treatMissingData: str(attrs.treat_missing_data) ?? "missing",
    actions: strings(attrs.alarm_actions).map((action) => m.resolver.nameIn(action)),
    actionsEnabled: bool(attrs.actions_enabled) ?? true,
  };
}

function compositeAlarm(alarm: Entry, m: Model): AlarmEntry {
  return {
    address: alarm.address,
    name: m.name(alarm.address) ?? alarm.id,
    metric: `rule ${m.resolver.text(str(alarm.attrs.alarm_rule) ?? "?")}`,
    treatMissingData: "missing",
    actions: strings(alarm.attrs.alarm_actions).map((action) => m.resolver.nameIn(action)),
    actionsEnabled: bool(alarm.attrs.actions_enabled) ?? true,
  };
}

/** `AWS/SQS ApproximateNumberOfMessagesVisible Maximum (QueueName=whk-dev-ingest-dlq)`. */
function metricText(metric: Record<string, unknown>, m: Model): string {
  const dimensions = Object.entries(record(metric.dimensions))
    .map(([key, value]) => `${key}=${m.resolver.nameIn(value)}`)
    .join(", ");
  const statistic = str(metric.extended_statistic) ?? str(metric.statistic) ?? str(metric.stat);
  return [
    str(metric.namespace) ?? "?",
    str(metric.metric_name) ?? "?",
    ...(statistic ? [statistic] : []),
    ...(dimensions ? [`(${dimensions})`] : []),
  ].join(" ");
}

/** The returned expression first, then the inputs it reads: `IF(m1 > 0, 1, 0) where m1 = …`. */
function metricMath(queries: ReadonlyArray<Record<string, unknown>>, m: Model): string {
  const returned = queries.find((query) => bool(query.return_data) !== false) ?? queries[0]!;
  const describe = (query: Record<string, unknown>): string =>
    str(query.expression) ?? metricText(block(query.metric), m);
  const inputs = queries
    .filter((query) => query !== returned)
    .map((query) => `${str(query.id) ?? "?"} = ${describe(query)}`);
  return `${describe(returned)}${inputs.length > 0 ? ` where ${inputs.join("; ")}` : ""}`;
}

/** The period all metric queries share, when they share one. */
function commonPeriod(queries: ReadonlyArray<Record<string, unknown>>): number | undefined {
  const periods = new Set(
    queries
      .map((query) => num(query.period) ?? num(block(query.metric).period))
      .filter((period) => period !== undefined),
  );
  return periods.size === 1 ? [...periods][0] : undefined;
}

/** EventBridge rules with their pattern (or schedule) and targets, in document order. */
export function buildEventRules(m: Model): EventRuleEntry[] {
  const targets = m.doc.ofType("aws_cloudwatch_event_target");
  return m.doc.ofType("aws_cloudwatch_event_rule").map((rule) => {
    const attrs = rule.attrs;
    const name = m.name(rule.address) ?? rule.id;
    const pattern = attrs.event_pattern;
    const enabled = bool(attrs.is_enabled);
    return {
      address: rule.address,
      name,
      bus: attrs.event_bus_name === undefined ? "default" : m.resolver.nameIn(attrs.event_bus_name),
      state: str(attrs.state) ?? (enabled === false ? "DISABLED" : "ENABLED"),
      ...(pattern !== undefined && { eventPattern: compactPattern(pattern, m) }),
      ...(attrs.schedule_expression !== undefined && {
        schedule: m.resolver.value(attrs.schedule_expression),
      }),
      targets: targets
        .filter((target) => {
          const ref = m.resolver.target(target.attrs.rule);
          return ref ? ref.address === rule.address : target.attrs.rule === name;
        })
        .map((target) => eventTarget(target, m)),
    };
  });
}

/** The pattern re-serialized without spaces, references made readable. */
function compactPattern(pattern: unknown, m: Model): string {
  if (typeof pattern !== "string") return JSON.stringify(pattern);
  try {
    return m.resolver.text(JSON.stringify(JSON.parse(pattern)));
  } catch {
    return m.resolver.text(pattern);
  }
}

function eventTarget(target: Entry, m: Model): EventTargetEntry {
  const attrs = target.attrs;
  const deadLetter = block(attrs.dead_letter_config).arn;
  const retry = block(attrs.retry_policy);
  const attempts = num(retry.maximum_retry_attempts);
  const age = num(retry.maximum_event_age_in_seconds);
  const retryText = [
    attempts !== undefined && `${attempts} attempts`,
    age !== undefined && `${age} s max age`,
  ].filter(Boolean);
  return {
    address: target.address,
    id: str(attrs.target_id) ?? target.id,
    target: m.resolver.nameIn(attrs.arn),
    ...(deadLetter !== undefined && { deadLetter: m.resolver.nameIn(deadLetter) }),
    ...(attrs.role_arn !== undefined && { role: m.resolver.nameIn(attrs.role_arn) }),
    ...(retryText.length > 0 && { retry: retryText.join(", ") }),
  };
}
