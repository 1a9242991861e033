import { createHash } from "node:crypto";
import { ApiGatewayApiKey } from "@cdktf/provider-aws/lib/api-gateway-api-key";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayRequestValidator } from "@cdktf/provider-aws/lib/api-gateway-request-validator";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayUsagePlanKey } from "@cdktf/provider-aws/lib/api-gateway-usage-plan-key";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { XraySamplingRule } from "@cdktf/provider-aws/lib/xray-sampling-rule";
import { Fn, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { EncryptedLogGroup } from "./encrypted-log-group";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";

/**
 * A further method on an endpoint's resource: a sender's GET or HEAD handshake, proxied to the
 * same handler, with the endpoint's API-key requirement.
 */
export interface EndpointHandshakeMethod {
  readonly method: "GET" | "HEAD";
  /** Headers every such request carries; a request without one gets API Gateway's 400. */
  readonly requiredHeaders: readonly string[];
  /** Query parameters every such request carries (Dropbox's `challenge`). */
  readonly requiredQueryStrings: readonly string[];
  /**
   * Why the method may be called without an API key, for the Checkov suppression. Required when
   * the endpoint takes none.
   * @default - none
   */
  readonly unauthenticatedReason?: string;
}

/** One `POST` route of the API (and its handshake methods), proxied to the handler. */
export interface WebhookEndpoint {
  /** Key of {@link WebhookApi.endpoints} and of the logical ids, e.g. `stripe` or `webhook`. */
  readonly id: string;
  /** Literal path segments under the root, e.g. `["webhooks", "stripe"]` (no `{param}`). */
  readonly path: readonly string[];
  /**
   * Headers the method request requires; a request without one gets API Gateway's 400. Empty for
   * senders whose signature is in the body or that send unsigned handshakes (the validator checks them).
   */
  readonly requiredHeaders: readonly string[];
  /** Require an `x-api-key` of the usage plan. */
  readonly apiKeyRequired: boolean;
  /**
   * Why this method may be called without an API key (third-party senders cannot add one); written
   * into the method as the scanner suppression of CKV_AWS_59 / CKV2_AWS_70. Required when
   * `apiKeyRequired` is false.
   * @default - none
   */
  readonly unauthenticatedReason?: string;
  /** GET or HEAD methods the endpoint's sender uses for its handshake. @default none */
  readonly handshakes?: readonly EndpointHandshakeMethod[];
}

/** The Lambda function behind every route. */
export interface WebhookApiHandler {
  readonly arn: string;
  readonly invokeArn: string;
}

export interface WebhookApiProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  readonly handler: WebhookApiHandler;
  readonly endpoints: readonly WebhookEndpoint[];
  /** Stage steady-state requests per second (all methods). @default 1000 */
  readonly throttleRateLimit?: number;
  /** Stage burst. @default 2000 */
  readonly throttleBurstLimit?: number;
  /** Usage-plan requests per day for the API key. @default 100000 */
  readonly quotaPerDay?: number;
  /**
   * Access and execution log retention. Both need the region's API Gateway CloudWatch role (the
   * regional stack's ApiGatewayAccount, or one the account already has).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /** Names the stage. @default "live" */
  readonly stagePurpose?: string;
  /**
   * The stage's own sampling rule. X-Ray's default rule (1 a second + 5 %) traces about 3.5 requests
   * a second at 50/s ($0.35 a million webhooks); one a second, the default here, costs $0.10 a
   * million at that rate and still traces every request of a quiet stage.
   * @default { reservoirPerSecond: 1, fixedRate: 0, priority: 100 }
   */
  readonly traceSampling?: TraceSampling;
}

/**
 * Every body arrives base64-encoded and byte-exact: the HMAC is over the raw bytes, whatever the
 * (or no) Content-Type. Bodies are therefore not validated at the gateway: a request model applies
 * only to the exact content type it is keyed by (`application/json`, not Stripe's
 * `application/json; charset=utf-8`), so it would be a check a plan shows and most requests skip.
 * The validator parses every body strictly after the signature.
 */
export const BINARY_MEDIA_TYPES = ["*/*"] as const;

/** JSON error bodies for API Gateway's own rejections; status `undefined` keeps the type's default. */
export const GATEWAY_RESPONSES: Readonly<Record<string, number | undefined>> = {
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  MISSING_AUTHENTICATION_TOKEN: 403,
  INVALID_API_KEY: 403,
  ACCESS_DENIED: 403,
  WAF_FILTERED: 403,
  REQUEST_TOO_LARGE: 413,
  THROTTLED: 429,
  QUOTA_EXCEEDED: 429,
};

/** The body of every gateway response (Velocity): message, response type and request id as JSON. */
export const GATEWAY_RESPONSE_TEMPLATE =
  '{"message":$context.error.messageString,"type":"$context.error.responseType","requestId":"$context.requestId"}';

/**
 * Access log line, one a request and for an accepted webhook the only line besides the audit
 * trail, so it holds what the runbook reads and no more: the request id (the validator's warnings
 * and errors carry it), source IP, endpoint, status and latency; for a request API Gateway ended
 * itself (WAF block, throttle, quota, a missing required header, a failed or timed-out invocation)
 * the error type, message and the integration's error. The log event has the time; the method
 * tells a handshake's GET or HEAD from a delivery. No header values (the signature is a
 * credential, the API key a secret).
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  method: "$context.httpMethod",
  path: "$context.resourcePath",
  status: "$context.status",
  latencyMs: "$context.responseLatency",
  error: "$context.error.responseType",
  errorMessage: "$context.error.message",
  integrationError: "$context.integrationErrorMessage",
});

/** The stage's X-Ray sampling rule: what API Gateway traces, and with it the validator. */
export interface TraceSampling {
  /** Requests traced each second before `fixedRate` applies, across the whole stage. @default 1 */
  readonly reservoirPerSecond?: number;
  /** Share (0–1) of the requests past the reservoir that are traced. @default 0 */
  readonly fixedRate?: number;
  /** Rules are evaluated by ascending priority; X-Ray's default rule is 10000. @default 100 */
  readonly priority?: number;
}

/**
 * The regional REST API webhooks arrive at. One literal resource and `POST` method per endpoint
 * (and on the same resource the GET or HEAD its sender's handshake uses), each with a request
 * validator requiring its headers (and query parameters) and an AWS_PROXY integration to the
 * handler; one Lambda permission per method, naming stage, method and the common path of the
 * endpoints that have it ({@link invokePathPattern}). `binary_media_types = ["*\/*"]`. A deployment whose `triggers`
 * hash everything it snapshots (`create_before_destroy`); a stage with X-Ray, JSON
 * access logs, throttling, metrics and ERROR execution logging without data trace, both into
 * CMK-encrypted log groups with retention that the stack owns (the execution log group has the name
 * API Gateway would otherwise create without either); JSON gateway responses; a usage plan (quota +
 * throttle) bound to an API key and the stage.
 */
export class WebhookApi extends Construct {
  readonly restApiId: string;
  readonly restApiName: string;
  readonly stageName: string;
  /** The stage ARN, for the WAF association. */
  readonly stageArn: string;
  /** `https://<id>.execute-api.<region>.amazonaws.com/<stage>`. */
  readonly invokeUrl: string;
  /** Full URL per endpoint id. */
  readonly endpoints: Readonly<Record<string, string>>;
  readonly apiKeyId: string;
  readonly usagePlanId: string;
  readonly accessLogGroupName: string;
  /** `API-Gateway-Execution-Logs_<rest api id>/<stage>` (holds the API's id, known at apply). */
  readonly executionLogGroupName: string;
  /** What the deployment's `triggers.configuration` hashes (plain data, for review and tests). */
  readonly deploymentDescription: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    const { naming, context, key, handler } = props;
    validateEndpoints(props.endpoints);
    const sampling = props.traceSampling ?? {};
    const reservoir = sampling.reservoirPerSecond ?? 1;
    const fixedRate = sampling.fixedRate ?? 0;
    if (!Number.isInteger(reservoir) || reservoir < 0)
      throw new Error(
        `WebhookApi: traceSampling.reservoirPerSecond must be an integer ≥ 0, got ${reservoir}`,
      );
    if (!(fixedRate >= 0 && fixedRate <= 1))
      throw new Error(`WebhookApi: traceSampling.fixedRate must be between 0 and 1, got ${fixedRate}`);

    this.restApiName = naming.name("aws_api_gateway_rest_api.name", "webhooks");
    const api = new ApiGatewayRestApi(this, "api", {
      name: this.restApiName,
      description: "Inbound webhooks: one POST route per provider and a generic route",
      endpointConfiguration: { types: ["REGIONAL"] },
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      apiKeySource: "HEADER",
    });
    this.restApiId = api.id;
    this.stageName = naming.name("aws_api_gateway_stage.stage_name", props.stagePurpose ?? "live");

    const paramsValidator = new ApiGatewayRequestValidator(this, "validator-params", {
      restApiId: api.id,
      name: naming.name("aws_api_gateway_request_validator.name", "headers"),
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    const dependables: ITerraformDependable[] = [paramsValidator];
    const ids: string[] = [paramsValidator.id];

    const resources = new Map<string, ApiGatewayResource>();
    const resourceFor = (path: readonly string[]): ApiGatewayResource => {
      const joined = path.join("/");
      const existing = resources.get(joined);
      if (existing) return existing;
      const parentId = path.length === 1 ? api.rootResourceId : resourceFor(path.slice(0, -1)).id;
      const resource = new ApiGatewayResource(this, `resource-${path.join("-")}`, {
        restApiId: api.id,
        parentId,
        pathPart: path[path.length - 1]!,
      });
      resources.set(joined, resource);
      ids.push(resource.id);
      return resource;
    };

    const routes = props.endpoints.flatMap(routesOf);
    for (const route of routes) {
      const resource = resourceFor(route.endpoint.path);
      // POST keeps the ids it always had; a handshake method's ids name it (provider ids are lower case).
      const suffix = route.method === "POST" ? route.endpoint.id : `${route.method}-${route.endpoint.id}`;
      const method = new ApiGatewayMethod(this, `method-${suffix}`, {
        restApiId: api.id,
        resourceId: resource.id,
        httpMethod: route.method,
        authorization: "NONE",
        apiKeyRequired: route.endpoint.apiKeyRequired,
        operationName: `${route.method === "POST" ? "receive" : `handshake-${route.method.toLowerCase()}`}-${route.endpoint.id}`,
        requestParameters: Object.fromEntries([
          ...route.requiredHeaders.map((header) => [`method.request.header.${header}`, true]),
          ...route.requiredQueryStrings.map((name) => [`method.request.querystring.${name}`, true]),
        ]),
        requestValidatorId: paramsValidator.id,
      });
      if (!route.endpoint.apiKeyRequired) {
        // Terraform ignores "//" properties; Checkov reads its suppressions from them.
        method.addOverride("//", {
          checkov: {
            skip: ["CKV_AWS_59", "CKV2_AWS_70"].map((checkId) => ({
              id: checkId,
              comment: route.unauthenticatedReason,
            })),
          },
        });
      }
      const integration = new ApiGatewayIntegration(this, `integration-${suffix}`, {
        restApiId: api.id,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: handler.invokeArn,
      });
      ids.push(method.id, integration.id);
      dependables.push(method, integration);
    }

    const responses = Object.entries(GATEWAY_RESPONSES).map(([type, statusCode]) => {
      const response = new ApiGatewayGatewayResponse(this, `response-${type.toLowerCase()}`, {
        restApiId: api.id,
        responseType: type,
        statusCode: statusCode === undefined ? undefined : String(statusCode),
        responseTemplates: { "application/json": GATEWAY_RESPONSE_TEMPLATE },
      });
      ids.push(response.id);
      return response;
    });
    dependables.push(...responses);

    this.deploymentDescription = {
      binaryMediaTypes: BINARY_MEDIA_TYPES,
      endpoints: routes.map((route) => ({
        path: `/${route.endpoint.path.join("/")}`,
        method: route.method,
        requiredHeaders: route.requiredHeaders,
        // Only where there are any: a POST route's entry hashes as it always did.
        ...(route.requiredQueryStrings.length > 0 && { requiredQueryStrings: route.requiredQueryStrings }),
        apiKeyRequired: route.endpoint.apiKeyRequired,
        integration: "AWS_PROXY",
      })),
      gatewayResponses: GATEWAY_RESPONSES,
      gatewayResponseTemplate: GATEWAY_RESPONSE_TEMPLATE,
    };
    const deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: api.id,
      description: "Managed by cdktf; redeployed when triggers change",
      triggers: {
        // Changes when any route, validator, model or gateway response changes…
        configuration: sha256(JSON.stringify(this.deploymentDescription)),
        // …and when any of those resources is replaced.
        resources: Fn.sha1(Fn.jsonencode(ids)),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: dependables,
    });

    const accessLogs = new EncryptedLogGroup(this, "access-logs", {
      name: naming.name("aws_cloudwatch_log_group.name", "api-access", { before: "/aws/apigateway/" }),
      key,
      context,
      retentionInDays: props.logRetentionDays,
    });
    this.accessLogGroupName = accessLogs.name;
    // API Gateway writes execution logs to this name; created here first, it has the key and a retention.
    const executionLogs = new EncryptedLogGroup(this, "execution-logs", {
      name: `API-Gateway-Execution-Logs_${naming.knownShape(api.id, "restApiId")}/${this.stageName}`,
      key,
      context,
      retentionInDays: props.logRetentionDays,
    });
    this.executionLogGroupName = executionLogs.name;

    const stage = new ApiGatewayStage(this, "stage", {
      restApiId: api.id,
      deploymentId: deployment.id,
      stageName: this.stageName,
      description: "Webhook ingress stage",
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: [executionLogs.resource],
    });
    this.stageArn = stage.arn;
    this.invokeUrl = stage.invokeUrl;

    // A sampling rule decides when a request arrives, before its outcome is known: it cannot keep
    // errors. Failed requests keep their evidence in the access log (error type, integration error)
    // and the validator's ERROR lines, which carry the request id.
    new XraySamplingRule(this, "trace-sampling", {
      ruleName: naming.name("aws_xray_sampling_rule.rule_name", "api"),
      priority: sampling.priority ?? 100,
      version: 1,
      reservoirSize: reservoir,
      fixedRate,
      // Matched by the stage's ARN: its `<api name>/<stage>` service name can pass the rule's
      // 64-character limit once a long prefix and suffix are in both.
      serviceName: "*",
      serviceType: "AWS::ApiGateway::Stage",
      resourceArn: stage.arn,
      host: "*",
      httpMethod: "*",
      urlPath: "*",
    });

    new ApiGatewayMethodSettings(this, "method-settings", {
      restApiId: api.id,
      stageName: stage.stageName,
      methodPath: "*/*",
      settings: {
        metricsEnabled: true,
        loggingLevel: "ERROR",
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttleRateLimit ?? 1_000,
        throttlingBurstLimit: props.throttleBurstLimit ?? 2_000,
      },
    });

    // One statement per method for every route that has it: a permission per route would add a
    // statement per provider to the function's resource policy, which Lambda caps at 20 KB (about
    // 60 such statements). GET and HEAD reach only the paths of the endpoints with such a handshake.
    for (const httpMethod of new Set(routes.map((route) => route.method))) {
      const paths = routes.filter((route) => route.method === httpMethod).map((route) => route.endpoint);
      const lower = httpMethod.toLowerCase();
      new LambdaPermission(this, httpMethod === "POST" ? "permission" : `permission-${lower}`, {
        statementId: naming.name("aws_lambda_permission.statement_id", `api-${lower}`),
        action: "lambda:InvokeFunction",
        functionName: handler.arn,
        principal: "apigateway.amazonaws.com",
        sourceArn: `${stage.executionArn}/${httpMethod}/${invokePathPattern(paths)}`,
      });
    }

    const usagePlan = new ApiGatewayUsagePlan(this, "usage-plan", {
      name: naming.name("aws_api_gateway_usage_plan.name", "webhooks"),
      description: "Quota and throttle for API-key callers",
      apiStages: [{ apiId: api.id, stage: stage.stageName }],
      quotaSettings: { limit: props.quotaPerDay ?? 100_000, period: "DAY" },
      throttleSettings: {
        rateLimit: props.throttleRateLimit ?? 1_000,
        burstLimit: props.throttleBurstLimit ?? 2_000,
      },
    });
    const apiKey = new ApiGatewayApiKey(this, "api-key", {
      name: naming.name("aws_api_gateway_api_key.name", "webhooks"),
      description: "Identifies API-key callers for the usage plan; the HMAC signature authenticates",
      enabled: true,
    });
    new ApiGatewayUsagePlanKey(this, "usage-plan-key", {
      keyId: apiKey.id,
      keyType: "API_KEY",
      usagePlanId: usagePlan.id,
    });
    this.apiKeyId = apiKey.id;
    this.usagePlanId = usagePlan.id;

    this.endpoints = Object.fromEntries(
      props.endpoints.map((endpoint) => [endpoint.id, `${this.invokeUrl}/${endpoint.path.join("/")}`]),
    );
  }
}

/** One method of one endpoint, as the API creates it. */
interface Route {
  readonly endpoint: WebhookEndpoint;
  readonly method: "POST" | EndpointHandshakeMethod["method"];
  readonly requiredHeaders: readonly string[];
  readonly requiredQueryStrings: readonly string[];
  readonly unauthenticatedReason?: string;
}

/** The endpoint's POST, then its handshake methods. */
function routesOf(endpoint: WebhookEndpoint): Route[] {
  return [
    {
      endpoint,
      method: "POST",
      requiredHeaders: endpoint.requiredHeaders,
      requiredQueryStrings: [],
      unauthenticatedReason: endpoint.unauthenticatedReason,
    },
    ...(endpoint.handshakes ?? []).map((handshake) => ({ endpoint, ...handshake })),
  ];
}

function validateEndpoints(endpoints: readonly WebhookEndpoint[]): void {
  const ids = new Set<string>();
  const paths = new Set<string>();
  for (const endpoint of endpoints) {
    const where = `WebhookApi endpoint ${endpoint.id}`;
    if (ids.has(endpoint.id)) throw new Error(`${where}: duplicate endpoint id`);
    ids.add(endpoint.id);
    const path = endpoint.path.join("/");
    if (paths.has(path)) throw new Error(`${where}: path /${path} is already an endpoint`);
    paths.add(path);
    if (endpoint.path.length === 0 || endpoint.path.some((part) => !/^[A-Za-z0-9._-]+$/.test(part))) {
      throw new Error(`${where}: path segments must be literal (A-Z a-z 0-9 . _ -), got /${path}`);
    }
    if (!endpoint.apiKeyRequired && !endpoint.unauthenticatedReason) {
      throw new Error(`${where}: a method without an API key needs unauthenticatedReason (why it is safe)`);
    }
    const methods = new Set<string>();
    for (const handshake of endpoint.handshakes ?? []) {
      if (methods.has(handshake.method)) throw new Error(`${where}: ${handshake.method} is declared twice`);
      methods.add(handshake.method);
      if (!endpoint.apiKeyRequired && !handshake.unauthenticatedReason) {
        throw new Error(
          `${where}: its ${handshake.method} handshake takes no API key and needs unauthenticatedReason (why it is safe)`,
        );
      }
    }
  }
}

/**
 * The narrowest path one source ARN can give for every endpoint: the path itself for a single
 * endpoint, else the paths' common beginning followed by `*` (`webhook*` for `/webhook` and
 * `/webhooks/<provider>`).
 *
 * @example invokePathPattern([{ path: ["webhooks", "stripe"] }, { path: ["webhook"] }]) // "webhook*"
 */
export function invokePathPattern(endpoints: readonly Pick<WebhookEndpoint, "path">[]): string {
  const paths = [...new Set(endpoints.map((endpoint) => endpoint.path.join("/")))];
  if (paths.length === 1) return paths[0]!;
  let common = paths[0] ?? "";
  for (const path of paths) while (!path.startsWith(common)) common = common.slice(0, -1);
  return `${common}*`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
