import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROVIDERS_OUTPUT } from "../../../stacks/stack-outputs";
import { tempDir } from "./cli-io";

/**
 * A Terraform reference as cdktf renders it. (The delivery tests' `refTo` is the same, but its
 * module loads cdktf and the constructs, seconds these CLI tests do without.)
 */
const ref = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;

/** What sets one hand-written environment stack apart from another. */
export interface PlatformStackSpec {
  /** `dev`, `prod`: names are `whk-<environment>-…`. */
  readonly environment: string;
  readonly region?: string;
  /** Provider ids; every one signs with the generic scheme. */
  readonly providers?: readonly string[];
  readonly dedupeTtlSeconds?: number;
}

/**
 * The least of a synthesized environment stack the CLI reads, written by hand (a synth per variant
 * would cost seconds): the providers output, the records table, the validator's environment, the
 * ingest queue and its DLQ, the bus with its DLQ and archive, one route (`payments`) and the
 * archive rule, each target with its DLQ, as `npm run synth` lays them out (references as
 * `${type.id.attr}`).
 */
export function platformStackDocument(spec: PlatformStackSpec): Record<string, unknown> {
  const name = (purpose: string) => `whk-${spec.environment}-${purpose}`;
  const queue = (purpose: string) => ({ name: name(purpose) });
  const providers = (spec.providers ?? ["acme", "stripe"]).map((id) => ({
    id,
    scheme: "generic",
    secretId: `whk-${spec.environment}/${id}/signing`,
    toleranceSeconds: 300,
  }));
  return {
    provider: { aws: [{ region: spec.region ?? "us-east-1" }] },
    output: { [PROVIDERS_OUTPUT]: { value: JSON.stringify(providers) } },
    resource: {
      aws_dynamodb_table: { table: { name: name("records"), hash_key: "webhookId" } },
      aws_lambda_function: {
        validator: {
          function_name: name("validator"),
          environment: {
            variables: {
              DEDUPE_TTL_SECONDS: String(spec.dedupeTtlSeconds ?? 604_800),
            },
          },
        },
        router: {
          function_name: name("router"),
          environment: { variables: { EVENT_SOURCE_PREFIX: "webhooks" } },
        },
      },
      aws_sqs_queue: {
        ingest: queue("ingest"),
        ingest_dlq: queue("ingest-dlq"),
        route_queue: queue("route-payments"),
        route_dlq: queue("route-payments-dlq"),
        route_target_dlq: queue("route-payments-target-dlq"),
        archive_target_dlq: queue("archive-target-dlq"),
        bus_dlq: queue("bus-dlq"),
      },
      aws_sqs_queue_redrive_policy: {
        ingest: {
          queue_url: ref("aws_sqs_queue", "ingest", "url"),
          redrive_policy: JSON.stringify({
            deadLetterTargetArn: ref("aws_sqs_queue", "ingest_dlq", "arn"),
            maxReceiveCount: 3,
          }),
        },
        route: {
          queue_url: ref("aws_sqs_queue", "route_queue", "url"),
          redrive_policy: JSON.stringify({
            deadLetterTargetArn: ref("aws_sqs_queue", "route_dlq", "arn"),
            maxReceiveCount: 5,
          }),
        },
      },
      aws_cloudwatch_event_bus: {
        bus: { name: name("bus"), dead_letter_config: { arn: ref("aws_sqs_queue", "bus_dlq", "arn") } },
      },
      aws_cloudwatch_event_archive: { archive: { name: name("archive"), retention_days: 30 } },
      aws_kinesis_firehose_delivery_stream: { stream: { name: name("archive") } },
      aws_cloudwatch_event_rule: {
        route: {
          name: name("route-payments"),
          event_bus_name: ref("aws_cloudwatch_event_bus", "bus", "name"),
          event_pattern: JSON.stringify({ source: ["webhooks.stripe"] }),
        },
        archive: {
          name: name("archive-all"),
          event_bus_name: ref("aws_cloudwatch_event_bus", "bus", "name"),
          event_pattern: JSON.stringify({ source: providers.map((p) => `webhooks.${p.id}`) }),
        },
      },
      aws_cloudwatch_event_target: {
        route: {
          rule: ref("aws_cloudwatch_event_rule", "route", "name"),
          arn: ref("aws_sqs_queue", "route_queue", "arn"),
          dead_letter_config: { arn: ref("aws_sqs_queue", "route_target_dlq", "arn") },
        },
        archive: {
          rule: ref("aws_cloudwatch_event_rule", "archive", "name"),
          arn: ref("aws_kinesis_firehose_delivery_stream", "stream", "arn"),
          dead_letter_config: { arn: ref("aws_sqs_queue", "archive_target_dlq", "arn") },
        },
      },
    },
  };
}

/** The regional stack: the region's API Gateway account setting and its CloudWatch role, nothing else. */
export function regionalStackDocument(region: string): Record<string, unknown> {
  return {
    provider: { aws: [{ region }] },
    resource: {
      aws_api_gateway_account: { account: { cloudwatch_role_arn: ref("aws_iam_role", "cloudwatch", "arn") } },
      aws_iam_role: { cloudwatch: { name: `whk-apigw-cloudwatch-${region}` } },
    },
  };
}

/**
 * A checkout where synth ran once per stack: `cdktf.out/stacks/<id>/cdk.tf.json` for each entry,
 * plus any other files (paths relative to the checkout). Returns the checkout's path.
 */
export function checkoutWith(
  stacks: Readonly<Record<string, unknown>>,
  files: Readonly<Record<string, string>> = {},
): string {
  const checkout = tempDir();
  for (const [id, doc] of Object.entries(stacks)) {
    mkdirSync(join(checkout, "cdktf.out/stacks", id), { recursive: true });
    writeFileSync(join(checkout, "cdktf.out/stacks", id, "cdk.tf.json"), JSON.stringify(doc));
  }
  for (const [path, content] of Object.entries(files)) writeFileSync(join(checkout, path), content);
  return checkout;
}
