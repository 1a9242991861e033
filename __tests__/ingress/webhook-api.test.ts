import { ApiGatewayApiKey } from "@cdktf/provider-aws/lib/api-gateway-api-key";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayRequestValidator } from "@cdktf/provider-aws/lib/api-gateway-request-validator";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayUsagePlanKey } from "@cdktf/provider-aws/lib/api-gateway-usage-plan-key";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { invokePathPattern, WebhookApi } from "../../constructs/webhook-api";
import { DEFAULT_CONFIG } from "../../stacks/config";
import { resourcesOf, synthStack } from "../support/synth";

const { json, doc, stack } = synthStack();

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
type Json = any;
const idEndingIn = (type: string, id: string): [string, Json] => {
  const found = resourcesOf(doc, type).find(([logicalId]) => logicalId.startsWith(`ingress_api_${id}_`));
  if (!found) throw new Error(`no ${type} ${id}`);
  return found;
};
const ref = (type: string, id: string, attribute: string) =>
  `\${${type}.${idEndingIn(type, id)[0]}.${attribute}}`;
const method = (endpoint: string) => idEndingIn("aws_api_gateway_method", `method-${endpoint}`)[1];
const [[restApiId]] = resourcesOf(doc, "aws_api_gateway_rest_api");
const restApiRef = `\${aws_api_gateway_rest_api.${restApiId}.id}`;
const stageRef = (attribute: string) => ref("aws_api_gateway_stage", "stage", attribute);
const [[functionId]] = resourcesOf(doc, "aws_lambda_function").filter(([id]) =>
  id.startsWith("ingress_validator"),
);

/** Configured providers with the signature header their scheme signs with. */
const PROVIDER_HEADERS = [
  ["acme", "X-Webhook-Signature"],
  ["stripe", "Stripe-Signature"],
  ["github", "X-Hub-Signature-256"],
  ["shopify", "X-Shopify-Hmac-Sha256"],
  ["slack", "X-Slack-Signature"],
  ["svix", "svix-signature"],
] as const;

describe("rest api", () => {
  test("is regional, named by the naming module, keys from the x-api-key header", () => {
    expect(json).toHaveResourceWithProperties(ApiGatewayRestApi, {
      name: "whk-dev-webhooks",
      endpoint_configuration: { types: ["REGIONAL"] },
      api_key_source: "HEADER",
    });
  });

  test("treats every media type as binary, so bodies reach the Lambda base64 and byte-exact", () => {
    expect(json).toHaveResourceWithProperties(ApiGatewayRestApi, { binary_media_types: ["*/*"] });
  });

  test("has one literal resource per configured provider under /webhooks, and /webhook", () => {
    const paths = resourcesOf(doc, "aws_api_gateway_resource").map(([, resource]) => resource.path_part);
    expect(paths.sort()).toEqual([
      "acme",
      "github",
      "shopify",
      "slack",
      "stripe",
      "svix",
      "webhook",
      "webhooks",
    ]);
    expect(paths.some((part) => part.includes("{"))).toBe(false);
  });

  test("provider resources hang under /webhooks, /webhooks and /webhook under the root", () => {
    const webhooksId = ref("aws_api_gateway_resource", "resource-webhooks", "id");
    const root = `\${aws_api_gateway_rest_api.${restApiId}.root_resource_id}`;
    expect(idEndingIn("aws_api_gateway_resource", "resource-webhooks-stripe")[1].parent_id).toBe(webhooksId);
    expect(idEndingIn("aws_api_gateway_resource", "resource-webhooks")[1].parent_id).toBe(root);
    expect(idEndingIn("aws_api_gateway_resource", "resource-webhook")[1].parent_id).toBe(root);
  });
});

describe("methods", () => {
  test.each(PROVIDER_HEADERS)("the %s method requires the %s header", (provider, header) => {
    expect(method(provider)).toEqual(
      expect.objectContaining({
        http_method: "POST",
        resource_id: ref("aws_api_gateway_resource", `resource-webhooks-${provider}`, "id"),
        request_parameters: { [`method.request.header.${header}`]: true },
      }),
    );
  });

  test("the generic method requires X-Provider-ID and X-Webhook-Signature", () => {
    expect(method("webhook").request_parameters).toEqual({
      "method.request.header.X-Provider-ID": true,
      "method.request.header.X-Webhook-Signature": true,
    });
  });

  test("the generic method requires an API key by default", () => {
    expect(method("webhook").api_key_required).toBe(true);
  });

  test.each(["stripe", "github", "shopify", "slack", "svix"])(
    "the %s method needs no API key (third-party senders cannot add one)",
    (provider) => {
      expect(method(provider).api_key_required).toBe(false);
    },
  );

  test("a provider configured with apiKeyRequired gets an API key on its method", () => {
    expect(DEFAULT_CONFIG.providers.find((p) => p.id === "acme")?.apiKeyRequired).toBe(true);
    expect(method("acme").api_key_required).toBe(true);
  });

  test("every method uses no authorizer (the Lambda verifies the HMAC)", () => {
    for (const [, m] of resourcesOf(doc, "aws_api_gateway_method")) expect(m.authorization).toBe("NONE");
  });

  test("methods without an API key carry the Checkov suppression with its reason in cdk.tf.json", () => {
    const raw = stack.toTerraform() as Json;
    const stripe = Object.entries(raw.resource.aws_api_gateway_method).find(([id]) =>
      id.includes("method-stripe"),
    )![1] as Json;
    expect(stripe["//"].checkov.skip).toEqual([
      { id: "CKV_AWS_59", comment: expect.stringContaining("HMAC signature") },
      { id: "CKV2_AWS_70", comment: expect.stringContaining("HMAC signature") },
    ]);
    const generic = Object.entries(raw.resource.aws_api_gateway_method).find(([id]) =>
      id.includes("method-webhook"),
    )![1] as Json;
    expect(generic["//"].checkov).toBeUndefined();
  });
});

describe("request validation", () => {
  test("a headers-only validator validates request parameters, not bodies", () => {
    expect(json).toHaveResourceWithProperties(ApiGatewayRequestValidator, {
      name: "whk-dev-headers",
      validate_request_parameters: true,
      validate_request_body: false,
    });
  });

  test("bodies are not validated at the gateway: no model, no body validator (the plan promises no check that does not run)", () => {
    // A model applies to its exact content type only (not Stripe's application/json; charset=utf-8),
    // and every body arrives as binary (*/*): the validator parses bodies after the signature.
    expect(resourcesOf(doc, "aws_api_gateway_model")).toEqual([]);
    expect(
      resourcesOf(doc, "aws_api_gateway_request_validator").map(([, v]) => v.validate_request_body),
    ).toEqual([false]);
  });

  test.each([...PROVIDER_HEADERS.map(([provider]) => provider), "webhook"])(
    "the %s method validates its required headers only",
    (endpoint) => {
      expect(method(endpoint).request_validator_id).toBe(
        ref("aws_api_gateway_request_validator", "validator-params", "id"),
      );
      expect(method(endpoint).request_models).toBeUndefined();
    },
  );
});

describe("integrations and permissions", () => {
  test.each([...PROVIDER_HEADERS.map(([provider]) => provider), "webhook"])(
    "the %s method proxies to the validator (AWS_PROXY, POST)",
    (endpoint) => {
      expect(idEndingIn("aws_api_gateway_integration", `integration-${endpoint}`)[1]).toEqual(
        expect.objectContaining({
          type: "AWS_PROXY",
          integration_http_method: "POST",
          http_method: ref("aws_api_gateway_method", `method-${endpoint}`, "http_method"),
          uri: `\${aws_lambda_function.${functionId}.invoke_arn}`,
        }),
      );
    },
  );

  test("one lambda permission covers every route: stage, POST and the routes' common path", () => {
    expect(resourcesOf(doc, "aws_lambda_permission")).toEqual([
      [
        expect.stringMatching(/^ingress_api_permission_/),
        {
          statement_id: "whk-dev-api-post",
          action: "lambda:InvokeFunction",
          function_name: `\${aws_lambda_function.${functionId}.arn}`,
          principal: "apigateway.amazonaws.com",
          source_arn: `${stageRef("execution_arn")}/POST/webhook*`,
        },
      ],
    ]);
  });

  test.each([
    ["one endpoint: its path, no wildcard", [["webhooks", "stripe"]], "webhooks/stripe"],
    [
      "providers and the generic route",
      [["webhooks", "stripe"], ["webhooks", "github"], ["webhook"]],
      "webhook*",
    ],
    [
      "providers only",
      [
        ["webhooks", "stripe"],
        ["webhooks", "shopify"],
      ],
      "webhooks/s*",
    ],
    ["paths sharing nothing", [["a"], ["b"]], "*"],
  ])("the permission's path for %s", (_case, paths, pattern) => {
    expect(invokePathPattern(paths.map((path) => ({ path })))).toBe(pattern);
  });
});

describe("deployment and stage", () => {
  const [[, deployment]] = resourcesOf(doc, "aws_api_gateway_deployment");

  test("the deployment is created before the old one is destroyed", () => {
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("the deployment triggers hash the configuration and the ids of everything it snapshots", () => {
    expect(deployment.triggers.configuration).toMatch(/^[0-9a-f]{64}$/);
    const ids: string = deployment.triggers.resources;
    expect(ids).toMatch(/^\$\{sha1\(jsonencode\(\[.*\]\)\)\}$/);
    for (const type of [
      "aws_api_gateway_resource",
      "aws_api_gateway_method",
      "aws_api_gateway_integration",
      "aws_api_gateway_model",
      "aws_api_gateway_request_validator",
      "aws_api_gateway_gateway_response",
    ]) {
      for (const [id] of resourcesOf(doc, type)) expect(ids).toContain(`${type}.${id}.id`);
    }
  });

  test("the stage runs the deployment with X-Ray tracing", () => {
    expect(json).toHaveResourceWithProperties(ApiGatewayStage, {
      stage_name: "whk-dev-live",
      rest_api_id: restApiRef,
      deployment_id: `\${aws_api_gateway_deployment.${resourcesOf(doc, "aws_api_gateway_deployment")[0]![0]}.id}`,
      xray_tracing_enabled: true,
    });
  });

  test("the stage writes JSON access logs to the access log group", () => {
    const [, stage] = idEndingIn("aws_api_gateway_stage", "stage");
    expect(stage.access_log_settings.destination_arn).toBe(
      `\${aws_cloudwatch_log_group.${resourcesOf(doc, "aws_cloudwatch_log_group").find(([id]) => id.startsWith("ingress_api_access-logs"))![0]}.arn}`,
    );
    const format = JSON.parse(stage.access_log_settings.format);
    expect(format).toEqual(
      expect.objectContaining({
        requestId: "$context.requestId",
        ip: "$context.identity.sourceIp",
        status: "$context.status",
      }),
    );
  });

  test("the access log names the reason of every request API Gateway refused itself", () => {
    const [, stage] = idEndingIn("aws_api_gateway_stage", "stage");
    // WAF blocks, throttles, quotas, missing headers and failed invocations end here, never in the
    // validator's log: their error type, message and the integration's error are the only record.
    expect(JSON.parse(stage.access_log_settings.format)).toMatchObject({
      error: "$context.error.responseType",
      errorMessage: "$context.error.message",
      integrationError: "$context.integrationErrorMessage",
    });
  });

  test("the access log format holds no header values", () => {
    const [, stage] = idEndingIn("aws_api_gateway_stage", "stage");
    expect(stage.access_log_settings.format).not.toMatch(/header|userAgent|\$input/i);
  });

  test("the access log group is encrypted with the platform key and keeps 30 days", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/apigateway/whk-dev-api-access",
      retention_in_days: 30,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\..*\.arn\}$/),
    });
  });

  test("method settings throttle every method from config.limits, with metrics and ERROR logs but no data trace", () => {
    expect(json).toHaveResourceWithProperties(ApiGatewayMethodSettings, {
      rest_api_id: restApiRef,
      stage_name: stageRef("stage_name"),
      method_path: "*/*",
      settings: {
        throttling_rate_limit: 1_000,
        throttling_burst_limit: 2_000,
        metrics_enabled: true,
        logging_level: "ERROR",
        data_trace_enabled: false,
      },
    });
  });

  test("the account-wide API Gateway CloudWatch role is not in the environment's stack (the regional stack owns it)", () => {
    expect(resourcesOf(doc, "aws_api_gateway_account")).toEqual([]);
  });
});

describe("trace sampling", () => {
  const [[, rule]] = resourcesOf(doc, "aws_xray_sampling_rule");

  test("the stage has its own X-Ray sampling rule, matched by its ARN, ahead of X-Ray's default (priority 10000)", () => {
    expect(rule).toMatchObject({
      rule_name: "whk-dev-api",
      service_name: "*",
      service_type: "AWS::ApiGateway::Stage",
      resource_arn: stageRef("arn"),
      host: "*",
      http_method: "*",
      url_path: "*",
      version: 1,
    });
    expect(rule.priority).toBeLessThan(10_000);
  });

  test("traces one request a second and nothing past it: $0.10 a million at 50 requests/s", () => {
    expect([rule.reservoir_size, rule.fixed_rate]).toEqual([1, 0]);
  });

  test.each([
    [{ reservoirPerSecond: -1 }, /reservoirPerSecond must be an integer ≥ 0/],
    [{ reservoirPerSecond: 0.5 }, /reservoirPerSecond must be an integer ≥ 0/],
    [{ fixedRate: 1.5 }, /fixedRate must be between 0 and 1/],
  ])("rejects sampling %j", (traceSampling, message) => {
    expect(
      () =>
        new WebhookApi(stack, `probe-${JSON.stringify(traceSampling)}`, {
          naming: stack.naming,
          context: stack.context,
          key: stack.key,
          handler: { arn: "arn", invokeArn: "arn" },
          endpoints: [],
          traceSampling,
        }),
    ).toThrow(message);
  });
});

describe("gateway responses", () => {
  const responses = Object.fromEntries(
    resourcesOf(doc, "aws_api_gateway_gateway_response").map(([, r]) => [r.response_type, r]),
  );

  test.each([
    ["DEFAULT_4XX", undefined],
    ["DEFAULT_5XX", undefined],
    ["BAD_REQUEST_PARAMETERS", "400"],
    ["BAD_REQUEST_BODY", "400"],
    ["MISSING_AUTHENTICATION_TOKEN", "403"],
    ["INVALID_API_KEY", "403"],
    ["ACCESS_DENIED", "403"],
    ["WAF_FILTERED", "403"],
    ["REQUEST_TOO_LARGE", "413"],
    ["THROTTLED", "429"],
    ["QUOTA_EXCEEDED", "429"],
  ])("%s answers %s with a JSON body", (type, status) => {
    expect(responses[type]).toEqual(
      expect.objectContaining({
        rest_api_id: restApiRef,
        response_templates: {
          "application/json":
            '{"message":$context.error.messageString,"type":"$context.error.responseType","requestId":"$context.requestId"}',
        },
      }),
    );
    expect(responses[type].status_code).toBe(status);
  });
});

describe("usage plan and API key", () => {
  test("the usage plan applies quota and throttle from config.limits to the stage", () => {
    expect(json).toHaveResourceWithProperties(ApiGatewayUsagePlan, {
      name: "whk-dev-webhooks",
      api_stages: [{ api_id: restApiRef, stage: stageRef("stage_name") }],
      quota_settings: { limit: 100_000, period: "DAY" },
      throttle_settings: { rate_limit: 1_000, burst_limit: 2_000 },
    });
  });

  test("an API key (value generated by API Gateway) is bound to the usage plan", () => {
    expect(json).toHaveResourceWithProperties(ApiGatewayApiKey, { name: "whk-dev-webhooks", enabled: true });
    const [[keyId]] = resourcesOf(doc, "aws_api_gateway_api_key");
    const [[planId]] = resourcesOf(doc, "aws_api_gateway_usage_plan");
    expect(json).toHaveResourceWithProperties(ApiGatewayUsagePlanKey, {
      key_id: `\${aws_api_gateway_api_key.${keyId}.id}`,
      key_type: "API_KEY",
      usage_plan_id: `\${aws_api_gateway_usage_plan.${planId}.id}`,
    });
    const [[, key]] = resourcesOf(doc, "aws_api_gateway_api_key");
    expect(key.value).toBeUndefined();
  });
});

describe("ingress outputs", () => {
  test("endpoints give the full URL per provider and the generic route", () => {
    const { endpoints } = stack.ingress;
    expect(Object.keys(endpoints).sort()).toEqual([
      "acme",
      "github",
      "shopify",
      "slack",
      "stripe",
      "svix",
      "webhook",
    ]);
    expect(doc.output.endpoint_stripe.value).toBe(`${stageRef("invoke_url")}/webhooks/stripe`);
    expect(doc.output.endpoint_webhook.value).toBe(`${stageRef("invoke_url")}/webhook`);
  });

  test("the stack outputs one endpoint per provider", () => {
    expect(Object.keys(doc.output)).toEqual(
      expect.arrayContaining([
        "api_invoke_url",
        "endpoint_stripe",
        "endpoint_webhook",
        "validator_function_name",
      ]),
    );
  });

  test("alarms get the API name, stage name and web ACL name as plain strings", () => {
    expect(stack.ingress.restApiName).toBe("whk-dev-webhooks");
    expect(stack.ingress.stageName).toBe("whk-dev-live");
    expect(stack.ingress.webAclName).toBe("whk-dev-ingress");
  });
});
