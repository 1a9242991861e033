// biome-ignore-all lint/suspicious/noExplicitAny: Terraform JSON is untyped by nature
import { ArchiveProvider } from "@cdktf/provider-archive/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { AwsContext } from "../../constructs/aws-context";
import { Delivery } from "../../constructs/delivery";
import { IngestQueue, type IngestQueueProps } from "../../constructs/ingest-queue";
import { NameValidation } from "../../constructs/name-validation";
import { Naming } from "../../constructs/naming";
import { PayloadBucket } from "../../constructs/payload-bucket";
import { PlatformKey } from "../../constructs/platform-key";
import { SharedLayer } from "../../constructs/shared-layer";
import { WebhookTable } from "../../constructs/webhook-table";
import { DEFAULT_CONFIG, type PlatformConfig, validateConfig } from "../../stacks/config";
import { resourcesOf } from "../support/synth";

/** The one resource of a type whose attributes satisfy `where`; throws when there is not exactly one. */
export function only(
  doc: any,
  type: string,
  where: (attributes: any) => boolean = () => true,
): [string, any] {
  const found = resourcesOf(doc, type).filter(([, attributes]) => where(attributes));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** The resource of a type whose `attribute` equals `value`. */
export function named(doc: any, type: string, value: string, attribute = "name"): any {
  return only(doc, type, (attributes) => attributes[attribute] === value)[1];
}

/** The Terraform reference to a resource attribute, as cdktf renders it. */
export function refTo(type: string, id: string, attribute: string): string {
  return `\${${type}.${id}.${attribute}}`;
}

/** The statements of a JSON policy string. */
export function statements(policy: string): any[] {
  const parsed = JSON.parse(policy).Statement;
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** The inline-policy statements of the role named `roleName`. */
export function roleStatements(doc: any, roleName: string): any[] {
  const [roleId] = only(doc, "aws_iam_role", (role) => role.name === roleName);
  const [, policy] = only(doc, "aws_iam_role_policy", (p) => p.role === refTo("aws_iam_role", roleId, "id"));
  return statements(policy.policy);
}

/** Every action a role may perform on `resource`, sorted and de-duplicated. */
export function actionsOn(roleStatementsList: readonly any[], resource: string): string[] {
  const actions = roleStatementsList
    .filter((s) => [s.Resource].flat().includes(resource))
    .flatMap((s) => [s.Action].flat());
  return [...new Set(actions as string[])].sort();
}

/** The resource policy statements of the queue with `queueId`. */
export function queuePolicyStatements(doc: any, queueId: string): any[] {
  const [, policy] = only(
    doc,
    "aws_sqs_queue_policy",
    (p) => p.queue_url === refTo("aws_sqs_queue", queueId, "url"),
  );
  return statements(policy.policy);
}

/** The stack's two keys by construct id: the data key and the operations key (DLQs, alarm topic). */
export type KeyConstruct = "key" | "operations-key";

/** The logical id of the `aws_kms_key` (or its `aws_kms_key_policy`) made by that construct. */
export function keyIdOf(doc: any, construct: KeyConstruct, type = "aws_kms_key"): string {
  const id = new RegExp(`^${construct}_${type === "aws_kms_key" ? "" : "policy_"}[0-9A-F]{8}$`);
  const ids = resourcesOf(doc, type)
    .map(([logicalId]) => logicalId)
    .filter((logicalId) => id.test(logicalId));
  if (ids.length !== 1) throw new Error(`expected one ${type} of ${construct}, found ${ids.length}`);
  return ids[0]!;
}

/** `${aws_kms_key.<id>.arn}` of that construct's key. */
export function keyArnOf(doc: any, construct: KeyConstruct = "key"): string {
  return refTo("aws_kms_key", keyIdOf(doc, construct), "arn");
}

/** The statement with `sid` in the policy of that construct's key. */
export function keyStatement(doc: any, sid: string, construct: KeyConstruct = "key"): any {
  const policy = resourcesOf(doc, "aws_kms_key_policy").find(
    ([id]) => id === keyIdOf(doc, construct, "aws_kms_key_policy"),
  )![1];
  return statements(policy.policy).find((s) => s.Sid === sid);
}

export const STUB_INGRESS = {
  restApiName: "whk-dev-webhooks",
  stageName: "whk-dev-live",
  validator: { functionName: "whk-dev-validator" },
  validatorService: "whk-dev-validator",
};

/**
 * A stack of the delivery half only, around an ingest queue built with `queue` props (the
 * WebhookStack always builds a standard queue): provider, key, layer, table, bucket, queue and
 * Delivery with a stub ingress, validated like `cdktf synth`.
 */
export function synthDeliveryStack(
  queue: Partial<IngestQueueProps>,
  overrides: Partial<PlatformConfig> = {},
): { doc: any; delivery: Delivery; ingest: IngestQueue } {
  const config = validateConfig({ ...DEFAULT_CONFIG, ...overrides });
  const stack = new TerraformStack(Testing.app(), "delivery-only");
  new AwsProvider(stack, "aws", { region: config.region });
  new ArchiveProvider(stack, "archive");
  const naming = new Naming({
    prefix: config.prefix,
    environment: config.environment,
    suffix: config.environmentSuffix,
    region: config.region,
    accountId: "123456789012",
  });
  const context = new AwsContext(stack, "context", { region: config.region });
  const key = new PlatformKey(stack, "key", { naming, context });
  const operationsKey = new PlatformKey(stack, "operations-key", { naming, context, purpose: "operations" });
  const layer = new SharedLayer(stack, "layer", { naming });
  const base = { naming, context, key };
  const table = new WebhookTable(stack, "table", base);
  const bucket = new PayloadBucket(stack, "payloads", base);
  const ingest = new IngestQueue(stack, "ingest", { ...base, ...queue });
  const delivery = new Delivery(stack, "delivery", {
    ...base,
    table,
    bucket,
    queue: ingest,
    operationsKey,
    layer,
    config,
    ingress: STUB_INGRESS,
  });
  stack.node.addValidation(new NameValidation(stack, naming));
  return { doc: JSON.parse(Testing.synth(stack, true)), delivery, ingest };
}
