// biome-ignore-all lint/suspicious/noExplicitAny: Terraform JSON is untyped by nature
import { asList, type PolicyRule, principalOf, ref, statementsOf } from "./rules";

/**
 * Checklist §A.1 (event source mappings), §A.3 (SQS), §A.5 (EventBridge), §A.6 (logs, alarms),
 * §A.7 (SNS), §A.8/§A.12 (KMS and IAM of the roles) and §B.8–B.15: the MUST rules the delivery
 * resources bring. EventBridge, event source mappings and SQS redrive have no scanner coverage
 * (checklist A.0): these rules are the coverage.
 */

type Statement = Record<string, any>;

/** `${aws_sqs_queue.name.arn}` → ["aws_sqs_queue", "name", "arn"]; anything else → undefined. */

function resolve(doc: any, value: unknown): { id: string; attributes: any } | undefined {
  const target = ref(value);
  if (!target) return undefined;
  const attributes = doc.resource?.[target.type]?.[target.id];
  return attributes ? { id: target.id, attributes } : undefined;
}

function all(doc: any, type: string): Array<[string, any]> {
  return Object.entries(doc.resource?.[type] ?? {});
}

/** The logical id of a resource given its attributes object (the rule callbacks receive attributes only). */
function idOf(doc: any, type: string, attributes: unknown): string {
  const entry = all(doc, type).find(([, candidate]) => candidate === attributes);
  if (!entry) throw new Error(`${type} not found in the document`);
  return entry[0];
}

function queueIdOf(value: unknown): string | undefined {
  const target = ref(value);
  return target?.type === "aws_sqs_queue" ? target.id : undefined;
}

function conditionKeys(statement: Statement): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey as object));
}

function conditionValues(statement: Statement, key: string): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((byKey) =>
    asList((byKey as Record<string, unknown>)[key]),
  ) as string[];
}

/** The statements of the policy of the key an encrypted resource names (`${aws_kms_key.<id>.arn}`). */
function keyPolicyStatements(doc: any, keyArn: unknown): Statement[] {
  const keyId = ref(keyArn)?.id;
  return all(doc, "aws_kms_key_policy")
    .filter(([, policy]) => ref(policy.key_id)?.id === keyId)
    .flatMap(([, policy]) => statementsOf(policy.policy));
}

function queuePolicyStatements(doc: any, queueId: string): Statement[] {
  return all(doc, "aws_sqs_queue_policy")
    .filter(([, policy]) => ref(policy.queue_url)?.id === queueId)
    .flatMap(([, policy]) => statementsOf(policy.policy));
}

/** Queues that receive dead letters: redrive targets, EventBridge target and bus DLQs, ESM on-failure destinations. */
function deadLetterQueueIds(doc: any): Set<string> {
  const ids = new Set<string>();
  for (const [, redrive] of all(doc, "aws_sqs_queue_redrive_policy")) {
    const id = queueIdOf(JSON.parse(redrive.redrive_policy).deadLetterTargetArn);
    if (id) ids.add(id);
  }
  for (const type of ["aws_cloudwatch_event_target", "aws_cloudwatch_event_bus"]) {
    for (const [, resource] of all(doc, type)) {
      const id = queueIdOf(resource.dead_letter_config?.arn);
      if (id) ids.add(id);
    }
  }
  for (const [, mapping] of all(doc, "aws_lambda_event_source_mapping")) {
    const id = queueIdOf(mapping.destination_config?.on_failure?.destination_arn);
    if (id) ids.add(id);
  }
  return ids;
}

/** Queues something consumes from or delivers into as their main purpose: ESM sources and rule targets. */
function sourceQueueIds(doc: any): Set<string> {
  const ids = new Set<string>();
  for (const [, mapping] of all(doc, "aws_lambda_event_source_mapping")) {
    const id = queueIdOf(mapping.event_source_arn);
    if (id) ids.add(id);
  }
  for (const [, target] of all(doc, "aws_cloudwatch_event_target")) {
    const id = queueIdOf(target.arn);
    if (id) ids.add(id);
  }
  return ids;
}

function alarms(doc: any): any[] {
  return all(doc, "aws_cloudwatch_metric_alarm").map(([, alarm]) => alarm);
}

function hasAlarm(
  doc: any,
  namespace: string,
  metricName: string,
  dimensions: Record<string, unknown>,
): boolean {
  return alarms(doc).some(
    (alarm) =>
      alarm.namespace === namespace &&
      alarm.metric_name === metricName &&
      Object.entries(dimensions).every(([key, value]) => alarm.dimensions?.[key] === value),
  );
}

const SQS_RULES: PolicyRule[] = [
  {
    id: "CKV_AWS_27",
    requirement: "every SQS queue is encrypted at rest",
    types: ["aws_sqs_queue"],
    offenders: (queue) =>
      queue.kms_master_key_id || queue.sqs_managed_sse_enabled === true ? undefined : "no SSE",
  },
  {
    id: "CKV2_AWS_73",
    requirement: "SQS queues use the platform CMK, not the AWS-managed alias/aws/sqs",
    types: ["aws_sqs_queue"],
    offenders: (queue) => {
      if (!queue.kms_master_key_id) return "no kms_master_key_id";
      return ref(queue.kms_master_key_id)?.type === "aws_kms_key"
        ? undefined
        : `key ${queue.kms_master_key_id}`;
    },
  },
  {
    id: "CKV_AWS_168/SQS.3",
    requirement:
      "queue policies allow no wildcard principal, no sqs:*, and services only under a source condition",
    types: ["aws_sqs_queue_policy"],
    offenders: (policy) => {
      const problems = statementsOf(policy.policy)
        .filter((statement) => statement.Effect === "Allow")
        .flatMap((statement) => {
          const principal = principalOf(statement);
          const actions = asList(statement.Action) as string[];
          const found: string[] = [];
          if (principal.star && !statement.Condition)
            found.push(`${statement.Sid}: any principal, no condition`);
          if (actions.some((action) => action === "*" || action === "sqs:*"))
            found.push(`${statement.Sid}: sqs:*`);
          const keys = conditionKeys(statement);
          if (principal.service.length > 0 && !keys.some((key) => /^aws:Source(Arn|Account)$/.test(key))) {
            found.push(`${statement.Sid}: service principal without aws:SourceArn/aws:SourceAccount`);
          }
          return found;
        });
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  },
  {
    id: "SQS-TLS-ONLY",
    requirement: "every SQS queue has a queue policy denying requests without TLS",
    types: ["aws_sqs_queue"],
    offenders: (_queue, _type, doc) => {
      const id = idOf(doc, "aws_sqs_queue", _queue);
      const deny = queuePolicyStatements(doc, id).some(
        (statement) =>
          statement.Effect === "Deny" &&
          principalOf(statement).star &&
          statement.Condition?.Bool?.["aws:SecureTransport"] === "false",
      );
      return deny ? undefined : "no Deny on aws:SecureTransport = false";
    },
  },
  {
    id: "SQS-REDRIVE",
    requirement: "every consumed queue (event source or rule target) redrives to a DLQ",
    types: ["aws_sqs_queue"],
    offenders: (queue, _type, doc) => {
      const id = idOf(doc, "aws_sqs_queue", queue);
      if (!sourceQueueIds(doc).has(id)) return undefined;
      const redrive = all(doc, "aws_sqs_queue_redrive_policy").find(
        ([, policy]) => ref(policy.queue_url)?.id === id,
      );
      if (!redrive) return "consumed, but no aws_sqs_queue_redrive_policy";
      const { maxReceiveCount } = JSON.parse(redrive[1].redrive_policy);
      return Number.isInteger(maxReceiveCount) && maxReceiveCount >= 1
        ? undefined
        : "maxReceiveCount not an integer";
    },
  },
  {
    id: "SQS-DLQ-RETENTION",
    requirement: "a DLQ keeps messages longer than its source (expiry counts from the original enqueue)",
    types: ["aws_sqs_queue_redrive_policy"],
    offenders: (redrive, _type, doc) => {
      const source = resolve(doc, `\${aws_sqs_queue.${ref(redrive.queue_url)?.id}.arn}`);
      const dlq = resolve(doc, JSON.parse(redrive.redrive_policy).deadLetterTargetArn);
      if (!source || !dlq) return "source or DLQ not found";
      const retention = (queue: any) => queue.message_retention_seconds ?? 345_600;
      return retention(dlq.attributes) > retention(source.attributes)
        ? undefined
        : `DLQ ${retention(dlq.attributes)} s ≤ source ${retention(source.attributes)} s`;
    },
  },
  {
    id: "SQS-REDRIVE-ALLOW",
    requirement: "a DLQ accepts redrive from its source queue only (byQueue)",
    types: ["aws_sqs_queue_redrive_policy"],
    offenders: (redrive, _type, doc) => {
      const sourceId = ref(redrive.queue_url)?.id;
      const dlqId = queueIdOf(JSON.parse(redrive.redrive_policy).deadLetterTargetArn);
      const allow = all(doc, "aws_sqs_queue_redrive_allow_policy").find(
        ([, policy]) => ref(policy.queue_url)?.id === dlqId,
      );
      if (!allow) return `DLQ ${dlqId} has no aws_sqs_queue_redrive_allow_policy`;
      const parsed = JSON.parse(allow[1].redrive_allow_policy);
      const sources = (parsed.sourceQueueArns ?? []).map(queueIdOf);
      return parsed.redrivePermission === "byQueue" && sources.length === 1 && sources[0] === sourceId
        ? undefined
        : `redrive allow policy is ${allow[1].redrive_allow_policy}`;
    },
  },
  {
    id: "SQS-VISIBILITY-6X",
    requirement: "a queue's visibility timeout is ≥ 6 × its consumer's timeout + batching window",
    types: ["aws_lambda_event_source_mapping"],
    offenders: (mapping, _type, doc) => {
      const queue = resolve(doc, mapping.event_source_arn);
      if (!queue || ref(mapping.event_source_arn)?.type !== "aws_sqs_queue") return undefined;
      const fn = resolve(doc, mapping.function_name);
      if (!fn) return "function not found";
      const needed = 6 * (fn.attributes.timeout ?? 3) + (mapping.maximum_batching_window_in_seconds ?? 0);
      const visibility = queue.attributes.visibility_timeout_seconds ?? 30;
      return visibility >= needed ? undefined : `visibility ${visibility} s < ${needed} s`;
    },
  },
  {
    id: "SQS-MAX-MESSAGE-SIZE",
    requirement: "every queue states max_message_size: 1 MiB (the provider default would be 256 KiB)",
    types: ["aws_sqs_queue"],
    offenders: (queue) =>
      queue.max_message_size === 1_048_576 ? undefined : `max_message_size ${queue.max_message_size}`,
  },
];

const ESM_RULES: PolicyRule[] = [
  {
    id: "ESM-SQS",
    requirement:
      "SQS event sources report batch item failures, set batch size, batching window (standard queues) and maximum concurrency, with no reserved concurrency below it",
    types: ["aws_lambda_event_source_mapping"],
    offenders: (mapping, _type, doc) => {
      const queue = resolve(doc, mapping.event_source_arn);
      if (!queue || ref(mapping.event_source_arn)?.type !== "aws_sqs_queue") return undefined;
      const problems: string[] = [];
      if (!asList(mapping.function_response_types).includes("ReportBatchItemFailures")) {
        problems.push("no ReportBatchItemFailures");
      }
      if (!mapping.batch_size) problems.push("no batch_size");
      const fifo = queue.attributes.fifo_queue === true;
      if (fifo && mapping.maximum_batching_window_in_seconds !== undefined) {
        problems.push("a FIFO source takes no batching window");
      }
      if (!fifo && mapping.maximum_batching_window_in_seconds === undefined)
        problems.push("no batching window");
      const max = mapping.scaling_config?.maximum_concurrency;
      if (!max) problems.push("no scaling_config.maximum_concurrency");
      const reserved = resolve(doc, mapping.function_name)?.attributes.reserved_concurrent_executions;
      if (reserved !== undefined && reserved !== -1 && max && reserved < max) {
        problems.push(`reserved concurrency ${reserved} < maximum concurrency ${max}`);
      }
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  },
  {
    id: "ESM-STREAM",
    requirement:
      "stream event sources bisect on error, bound retries and record age, report item failures and keep failures in a destination",
    types: ["aws_lambda_event_source_mapping"],
    offenders: (mapping) => {
      if (!mapping.starting_position) return undefined;
      const problems: string[] = [];
      if (mapping.bisect_batch_on_function_error !== true) problems.push("no bisect");
      if (!(mapping.maximum_retry_attempts >= 0)) problems.push("unbounded retries");
      if (!(mapping.maximum_record_age_in_seconds > 0)) problems.push("unbounded record age");
      if (!asList(mapping.function_response_types).includes("ReportBatchItemFailures")) {
        problems.push("no ReportBatchItemFailures");
      }
      if (!mapping.destination_config?.on_failure?.destination_arn)
        problems.push("no on-failure destination");
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  },
];

const EVENTBRIDGE_RULES: PolicyRule[] = [
  {
    id: "EventBridge.3",
    requirement: "the custom bus has a policy letting only named principals put events",
    types: ["aws_cloudwatch_event_bus"],
    offenders: (bus, _type, doc) => {
      const policies = all(doc, "aws_cloudwatch_event_bus_policy").filter(
        ([, policy]) =>
          ref(policy.event_bus_name)?.type === "aws_cloudwatch_event_bus" ||
          policy.event_bus_name === bus.name,
      );
      if (policies.length === 0) return "no aws_cloudwatch_event_bus_policy";
      const open = policies
        .flatMap(([, policy]) => statementsOf(policy.policy))
        .filter((statement) => statement.Effect === "Allow")
        .filter(
          (statement) =>
            principalOf(statement).star || !conditionKeys(statement).includes("aws:PrincipalArn"),
        );
      return open.length > 0
        ? `statements without aws:PrincipalArn: ${open.map((s) => s.Sid).join(", ")}`
        : undefined;
    },
  },
  {
    id: "EB-BUS-CMK-DLQ",
    requirement:
      "the bus is encrypted with the platform CMK, EventBridge may use the key, and the bus has a DLQ",
    types: ["aws_cloudwatch_event_bus"],
    offenders: (bus, _type, doc) => {
      const problems: string[] = [];
      if (ref(bus.kms_key_identifier)?.type !== "aws_kms_key") problems.push("no CMK");
      if (!queueIdOf(bus.dead_letter_config?.arn)) problems.push("no dead_letter_config");
      const grants = keyPolicyStatements(doc, bus.kms_key_identifier).filter((statement) =>
        principalOf(statement).service.includes("events.amazonaws.com"),
      );
      const complete = grants.some((grant) =>
        ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"].every((action) =>
          asList(grant.Action).includes(action),
        ),
      );
      if (!complete) {
        problems.push("key policy lacks DescribeKey/GenerateDataKey/Decrypt for events.amazonaws.com");
      }
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  },
  {
    id: "EB-ARCHIVE",
    requirement: "archives have finite retention, the CMK, and a pattern scoped to the platform's sources",
    types: ["aws_cloudwatch_event_archive"],
    offenders: (archive) => {
      const problems: string[] = [];
      if (!(archive.retention_days > 0)) problems.push("retention_days is 0 or unset (forever)");
      if (!archive.kms_key_identifier) problems.push("no CMK");
      const sources = asList(archive.event_pattern ? JSON.parse(archive.event_pattern).source : undefined);
      // A platform source (`webhooks.<provider>`), or all of them by the prefix `webhooks.`.
      const platform = (source: unknown) =>
        typeof source === "string"
          ? source.startsWith("webhooks.")
          : JSON.stringify(Object.keys(source ?? {})) === '["prefix"]' &&
            String((source as { prefix: unknown }).prefix).startsWith("webhooks.");
      if (sources.length === 0 || !sources.every(platform)) {
        problems.push(`pattern sources ${JSON.stringify(sources)}`);
      }
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  },
  {
    id: "EB-TARGET-RETRY-DLQ",
    requirement: "every target has a retry policy and a dead-letter queue",
    types: ["aws_cloudwatch_event_target"],
    offenders: (target) => {
      const retry = target.retry_policy;
      if (
        !retry ||
        retry.maximum_retry_attempts === undefined ||
        retry.maximum_event_age_in_seconds === undefined
      ) {
        return "no complete retry_policy";
      }
      return target.dead_letter_config?.arn ? undefined : "no dead_letter_config";
    },
  },
  {
    id: "EB-TARGET-DLQ-STANDARD",
    requirement: "target and bus DLQs are standard queues (EventBridge rejects FIFO DLQs)",
    types: ["aws_cloudwatch_event_target", "aws_cloudwatch_event_bus"],
    offenders: (resource, _type, doc) => {
      const dlq = resolve(doc, resource.dead_letter_config?.arn);
      if (!dlq) return "DLQ is not a queue of this stack";
      return dlq.attributes.fifo_queue === true ? "FIFO DLQ" : undefined;
    },
  },
  {
    id: "EB-QUEUE-SOURCEARN",
    requirement:
      "EventBridge may send to a target queue and its DLQ only on behalf of that rule (aws:SourceArn)",
    types: ["aws_cloudwatch_event_target"],
    offenders: (target, _type, doc) => {
      const rule = ref(target.rule);
      const ruleArn = rule ? `\${aws_cloudwatch_event_rule.${rule.id}.arn}` : undefined;
      const queues = [queueIdOf(target.arn), queueIdOf(target.dead_letter_config?.arn)].filter(
        (id): id is string => id !== undefined,
      );
      const missing = queues.filter(
        (id) =>
          !queuePolicyStatements(doc, id).some(
            (statement) =>
              statement.Effect === "Allow" &&
              principalOf(statement).service.includes("events.amazonaws.com") &&
              asList(statement.Action).includes("sqs:SendMessage") &&
              conditionValues(statement, "aws:SourceArn").includes(ruleArn!),
          ),
      );
      return missing.length > 0
        ? `no events SendMessage scoped to ${ruleArn} on ${missing.join(", ")}`
        : undefined;
    },
  },
  {
    id: "EB-KMS-QUEUE-DELIVERY",
    requirement: "the policy of each CMK queue's own key lets EventBridge encrypt into it, scoped by queue",
    types: ["aws_cloudwatch_event_target", "aws_cloudwatch_event_bus"],
    offenders: (resource, _type, doc) => {
      const queues = [queueIdOf(resource.arn), queueIdOf(resource.dead_letter_config?.arn)].filter(
        (id): id is string => id !== undefined,
      );
      const allowedOn = (queueId: string) =>
        keyPolicyStatements(doc, doc.resource.aws_sqs_queue[queueId].kms_master_key_id)
          .filter((statement) => principalOf(statement).service.includes("events.amazonaws.com"))
          .flatMap((statement) => conditionValues(statement, "kms:EncryptionContext:aws:sqs:arn"));
      const missing = queues.filter((id) => !allowedOn(id).includes(`\${aws_sqs_queue.${id}.arn}`));
      return missing.length > 0 ? `no key grant for ${missing.join(", ")}` : undefined;
    },
  },
];

const FIREHOSE_RULES: PolicyRule[] = [
  {
    id: "FIREHOSE-ARCHIVE",
    requirement:
      "the archive stream encrypts with the CMK, batches (≥ 1 MiB or 60 s), compresses, logs errors, and uses date prefixes without dynamic partitioning",
    types: ["aws_kinesis_firehose_delivery_stream"],
    offenders: (stream) => {
      const s3 = stream.extended_s3_configuration ?? {};
      const problems: string[] = [];
      const sse = stream.server_side_encryption;
      if (!sse?.enabled || sse.key_type !== "CUSTOMER_MANAGED_CMK") problems.push("stream SSE not the CMK");
      if (!s3.kms_key_arn) problems.push("objects not SSE-KMS");
      if (!(s3.buffering_size >= 1 && s3.buffering_interval >= 60)) problems.push("buffering too small");
      if (s3.compression_format !== "GZIP") problems.push("not GZIP");
      if (!s3.cloudwatch_logging_options?.enabled) problems.push("no error logging");
      if (s3.dynamic_partitioning_configuration?.enabled) problems.push("dynamic partitioning");
      if (!s3.error_output_prefix) problems.push("no error_output_prefix");
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  },
];

const SNS_AND_ALARM_RULES: PolicyRule[] = [
  {
    id: "CKV_AWS_26",
    requirement: "SNS topics are encrypted",
    types: ["aws_sns_topic"],
    offenders: (topic) => (topic.kms_master_key_id ? undefined : "no kms_master_key_id"),
  },
  {
    id: "AVD-AWS-0136",
    requirement:
      "SNS topics use the CMK, and the key lets CloudWatch publish to it (Decrypt + GenerateDataKey*)",
    types: ["aws_sns_topic"],
    offenders: (topic, _type, doc) => {
      if (ref(topic.kms_master_key_id)?.type !== "aws_kms_key") return `key ${topic.kms_master_key_id}`;
      const grant = keyPolicyStatements(doc, topic.kms_master_key_id).find((statement) =>
        principalOf(statement).service.includes("cloudwatch.amazonaws.com"),
      );
      const actions = asList(grant?.Action);
      return actions.includes("kms:Decrypt") && actions.includes("kms:GenerateDataKey*")
        ? undefined
        : "no kms:Decrypt + kms:GenerateDataKey* for cloudwatch.amazonaws.com";
    },
  },
  {
    id: "CKV_AWS_169",
    requirement: "topic policies are not public: only CloudWatch of this account publishes",
    types: ["aws_sns_topic_policy"],
    offenders: (policy) => {
      const open = statementsOf(policy.policy).filter((statement) => {
        if (statement.Effect !== "Allow") return false;
        const principal = principalOf(statement);
        return (
          principal.star ||
          principal.aws.length > 0 ||
          !conditionKeys(statement).includes("aws:SourceAccount")
        );
      });
      return open.length > 0 ? `open statements ${open.map((s) => s.Sid).join(", ")}` : undefined;
    },
  },
  {
    id: "CKV_AWS_319",
    requirement: "alarms have actions enabled",
    types: ["aws_cloudwatch_metric_alarm"],
    offenders: (alarm) => (alarm.actions_enabled === false ? "actions_enabled false" : undefined),
  },
  {
    id: "CloudWatch.15",
    requirement: "alarms notify a topic on ALARM and on OK",
    types: ["aws_cloudwatch_metric_alarm"],
    offenders: (alarm) =>
      asList(alarm.alarm_actions).length > 0 && asList(alarm.ok_actions).length > 0
        ? undefined
        : "no alarm_actions or ok_actions",
  },
  {
    id: "ALARM-MISSING-DATA",
    requirement:
      "every alarm decides how missing data reads (the default leaves idle alarms in INSUFFICIENT_DATA)",
    types: ["aws_cloudwatch_metric_alarm"],
    offenders: (alarm) =>
      ["notBreaching", "breaching", "ignore"].includes(alarm.treat_missing_data)
        ? undefined
        : "treat_missing_data unset",
  },
  {
    id: "OPS1-DLQ",
    requirement: "every dead-letter queue has a depth alarm",
    types: ["aws_sqs_queue"],
    offenders: (queue, _type, doc) => {
      const id = idOf(doc, "aws_sqs_queue", queue);
      if (!deadLetterQueueIds(doc).has(id)) return undefined;
      return hasAlarm(doc, "AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: queue.name })
        ? undefined
        : "no ApproximateNumberOfMessagesVisible alarm";
    },
  },
  {
    id: "OPS1-QUEUE-AGE",
    requirement: "every queue a function consumes has an age-of-oldest-message alarm",
    types: ["aws_lambda_event_source_mapping"],
    offenders: (mapping, _type, doc) => {
      const queue = resolve(doc, mapping.event_source_arn);
      if (!queue || ref(mapping.event_source_arn)?.type !== "aws_sqs_queue") return undefined;
      return hasAlarm(doc, "AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: queue.attributes.name })
        ? undefined
        : "no ApproximateAgeOfOldestMessage alarm";
    },
  },
  {
    id: "OPS1-FUNCTIONS",
    requirement: "every function has Errors and Throttles alarms",
    types: ["aws_lambda_function"],
    offenders: (fn, _type, doc) => {
      const missing = ["Errors", "Throttles"].filter(
        (metricName) => !hasAlarm(doc, "AWS/Lambda", metricName, { FunctionName: fn.function_name }),
      );
      return missing.length > 0 ? `no ${missing.join("/")} alarm` : undefined;
    },
  },
  {
    id: "OPS1-RULES",
    requirement: "every rule with a target alarms on FailedInvocations and InvocationsSentToDlq",
    types: ["aws_cloudwatch_event_rule"],
    offenders: (rule, _type, doc) => {
      const missing = ["FailedInvocations", "InvocationsSentToDlq"].filter(
        (metricName) => !hasAlarm(doc, "AWS/Events", metricName, { RuleName: rule.name }),
      );
      return missing.length > 0 ? `no ${missing.join("/")} alarm` : undefined;
    },
  },
  {
    id: "OPS1-API",
    requirement: "the API stage alarms on 5XXError and latency",
    types: ["aws_api_gateway_stage"],
    offenders: (stage, _type, doc) => {
      const missing = ["5XXError", "Latency"].filter(
        (metricName) => !hasAlarm(doc, "AWS/ApiGateway", metricName, { Stage: stage.stage_name }),
      );
      return missing.length > 0 ? `no ${missing.join("/")} alarm` : undefined;
    },
  },
];

export const DELIVERY_RULES: PolicyRule[] = [
  ...SQS_RULES,
  ...ESM_RULES,
  ...EVENTBRIDGE_RULES,
  ...FIREHOSE_RULES,
  ...SNS_AND_ALARM_RULES,
];

/** Resource ids of the dead-letter queues of a document (redrive, target, bus and on-failure DLQs). */
export function deadLetterQueuesOf(doc: any): string[] {
  return [...deadLetterQueueIds(doc)].sort();
}
