import { ArchiveProvider } from "@cdktf/provider-archive/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { AwsContext } from "../../constructs/aws-context";
import { Ingress, type IngressQueue } from "../../constructs/ingress";
import { NameValidation } from "../../constructs/name-validation";
import { Naming } from "../../constructs/naming";
import { PayloadBucket } from "../../constructs/payload-bucket";
import { PlatformKey } from "../../constructs/platform-key";
import { SharedLayer } from "../../constructs/shared-layer";
import { WebhookApi } from "../../constructs/webhook-api";
import { WebhookTable } from "../../constructs/webhook-table";
import { DEFAULT_CONFIG, type PlatformConfig } from "../../stacks/config";
import { INGRESS_RULES } from "../policy/ingress-rules";
import { evaluate } from "../policy/rules";
import { bareScope } from "../support/scope";
import { resourcesOf } from "../support/synth";

/** Anything with a URL, an ARN, a size limit and a send grant can be the ingest queue. */
const queue: IngressQueue = {
  url: "https://sqs.us-east-1.amazonaws.com/123456789012/other-queue",
  arn: "arn:aws:sqs:us-east-1:123456789012:other-queue",
  maxMessageBytes: 262_144,
  grantSend: (grantee) => grantee.addToPolicy({ actions: ["sqs:SendMessage"], resources: [queue.arn] }),
};

/** A stack with only the ingress and what it needs, built with non-default options. */
function ingressStack(
  options: Partial<ConstructorParameters<typeof Ingress>[2]>,
  config: PlatformConfig = DEFAULT_CONFIG,
) {
  const stack = new TerraformStack(Testing.app(), "ingress-options");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new ArchiveProvider(stack, "archive");
  const naming = new Naming({
    prefix: "whk",
    environment: "dev",
    region: "us-east-1",
    accountId: "123456789012",
  });
  const context = new AwsContext(stack, "context", { region: "us-east-1" });
  const key = new PlatformKey(stack, "key", { naming, context });
  const base = { naming, context, key };
  const table = new WebhookTable(stack, "table", base);
  const bucket = new PayloadBucket(stack, "payloads", base);
  const layer = new SharedLayer(stack, "layer", { naming });
  new Ingress(stack, "ingress", { ...base, table, bucket, queue, layer, config, ...options });
  stack.node.addValidation(new NameValidation(stack, naming));
  return stack;
}

const stack = ingressStack({
  genericApiKeyRequired: false,
  wafLogging: false,
  secretCacheSeconds: 60,
  metricsNamespace: "Payments",
});
const json = Testing.synth(stack, true);
const doc = JSON.parse(json);
// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
const methods = resourcesOf(doc, "aws_api_gateway_method").map(([id, m]) => [id, m] as [string, any]);

describe("generic route without an API key (genericApiKeyRequired: false)", () => {
  test("the generic method needs no API key", () => {
    const [, generic] = methods.find(([id]) => id.includes("method-webhook_"))!;
    expect(generic.api_key_required).toBe(false);
  });

  test("its Checkov suppression gives the configured-open reason", () => {
    // biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
    const raw = stack.toTerraform() as any;
    const [, generic] = Object.entries(raw.resource.aws_api_gateway_method).find(
      ([id]) => id.includes("method-webhook_"),
      // biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
    )! as [string, any];
    expect(generic["//"].checkov.skip[0]).toEqual({
      id: "CKV_AWS_59",
      comment: expect.stringContaining("Generic route opened"),
    });
  });
});

describe("other options", () => {
  test("without WAF logging there is no logging configuration and no aws-waf-logs group", () => {
    expect(resourcesOf(doc, "aws_wafv2_web_acl_logging_configuration")).toEqual([]);
    expect(resourcesOf(doc, "aws_cloudwatch_log_group").map(([, g]) => g.name)).not.toContainEqual(
      expect.stringMatching(/^aws-waf-logs-/),
    );
  });

  test("the secret cache, metrics namespace and queue size reach the validator", () => {
    const [[, fn]] = resourcesOf(doc, "aws_lambda_function");
    expect(fn.environment.variables).toEqual(
      expect.objectContaining({
        SECRET_CACHE_SECONDS: "60",
        POWERTOOLS_METRICS_NAMESPACE: "Payments",
        QUEUE_MAX_MESSAGE_BYTES: "262144",
        QUEUE_URL: queue.url,
      }),
    );
  });

  test("every ingress rule holds with these options", () => {
    const applicable = INGRESS_RULES.filter((rule) =>
      rule.types.some((type) => resourcesOf(doc, type).length > 0),
    );
    expect(applicable.flatMap((rule) => evaluate(rule, doc))).toEqual([]);
  });
});

describe("misconfiguration fails synth with a message naming the fix", () => {
  test("a provider may not take the generic route's endpoint name", () => {
    const config = { ...DEFAULT_CONFIG, providers: [{ id: "webhook", scheme: "generic" as const }] };
    expect(() => ingressStack({}, config)).toThrow(/provider id "webhook" is reserved/);
  });

  test("a method without an API key needs a documented reason", () => {
    const { root: bare, naming, context, key } = bareScope("api-only");
    expect(
      () =>
        new WebhookApi(bare, "api", {
          naming,
          context,
          key,
          handler: { arn: "arn:aws:lambda:us-east-1:123456789012:function:f", invokeArn: "arn" },
          endpoints: [{ id: "x", path: ["x"], requiredHeaders: ["X-Sig"], apiKeyRequired: false }],
        }),
    ).toThrow(/needs unauthenticatedReason/);
  });
});
