import { block, blocks, bool, type Entry, isRecord, num, record, str, strings } from "./document";
import type { Model } from "./model";
import { formatCondition, isPublicPrincipal } from "./policies";
import { interpolations, leadingRef, wholeRef } from "./references";
import type {
  ApiRoute,
  ApiStage,
  BucketExposure,
  Exposure,
  Finding,
  FunctionUrlExposure,
  OtherExposure,
  PublicStatement,
  ResourcePolicyEntry,
  RestApiExposure,
  Statement,
  Throttle,
  UsagePlanSummary,
  WafRule,
  WebAclSummary,
} from "./types";

/**
 * Everything reachable from the internet: the REST API (routes, stage throttling, WAF), Lambda
 * function URLs, S3 buckets and their public access blocks, resource-policy statements that allow
 * everyone, and other internet-facing resource types. Anything public that is not an API behind a
 * WAF is a warning.
 */
export function buildExposure(
  m: Model,
  policies: readonly ResourcePolicyEntry[],
  findings: Finding[],
): Exposure {
  return {
    restApis: m.doc.ofType("aws_api_gateway_rest_api").map((api) => restApi(api, m, findings)),
    functionUrls: functionUrls(m, findings),
    buckets: buckets(m, findings),
    publicStatements: publicStatements(m, policies, findings),
    other: otherExposure(m, findings),
  };
}

function refersTo(value: unknown, entry: Entry, m: Model): boolean {
  const ref = wholeRef(value) ?? leadingRef(value);
  if (ref) return ref.address === entry.address;
  return typeof value === "string" && value === m.name(entry.address);
}

function restApi(api: Entry, m: Model, findings: Finding[]): RestApiExposure {
  const types = strings(block(api.attrs.endpoint_configuration).types);
  const endpointTypes = types.length > 0 ? types : ["EDGE"];
  const internetFacing = endpointTypes.some((type) => type !== "PRIVATE");
  const name = m.name(api.address) ?? api.id;
  const stages = m.doc
    .ofType("aws_api_gateway_stage")
    .filter((stage) => refersTo(stage.attrs.rest_api_id, api, m))
    .map((stage) => apiStage(api, stage, m));
  const routes = m.doc
    .ofType("aws_api_gateway_method")
    .filter((method) => refersTo(method.attrs.rest_api_id, api, m))
    .map((method) => apiRoute(api, method, m, findings))
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  const resourcePolicy =
    api.attrs.policy !== undefined ||
    m.doc.ofType("aws_api_gateway_rest_api_policy").some((p) => refersTo(p.attrs.rest_api_id, api, m));
  if (api.attrs.body !== undefined) {
    findings.push(
      exposureWarning(
        api.address,
        `REST API ${name} is defined by an OpenAPI body: its routes are not listed here`,
      ),
    );
  }
  if (internetFacing) {
    if (stages.length === 0)
      findings.push(exposureNote(api.address, `REST API ${name} has no stage in this stack`));
    for (const stage of stages) {
      if (!stage.webAcl) {
        findings.push(
          exposureWarning(
            stage.address,
            `stage ${stage.name} of REST API ${name} is internet-facing without a WAF web ACL`,
          ),
        );
      }
      if (!stage.throttle && stage.usagePlans.every((plan) => !plan.throttle)) {
        findings.push(
          exposureWarning(
            stage.address,
            `stage ${stage.name} of REST API ${name} sets no throttling (account defaults apply)`,
          ),
        );
      }
    }
  }
  return {
    address: api.address,
    name,
    endpointTypes,
    internetFacing,
    ...(api.attrs.api_key_source !== undefined && {
      apiKeySource: m.resolver.value(api.attrs.api_key_source),
    }),
    binaryMediaTypes: strings(api.attrs.binary_media_types),
    disableExecuteApiEndpoint: bool(api.attrs.disable_execute_api_endpoint) ?? false,
    resourcePolicy,
    stages,
    routes,
  };
}

function apiStage(api: Entry, stage: Entry, m: Model): ApiStage {
  const stageName = m.name(stage.address) ?? stage.id;
  const methodThrottles: Record<string, Throttle> = {};
  let throttle: Throttle | undefined;
  for (const settings of m.doc.ofType("aws_api_gateway_method_settings")) {
    if (!refersTo(settings.attrs.rest_api_id, api, m) || !refersTo(settings.attrs.stage_name, stage, m))
      continue;
    const values = block(settings.attrs.settings);
    const found = throttleOf(values.throttling_rate_limit, values.throttling_burst_limit);
    if (!found) continue;
    const path = str(settings.attrs.method_path) ?? "*/*";
    if (path === "*/*") throttle = found;
    else methodThrottles[path] = found;
  }
  const usagePlans: UsagePlanSummary[] = m.doc
    .ofType("aws_api_gateway_usage_plan")
    .filter((plan) =>
      blocks(plan.attrs.api_stages).some(
        (item) => refersTo(item.api_id, api, m) && refersTo(item.stage, stage, m),
      ),
    )
    .map((plan) => {
      const planThrottle = block(plan.attrs.throttle_settings);
      const quota = block(plan.attrs.quota_settings);
      const found = throttleOf(planThrottle.rate_limit, planThrottle.burst_limit);
      return {
        address: plan.address,
        name: m.name(plan.address) ?? plan.id,
        ...(found && { throttle: found }),
        ...(quota.limit !== undefined && { quota: `${quota.limit} per ${str(quota.period) ?? "?"}` }),
        apiKeys: m.doc
          .ofType("aws_api_gateway_usage_plan_key")
          .filter((key) => refersTo(key.attrs.usage_plan_id, plan, m))
          .map((key) => m.resolver.value(key.attrs.key_id)),
      };
    });
  const accessLogs = block(stage.attrs.access_log_settings).destination_arn;
  const webAcl = webAclOf(stage, m);
  return {
    address: stage.address,
    name: stageName,
    xrayTracing: bool(stage.attrs.xray_tracing_enabled) ?? false,
    ...(accessLogs !== undefined && { accessLogs: m.resolver.value(accessLogs) }),
    ...(throttle && { throttle }),
    methodThrottles,
    usagePlans,
    ...(webAcl && { webAcl }),
  };
}

function throttleOf(rate: unknown, burst: unknown): Throttle | undefined {
  const rateLimit = num(rate);
  const burstLimit = num(burst);
  if (rateLimit === undefined && burstLimit === undefined) return undefined;
  return { ...(rateLimit !== undefined && { rateLimit }), ...(burstLimit !== undefined && { burstLimit }) };
}

function apiRoute(api: Entry, method: Entry, m: Model, findings: Finding[]): ApiRoute {
  const attrs = method.attrs;
  const httpMethod = str(attrs.http_method) ?? "?";
  const path = m.apiPath(attrs.resource_id) ?? "?";
  const authorizer = attrs.authorizer_id === undefined ? "" : ` (${m.resolver.nameIn(attrs.authorizer_id)})`;
  const parameters = Object.entries(record(attrs.request_parameters)).filter(([, required]) =>
    bool(required),
  );
  const named = (prefix: string): string[] =>
    parameters.filter(([key]) => key.startsWith(prefix)).map(([key]) => key.slice(prefix.length));
  const validatorEntry = m.resolver.target(attrs.request_validator_id);
  let requestValidator: string | undefined;
  if (validatorEntry) {
    const checks = [
      bool(validatorEntry.attrs.validate_request_parameters) && "parameters",
      bool(validatorEntry.attrs.validate_request_body) && "body",
    ].filter(Boolean);
    requestValidator = `${m.name(validatorEntry.address)} (${checks.join(", ") || "nothing"})`;
  }
  const integration = m.doc
    .ofType("aws_api_gateway_integration")
    .find(
      (candidate) =>
        wholeRef(candidate.attrs.resource_id)?.address === wholeRef(attrs.resource_id)?.address &&
        (refersTo(candidate.attrs.http_method, method, m) || candidate.attrs.http_method === httpMethod),
    );
  const permission = integration ? invokePermission(api, integration, httpMethod, path, m) : undefined;
  if (integration && !permission && str(integration.attrs.type)?.startsWith("AWS")) {
    findings.push(
      exposureNote(
        method.address,
        `route ${httpMethod} ${path} has no Lambda permission for API Gateway in this stack`,
      ),
    );
  }
  return {
    method: httpMethod,
    path,
    address: method.address,
    authorization: `${str(attrs.authorization) ?? "NONE"}${authorizer}`,
    apiKeyRequired: bool(attrs.api_key_required) ?? false,
    ...(requestValidator && { requestValidator }),
    requiredHeaders: named("method.request.header."),
    requiredQueryStrings: named("method.request.querystring."),
    bodyModels: Object.keys(record(attrs.request_models)),
    ...(integration && {
      integration: `${str(integration.attrs.type) ?? "?"} → ${m.resolver.value(integration.attrs.uri ?? "(no uri)")}`,
    }),
    ...(permission && { invokePermission: permission }),
  };
}

/** The statement id of the Lambda permission that covers this route, when the integration calls a function. */
function invokePermission(
  api: Entry,
  integration: Entry,
  httpMethod: string,
  path: string,
  m: Model,
): string | undefined {
  const fn = m.resolver.target(integration.attrs.uri);
  if (fn?.type !== "aws_lambda_function") return undefined;
  for (const permission of m.doc.ofType("aws_lambda_permission")) {
    if (m.resolver.target(permission.attrs.function_name)?.address !== fn.address) continue;
    if (str(permission.attrs.principal) !== "apigateway.amazonaws.com") continue;
    const source = str(permission.attrs.source_arn);
    if (source === undefined) return str(permission.attrs.statement_id) ?? permission.address;
    const first = interpolations(source)[0];
    const head = first && first.start === 0 ? leadingRef(source) : undefined;
    if (!head || !first) continue;
    const rest = source.slice(first.end);
    const owner = m.doc.get(head.address);
    if (!owner) continue;
    const expected =
      owner.type === "aws_api_gateway_stage" && refersTo(owner.attrs.rest_api_id, api, m)
        ? `/${httpMethod}${path}`
        : owner.address === api.address
          ? `/*/${httpMethod}${path}`
          : undefined;
    if (expected && globMatches(rest, expected))
      return str(permission.attrs.statement_id) ?? permission.address;
  }
  return undefined;
}

/** `pattern` may hold `*` (any text); `candidate` is matched literally, its own `*` included. */
function globMatches(pattern: string, candidate: string): boolean {
  const regex = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`);
  return regex.test(candidate);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function webAclOf(stage: Entry, m: Model): WebAclSummary | undefined {
  const association = m.doc
    .ofType("aws_wafv2_web_acl_association")
    .find((candidate) => refersTo(candidate.attrs.resource_arn, stage, m));
  if (!association) return undefined;
  const acl = m.resolver.target(association.attrs.web_acl_arn);
  if (!acl) {
    return {
      address: association.address,
      name: m.resolver.value(association.attrs.web_acl_arn),
      scope: "?",
      defaultAction: "?",
      rules: [],
      association: association.address,
    };
  }
  const logging = m.doc
    .ofType("aws_wafv2_web_acl_logging_configuration")
    .find((candidate) => refersTo(candidate.attrs.resource_arn, acl, m));
  const rules: WafRule[] = blocks(acl.attrs.rule)
    .map((rule) => ({
      priority: num(rule.priority) ?? 0,
      name: str(rule.name) ?? "?",
      action: wafAction(rule),
      statement: wafStatement(block(rule.statement), m),
    }))
    .sort((a, b) => a.priority - b.priority);
  return {
    address: acl.address,
    name: m.name(acl.address) ?? acl.id,
    scope: str(acl.attrs.scope) ?? "?",
    defaultAction: Object.keys(block(acl.attrs.default_action))[0] ?? "?",
    rules,
    association: association.address,
    ...(logging && { logging: m.resolver.value(logging.attrs.log_destination_configs) }),
  };
}

function wafAction(rule: Record<string, unknown>): string {
  const action = block(rule.action);
  const kind = Object.keys(action)[0];
  if (kind) {
    const response = block(block(action[kind]).custom_response);
    const code = str(response.response_code);
    const body = str(response.custom_response_body_key);
    return code ? `${kind} ${code}${body ? ` (${body})` : ""}` : kind;
  }
  const override = Object.keys(block(rule.override_action))[0];
  const group = block(block(rule.statement).managed_rule_group_statement);
  const overrides = blocks(group.rule_action_override).map(
    (item) => `${str(item.name)} → ${Object.keys(block(item.action_to_use))[0] ?? "?"}`,
  );
  const base = override === "count" ? "count (whole group)" : "rule group actions";
  return overrides.length > 0 ? `${base}; ${overrides.join(", ")}` : base;
}

function wafField(field: unknown): string {
  const value = block(field);
  const kind = Object.keys(value)[0];
  if (!kind) return "?";
  const name = str(block(value[kind]).name);
  return name ? `${kind.replace(/_/g, " ")} ${name}` : kind.replace(/_/g, " ");
}

function wafStatement(statement: Record<string, unknown>, m: Model): string {
  const [kind, rawBody] = Object.entries(statement)[0] ?? [];
  const body = block(rawBody);
  switch (kind) {
    case undefined:
      return "?";
    case "rate_based_statement": {
      const keys = blocks(body.custom_key).map((key) => Object.keys(key)[0]?.replace(/_/g, " "));
      const by = keys.length > 0 ? keys.join(" + ") : (str(body.aggregate_key_type) ?? "IP").toLowerCase();
      const scope = isRecord(body.scope_down_statement)
        ? ` where ${wafStatement(block(body.scope_down_statement), m)}`
        : "";
      return `more than ${str(body.limit) ?? "?"} requests per ${str(body.evaluation_window_sec) ?? "300"} s by ${by}${scope}`;
    }
    case "managed_rule_group_statement":
      return `managed rule group ${str(body.vendor_name) ?? "?"}/${str(body.name) ?? "?"}`;
    case "rule_group_reference_statement":
      return `rule group ${m.resolver.value(body.arn)}`;
    case "regex_match_statement": {
      const regex = str(body.regex_string) ?? "";
      return `${wafField(body.field_to_match)} matches /${regex.length > 48 ? `${regex.slice(0, 47)}…` : regex}/`;
    }
    case "regex_pattern_set_reference_statement":
      return `${wafField(body.field_to_match)} matches pattern set ${m.resolver.value(body.arn)}`;
    case "byte_match_statement":
      return `${wafField(body.field_to_match)} ${str(body.positional_constraint) ?? "?"} "${str(body.search_string) ?? ""}"`;
    case "size_constraint_statement":
      return `size of ${wafField(body.field_to_match)} ${str(body.comparison_operator) ?? "?"} ${str(body.size) ?? "?"}`;
    case "ip_set_reference_statement":
      return `source IP in ${m.resolver.value(body.arn)}`;
    case "geo_match_statement":
      return `country in [${strings(body.country_codes).join(", ")}]`;
    case "label_match_statement":
      return `label ${str(body.key) ?? "?"}`;
    case "not_statement":
      return `not (${wafStatement(block(body.statement), m)})`;
    case "and_statement":
    case "or_statement":
      return blocks(body.statement)
        .map((inner) => `(${wafStatement(inner, m)})`)
        .join(kind === "and_statement" ? " and " : " or ");
    default:
      return kind.replace(/_statement$/, "").replace(/_/g, " ");
  }
}

function functionUrls(m: Model, findings: Finding[]): FunctionUrlExposure[] {
  return m.doc.ofType("aws_lambda_function_url").map((url) => {
    const fn = m.resolver.target(url.attrs.function_name);
    const functionName = fn ? m.resolver.address(fn.address) : m.resolver.value(url.attrs.function_name);
    const authorizationType = str(url.attrs.authorization_type) ?? "?";
    findings.push(
      exposureWarning(
        url.address,
        `Lambda function URL on ${functionName} (authorization ${authorizationType}) is reachable from the internet, bypassing API Gateway and the WAF`,
      ),
    );
    return { address: url.address, function: functionName, authorizationType };
  });
}

export const PUBLIC_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);

function buckets(m: Model, findings: Finding[]): BucketExposure[] {
  const account = m.doc.ofType("aws_s3_account_public_access_block")[0];
  const flags = (entry: Entry | undefined) => ({
    blockPublicAcls: bool(entry?.attrs.block_public_acls) ?? false,
    blockPublicPolicy: bool(entry?.attrs.block_public_policy) ?? false,
    ignorePublicAcls: bool(entry?.attrs.ignore_public_acls) ?? false,
    restrictPublicBuckets: bool(entry?.attrs.restrict_public_buckets) ?? false,
  });
  const accountFlags = flags(account);
  return m.doc.ofType("aws_s3_bucket").map((bucket) => {
    const name = m.name(bucket.address) ?? bucket.id;
    const forBucket = (type: string): Entry | undefined =>
      m.doc.ofType(type).find((entry) => refersTo(entry.attrs.bucket, bucket, m));
    const pab = forBucket("aws_s3_bucket_public_access_block");
    const own = flags(pab);
    const blocks = {
      blockPublicAcls: own.blockPublicAcls || accountFlags.blockPublicAcls,
      blockPublicPolicy: own.blockPublicPolicy || accountFlags.blockPublicPolicy,
      ignorePublicAcls: own.ignorePublicAcls || accountFlags.ignorePublicAcls,
      restrictPublicBuckets: own.restrictPublicBuckets || accountFlags.restrictPublicBuckets,
    };
    const off = Object.entries(blocks)
      .filter(([, on]) => !on)
      .map(([flag]) => flag);
    if (!pab && !account) {
      findings.push(
        exposureWarning(
          bucket.address,
          `S3 bucket ${name} has no public access block: a policy or ACL could make it public`,
        ),
      );
    } else if (off.length > 0) {
      findings.push(
        exposureWarning(
          bucket.address,
          `S3 bucket ${name} public access block leaves off: ${off.join(", ")}`,
        ),
      );
    }
    const ownership = str(block(forBucket("aws_s3_bucket_ownership_controls")?.attrs.rule).object_ownership);
    const acl = str(forBucket("aws_s3_bucket_acl")?.attrs.acl) ?? str(bucket.attrs.acl);
    if (acl && PUBLIC_ACLS.has(acl)) {
      findings.push(exposureWarning(bucket.address, `S3 bucket ${name} has the public canned ACL ${acl}`));
    }
    const website =
      forBucket("aws_s3_bucket_website_configuration") !== undefined || bucket.attrs.website !== undefined;
    if (website) {
      findings.push(
        exposureWarning(bucket.address, `S3 bucket ${name} is configured as a public website endpoint`),
      );
    }
    return {
      address: bucket.address,
      name,
      ...(pab && { publicAccessBlock: pab.address }),
      blocks,
      ...(ownership && { objectOwnership: ownership }),
      ...(acl && { acl }),
      website,
    };
  });
}

function publicStatements(
  m: Model,
  policies: readonly ResourcePolicyEntry[],
  findings: Finding[],
): PublicStatement[] {
  const found: PublicStatement[] = [];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (!isPublicPrincipal(statement)) continue;
      found.push({
        policy: policy.address,
        target: policy.target,
        statement,
        exposure: statement.effect === "Allow",
      });
    }
  }
  for (const permission of m.doc.ofType("aws_lambda_permission")) {
    if (str(permission.attrs.principal) !== "*") continue;
    const conditions = [
      permission.attrs.source_arn !== undefined && {
        operator: "ArnLike",
        key: "aws:SourceArn",
        values: [m.resolver.value(permission.attrs.source_arn)],
      },
      permission.attrs.source_account !== undefined && {
        operator: "StringEquals",
        key: "aws:SourceAccount",
        values: [m.resolver.value(permission.attrs.source_account)],
      },
      permission.attrs.function_url_auth_type !== undefined && {
        operator: "StringEquals",
        key: "lambda:FunctionUrlAuthType",
        values: [m.resolver.value(permission.attrs.function_url_auth_type)],
      },
    ].filter((condition) => condition !== false);
    const statement: Statement = {
      sid: str(permission.attrs.statement_id) ?? "(generated)",
      effect: "Allow",
      principals: ["*"],
      actions: [str(permission.attrs.action) ?? "lambda:InvokeFunction"],
      resources: [m.resolver.value(permission.attrs.function_name)],
      conditions,
    };
    found.push({ policy: permission.address, target: statement.resources[0]!, statement, exposure: true });
  }
  for (const item of found) {
    if (!item.exposure) continue;
    const { statement } = item;
    const limits =
      statement.conditions.length > 0
        ? `limited only by ${statement.conditions.map(formatCondition).join("; ")}`
        : "with no condition";
    findings.push(
      exposureWarning(
        item.policy,
        `${item.target}: allows everyone (Principal "*") ${statement.actions.join(", ")} ${limits}`,
      ),
    );
  }
  return found;
}

const OPEN_CIDRS = new Set(["0.0.0.0/0", "::/0"]);

/** Other resource types that put something on the internet, and when they do. */
const INTERNET_FACING: ReadonlyArray<readonly [type: string, detail: (entry: Entry) => string | undefined]> =
  [
    ["aws_apigatewayv2_api", (e) => `${str(e.attrs.protocol_type) ?? "HTTP"} API (API Gateway v2)`],
    ["aws_cloudfront_distribution", () => "CloudFront distribution"],
    ["aws_lb", (e) => (bool(e.attrs.internal) ? undefined : "internet-facing load balancer")],
    ["aws_alb", (e) => (bool(e.attrs.internal) ? undefined : "internet-facing load balancer")],
    ["aws_elb", (e) => (bool(e.attrs.internal) ? undefined : "internet-facing classic load balancer")],
    ["aws_eip", () => "Elastic IP address"],
    [
      "aws_instance",
      (e) => (bool(e.attrs.associate_public_ip_address) ? "EC2 instance with a public IP" : undefined),
    ],
    [
      "aws_db_instance",
      (e) => (bool(e.attrs.publicly_accessible) ? "publicly accessible database" : undefined),
    ],
    [
      "aws_rds_cluster_instance",
      (e) => (bool(e.attrs.publicly_accessible) ? "publicly accessible database" : undefined),
    ],
    [
      "aws_security_group",
      (e) =>
        blocks(e.attrs.ingress).some((rule) =>
          [...strings(rule.cidr_blocks), ...strings(rule.ipv6_cidr_blocks)].some((c) => OPEN_CIDRS.has(c)),
        )
          ? "security group open to the internet"
          : undefined,
    ],
    [
      "aws_security_group_rule",
      (e) =>
        str(e.attrs.type) === "ingress" &&
        [...strings(e.attrs.cidr_blocks), ...strings(e.attrs.ipv6_cidr_blocks)].some((c) => OPEN_CIDRS.has(c))
          ? "security group rule open to the internet"
          : undefined,
    ],
    [
      "aws_vpc_security_group_ingress_rule",
      (e) =>
        OPEN_CIDRS.has(str(e.attrs.cidr_ipv4) ?? "") || OPEN_CIDRS.has(str(e.attrs.cidr_ipv6) ?? "")
          ? "security group rule open to the internet"
          : undefined,
    ],
    [
      "aws_lambda_layer_version_permission",
      (e) => (str(e.attrs.principal) === "*" ? "Lambda layer shared with every account" : undefined),
    ],
    ["aws_appsync_graphql_api", () => "AppSync GraphQL API"],
    [
      "aws_transfer_server",
      (e) => (str(e.attrs.endpoint_type) === "VPC" ? undefined : "Transfer Family server"),
    ],
  ];

function otherExposure(m: Model, findings: Finding[]): OtherExposure[] {
  const found: OtherExposure[] = [];
  for (const [type, detail] of INTERNET_FACING) {
    for (const entry of m.doc.ofType(type)) {
      const text = detail(entry);
      if (!text) continue;
      found.push({ address: entry.address, type, detail: text });
      findings.push(exposureWarning(entry.address, `${text} ${m.name(entry.address) ?? ""}`.trim()));
    }
  }
  return found;
}

function exposureWarning(subject: string, message: string): Finding {
  return { severity: "warning", section: "exposure", subject, message };
}

function exposureNote(subject: string, message: string): Finding {
  return { severity: "note", section: "exposure", subject, message };
}
