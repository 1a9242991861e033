import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildInventory, type Inventory, renderInventory } from "../../cli/src/inventory/index";
import { SECTION_TITLES } from "../../cli/src/inventory/render";
import type { RoleEntry, Statement } from "../../cli/src/inventory/types";
import { DEFAULT_CONFIG, DEFAULT_LIMITS } from "../../stacks/config";
import { allResources, synthStack } from "../support/synth";

// GIVEN the default stack, synthesized once for this file
const { doc } = synthStack();
const inventory = buildInventory(doc);

/** A role by its name before the region every IAM role name ends with. */
const role = (name: string): RoleEntry => {
  const found = inventory.iam.roles.find((candidate) => candidate.name === `${name}-us-east-1`);
  if (!found) throw new Error(`no role ${name}`);
  return found;
};
const statementsOf = (entry: RoleEntry): Statement[] => entry.policies.flatMap((policy) => policy.statements);
const addressOf = (type: string, prefix: string): string => {
  const found = allResources(doc).find(([t, id]) => t === type && id.startsWith(prefix));
  if (!found) throw new Error(`no ${type} ${prefix}`);
  return `${type}.${found[1]}`;
};
const everyStatement = (value: Inventory): Statement[] => [
  ...value.iam.roles.flatMap((entry) => [...entry.trust, ...statementsOf(entry)]),
  ...value.iam.resourcePolicies.flatMap((policy) => policy.statements),
];
const statementText = (statement: Statement): string[] => [
  ...statement.principals,
  ...statement.resources,
  ...statement.conditions.flatMap((condition) => condition.values),
];

describe("resources", () => {
  test("every resource and data source appears exactly once, with a name and a purpose from the table", () => {
    const expected = [
      ...allResources(doc).map(([type, id]) => `${type}.${id}`),
      ...Object.entries(doc.data ?? {}).flatMap(([type, byId]) =>
        Object.keys(byId as object).map((id) => `data.${type}.${id}`),
      ),
    ].sort();
    const listed = inventory.resources.map((resource) => resource.address);

    expect([...listed].sort()).toEqual(expected);
    expect(new Set(listed).size).toBe(listed.length);
    for (const resource of inventory.resources) {
      expect({ address: resource.address, name: resource.name.trim() !== "" }).toEqual({
        address: resource.address,
        name: true,
      });
      expect({ address: resource.address, known: resource.known }).toEqual({
        address: resource.address,
        known: true,
      });
      expect(resource.purpose).not.toMatch(/^\s*$|\?|undefined|\$\{/);
      expect(resource.name).not.toMatch(/undefined|\$\{/);
    }
  });

  test("names come from each type's name attribute", () => {
    const byAddress = new Map(inventory.resources.map((resource) => [resource.address, resource]));
    expect(byAddress.get(addressOf("aws_sqs_queue", "ingest_queue"))).toMatchObject({
      name: "whk-dev-ingest",
      nameSource: "name",
      group: "ingest queue",
    });
    expect(byAddress.get(addressOf("aws_s3_bucket", "payloads_bucket"))).toMatchObject({
      name: "whk-dev-payloads-<account>-us-east-1",
      nameSource: "bucket",
    });
    expect(byAddress.get(addressOf("aws_lambda_function", "ingress_validator"))).toMatchObject({
      name: "whk-dev-validator",
      nameSource: "function_name",
      group: "ingress",
    });
    expect(byAddress.get(addressOf("aws_api_gateway_stage", "ingress_api_stage"))).toMatchObject({
      name: "whk-dev-live",
      nameSource: "stage_name",
    });
    expect(
      byAddress.get(addressOf("aws_cloudwatch_metric_alarm", "delivery_alarms_ingest-dlq-depth"))?.nameSource,
    ).toBe("alarm_name");
  });

  test("resources without a name say what identifies them", () => {
    const byAddress = new Map(inventory.resources.map((resource) => [resource.address, resource]));
    expect(byAddress.get(addressOf("aws_kms_key", "key_"))).toMatchObject({
      name: "alias/whk-dev-data",
      nameSource: "derived",
      group: "platform key",
    });
    expect(byAddress.get(addressOf("aws_api_gateway_method", "ingress_api_method-stripe"))?.name).toBe(
      "POST /webhooks/stripe",
    );
    expect(
      byAddress.get(addressOf("aws_api_gateway_resource", "ingress_api_resource-webhooks-acme"))?.name,
    ).toBe("/webhooks/acme");
    expect(byAddress.get(addressOf("aws_sqs_queue_policy", "ingest_queue_policy"))?.name).toBe(
      "whk-dev-ingest",
    );
  });

  test("purposes are derived from the construct path and the references between resources", () => {
    const purpose = (type: string, prefix: string) =>
      inventory.resources.find((resource) => resource.address === addressOf(type, prefix))!.purpose;

    expect(purpose("aws_sqs_queue", "ingest_queue")).toBe(
      "SQS ingest queue (whk-dev-validator → whk-dev-router)",
    );
    expect(purpose("aws_sqs_queue", "ingest_dlq")).toBe(
      "dead-letter queue of whk-dev-ingest (after 3 receives)",
    );
    expect(purpose("aws_sqs_queue", "delivery_route-payments_dlq")).toBe(
      "dead-letter queue of whk-dev-route-payments (after 5 receives)",
    );
    expect(purpose("aws_sqs_queue", "delivery_route-payments_target-dlq")).toMatch(
      /^dead-letter queue of the EventBridge target of rule whk-dev-route-payments/,
    );
    expect(purpose("aws_sqs_queue", "delivery_bus_dlq")).toBe("dead-letter queue of event bus whk-dev-bus");
    expect(purpose("aws_iam_role", "ingress_validator")).toBe("execution role of Lambda whk-dev-validator");
    expect(purpose("aws_cloudwatch_log_group", "ingress_validator")).toBe(
      "log group of Lambda whk-dev-validator, 30 d retention",
    );
    expect(purpose("aws_lambda_permission", "ingress_api_permission")).toBe(
      "lets API Gateway invoke whk-dev-validator for POST /webhook*",
    );
  });

  test("groups follow the stack's top-level constructs, in data-flow order", () => {
    const groups = [...new Set(inventory.resources.map((resource) => resource.group))];
    expect(groups).toEqual([
      "AWS context",
      "platform key",
      "operations key",
      "shared layer",
      "records table",
      "payload bucket",
      "ingest queue",
      "ingress",
      "delivery",
    ]);
  });
});

describe("IAM permissions by role", () => {
  test("one entry per role, trust from the service principal", () => {
    expect(inventory.iam.roles.map((entry) => entry.name).sort()).toEqual([
      "whk-dev-archive-events-us-east-1",
      "whk-dev-archive-firehose-us-east-1",
      "whk-dev-audit-us-east-1",
      "whk-dev-router-us-east-1",
      "whk-dev-validator-us-east-1",
    ]);
    expect(role("whk-dev-validator").trust).toEqual([
      {
        effect: "Allow",
        principals: ["Service:lambda.amazonaws.com"],
        actions: ["sts:AssumeRole"],
        resources: [],
        conditions: [],
      },
    ]);
    expect(role("whk-dev-archive-events").trust[0]!.conditions).toEqual([
      { operator: "StringEquals", key: "aws:SourceAccount", values: ["<account>"] },
      {
        operator: "ArnEquals",
        key: "aws:SourceArn",
        values: [`${addressOf("aws_cloudwatch_event_rule", "delivery_archive_rule")} (whk-dev-archive-all)`],
      },
    ]);
  });

  test("the validator may send to the ingest queue (resolved) and holds no '*' action", () => {
    const validator = role("whk-dev-validator");
    const ingest = `${addressOf("aws_sqs_queue", "ingest_queue")} (whk-dev-ingest)`;

    expect(statementsOf(validator)).toContainEqual(
      expect.objectContaining({ effect: "Allow", actions: ["sqs:SendMessage"], resources: [ingest] }),
    );
    expect(validator.usedBy).toEqual([
      `${addressOf("aws_lambda_function", "ingress_validator")} (whk-dev-validator)`,
    ]);
    for (const statement of statementsOf(validator)) {
      expect(statement.actions).not.toContain("*");
      expect(statement.actions.filter((action) => action.endsWith(":*"))).toEqual([]);
    }
  });

  test("the secrets' ARN pattern reads with the account and partition as placeholders", () => {
    const read = statementsOf(role("whk-dev-validator")).find((s) =>
      s.actions.includes("secretsmanager:GetSecretValue"),
    );
    expect(read?.resources).toEqual([
      "arn:<partition>:secretsmanager:us-east-1:<account>:secret:whk-dev/*/signing-??????",
    ]);
  });

  test("every Terraform reference in every statement is resolved to a readable form", () => {
    for (const statement of everyStatement(inventory)) {
      for (const text of statementText(statement)) expect(text).not.toContain("${");
    }
  });

  test("the data key policy grants logs and EventBridge under conditions", () => {
    const keyPolicy = inventory.iam.resourcePolicies.find(
      (policy) =>
        policy.type === "aws_kms_key_policy" && policy.targetAddress === addressOf("aws_kms_key", "key_"),
    )!;
    const byPrincipal = new Map(
      keyPolicy.statements.map((statement) => [
        `${statement.sid} ${statement.principals.join(",")}`,
        statement,
      ]),
    );
    expect([...byPrincipal.keys()]).toEqual([
      "AccountAdministration AWS:account root",
      "CloudWatchLogs Service:logs.us-east-1.amazonaws.com",
      "EventBridgeDeliveryToQueues Service:events.amazonaws.com",
      "EventBridgeBusAndArchive Service:events.amazonaws.com",
    ]);
    expect(
      byPrincipal.get("CloudWatchLogs Service:logs.us-east-1.amazonaws.com")!.conditions[0],
    ).toMatchObject({
      operator: "ArnEquals",
      key: "kms:EncryptionContext:aws:logs:arn",
    });
  });

  test("resource policies cover queues, secrets, topic, bucket, bus and key", () => {
    const count = (type: string) =>
      inventory.iam.resourcePolicies.filter((policy) => policy.type === type).length;
    const types = [
      "aws_sqs_queue_policy",
      "aws_secretsmanager_secret_policy",
      "aws_sns_topic_policy",
      "aws_s3_bucket_policy",
      "aws_cloudwatch_event_bus_policy",
      "aws_kms_key_policy",
    ];
    for (const type of types) {
      const inDocument = allResources(doc).filter(([candidate]) => candidate === type).length;
      expect({ type, listed: count(type) }).toEqual({ type, listed: inDocument });
      expect(inDocument).toBeGreaterThan(0);
    }
    expect(count("aws_secretsmanager_secret_policy")).toBe(DEFAULT_CONFIG.providers.length);
    expect(inventory.iam.resourcePolicies.every((policy) => policy.targetAddress && !policy.unreadable)).toBe(
      true,
    );
  });

  test("only API Gateway may invoke the validator, one permission for every route; router and audit have none", () => {
    const validator = inventory.iam.invokers.find((entry) => entry.function.endsWith("(whk-dev-validator)"))!;
    expect(validator.grants.map((grant) => grant.principal)).toEqual(["apigateway.amazonaws.com"]);
    expect(validator.grants.map((grant) => grant.sourceArn?.replace(/^.* execution_arn/, ""))).toEqual([
      "/POST/webhook*",
    ]);
    const router = inventory.iam.invokers.find((entry) => entry.function.endsWith("(whk-dev-router)"))!;
    expect(router.grants).toEqual([]);
    expect(router.eventSources).toHaveLength(1);
  });
});

describe("internet exposure", () => {
  const [api] = inventory.exposure.restApis;

  test("exactly one REST API, regional, with one POST route per provider plus /webhook", () => {
    expect(inventory.exposure.restApis).toHaveLength(1);
    expect(api).toMatchObject({
      name: "whk-dev-webhooks",
      endpointTypes: ["REGIONAL"],
      internetFacing: true,
    });
    expect(api!.routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(
      [
        "POST /webhook",
        ...DEFAULT_CONFIG.providers.map((provider) => `POST /webhooks/${provider.id}`),
      ].sort(),
    );
  });

  test("each route: authorization, API key, required signature header, integration and invoke permission", () => {
    const route = (path: string) => api!.routes.find((candidate) => candidate.path === path)!;
    expect(route("/webhooks/stripe")).toMatchObject({
      authorization: "NONE",
      apiKeyRequired: false,
      requiredHeaders: ["Stripe-Signature"],
      requestValidator: "whk-dev-headers (parameters)",
      bodyModels: [],
      invokePermission: "whk-dev-api-post",
    });
    expect(route("/webhook")).toMatchObject({
      apiKeyRequired: true,
      requiredHeaders: ["X-Provider-ID", "X-Webhook-Signature"],
    });
    expect(route("/webhooks/github").requestValidator).toBe("whk-dev-headers (parameters)");
    for (const candidate of api!.routes) {
      expect(candidate.integration).toBe(
        `AWS_PROXY → ${addressOf("aws_lambda_function", "ingress_validator")} (whk-dev-validator)`,
      );
      expect(candidate.invokePermission).toBeDefined();
    }
  });

  test("the stage is behind the WAF web ACL, throttled, traced and logged", () => {
    const [stage] = api!.stages;
    expect(api!.stages).toHaveLength(1);
    expect(stage).toMatchObject({
      name: "whk-dev-live",
      xrayTracing: true,
      throttle: {
        rateLimit: DEFAULT_LIMITS.throttleRateLimit,
        burstLimit: DEFAULT_LIMITS.throttleBurstLimit,
      },
    });
    expect(stage!.accessLogs).toMatch(/\(\/aws\/apigateway\/whk-dev-api-access\)$/);
    expect(stage!.usagePlans[0]).toMatchObject({ quota: `${DEFAULT_LIMITS.quotaPerDay} per DAY` });
    expect(stage!.webAcl).toMatchObject({
      name: "whk-dev-ingress",
      scope: "REGIONAL",
      defaultAction: "allow",
      association: addressOf("aws_wafv2_web_acl_association", "ingress_waf_stage"),
    });
    expect(stage!.webAcl!.rules.map((rule) => [rule.name, rule.action.split(";")[0]])).toEqual([
      ["rate-limit", "block 429 (too_many_requests)"],
      ["oversize-body", "block 413 (payload_too_large)"],
      ["known-bad-inputs", "count (whole group)"],
      ["common", "count (whole group)"],
    ]);
    expect(stage!.webAcl!.rules[0]!.statement).toBe(
      `more than ${DEFAULT_LIMITS.wafRateLimitPer5Min} requests per 300 s by ip + uri path`,
    );
  });

  test("nothing else is public: no function URL, the bucket is blocked, '*' appears only in deny guards", () => {
    expect(inventory.exposure.functionUrls).toEqual([]);
    expect(inventory.exposure.other).toEqual([]);
    expect(inventory.exposure.buckets).toEqual([
      expect.objectContaining({
        name: "whk-dev-payloads-<account>-us-east-1",
        publicAccessBlock: addressOf("aws_s3_bucket_public_access_block", "payloads_public-access"),
        blocks: {
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
      }),
    ]);
    expect(inventory.exposure.publicStatements.filter((item) => item.exposure)).toEqual([]);
    const guards = inventory.exposure.publicStatements.map((item) => item.statement.sid);
    expect(guards).toContain("DenyInsecureTransport");
    expect(guards).toContain("OnlyTheValidatorReadsTheValue");
  });

  test("the default stack has no findings", () => {
    expect(inventory.findings).toEqual([]);
  });
});

describe("alarms and event rules", () => {
  const symbols: Record<string, string> = {
    GreaterThanThreshold: ">",
    GreaterThanOrEqualToThreshold: ">=",
    LessThanThreshold: "<",
    LessThanOrEqualToThreshold: "<=",
  };

  test("every metric alarm has its comparison, threshold, periods and missing-data treatment", () => {
    const alarms = allResources(doc).filter(([type]) => type === "aws_cloudwatch_metric_alarm");
    expect(inventory.alarms.map((alarm) => alarm.name).sort()).toEqual(
      alarms.map(([, , attrs]) => attrs.alarm_name).sort(),
    );
    for (const [, id, attrs] of alarms) {
      expect(inventory.alarms.find((alarm) => alarm.address.endsWith(`.${id}`))).toMatchObject({
        comparison: symbols[attrs.comparison_operator],
        threshold: attrs.threshold,
        evaluationPeriods: attrs.evaluation_periods,
        datapointsToAlarm: attrs.datapoints_to_alarm,
        treatMissingData: attrs.treat_missing_data,
        actions: ["whk-dev-alarms"],
        actionsEnabled: true,
      });
    }
  });

  test("a single-metric alarm names namespace, metric, statistic and dimensions", () => {
    const alarm = inventory.alarms.find((candidate) => candidate.name === "whk-dev-ingest-dlq-depth")!;
    expect(alarm.metric).toMatch(
      /^AWS\/SQS ApproximateNumberOfMessagesVisible \w+ \(QueueName=whk-dev-ingest-dlq\)$/,
    );
    expect(alarm.periodSeconds).toBeGreaterThan(0);
  });

  test("a metric-math alarm shows the expression it returns, then its inputs", () => {
    const [, id, attrs] = allResources(doc).find(
      ([type, , candidate]) =>
        type === "aws_cloudwatch_metric_alarm" &&
        (candidate.metric_query ?? []).some((query: { id: string }) => /^m\d/.test(query.id)),
    )!;
    const returned = attrs.metric_query.find((query: { return_data: boolean }) => query.return_data);
    const metric = inventory.alarms.find((alarm) => alarm.address.endsWith(`.${id}`))!.metric;
    expect(metric.startsWith(`${returned.expression} where m1 = `)).toBe(true);
    expect(metric).not.toContain("${");
  });

  test("each event rule shows its bus, its pattern as compact JSON and its targets with their dead-letter queues", () => {
    const rules = allResources(doc).filter(([type]) => type === "aws_cloudwatch_event_rule");
    expect(inventory.eventRules).toHaveLength(rules.length);
    for (const [, id, attrs] of rules) {
      expect(inventory.eventRules.find((rule) => rule.address.endsWith(`.${id}`))).toMatchObject({
        name: attrs.name,
        bus: "whk-dev-bus",
        state: "ENABLED",
        eventPattern: JSON.stringify(JSON.parse(attrs.event_pattern)),
      });
    }
    const payments = inventory.eventRules.find((rule) => rule.name === "whk-dev-route-payments")!;
    expect(payments.targets).toEqual([
      expect.objectContaining({
        target: "whk-dev-route-payments",
        deadLetter: "whk-dev-route-payments-target-dlq",
        retry: expect.stringMatching(/^\d+ attempts, \d+ s max age$/),
      }),
    ]);
  });
});

describe("rendering the full view", () => {
  const text = renderInventory(inventory, "full");

  test("it has every section, every resource address and the findings verdict", () => {
    for (const title of Object.values(SECTION_TITLES))
      expect(text).toContain(`\n${title}\n${"=".repeat(title.length)}\n`);
    for (const resource of inventory.resources) expect(text).toContain(resource.address);
    expect(text).toContain("POST    /webhooks/stripe");
    expect(text).toMatch(/WAF\s+aws_wafv2_web_acl\.\S+ \(whk-dev-ingress\)/);
    expect(text).toMatch(/^FINDINGS\n=+\nnone:/m);
  });

  test("resource rows align: the name column starts at the same offset on every row", () => {
    const lines = text.split("\n");
    const start = lines.indexOf(SECTION_TITLES.resources);
    const end = lines.indexOf(SECTION_TITLES.roles);
    const header = lines[start + 2]!;
    const nameColumn = header.indexOf("NAME");
    const rows = lines.slice(start + 3, end).filter((line) => /^ {2}(data\.)?[a-z]+_/.test(line));
    expect(rows).toHaveLength(inventory.resources.length);
    for (const row of rows) {
      expect(row[nameColumn - 1]).toBe(" ");
      expect(row[nameColumn]).not.toBe(" ");
    }
    expect(lines.every((line) => line === line.trimEnd())).toBe(true);
  });
});

describe("rendering JSON", () => {
  test("JSON is the inventory object and round-trips", () => {
    const json = renderInventory(inventory, "json");
    expect(JSON.parse(json)).toEqual(inventory);
    expect(buildInventory(doc)).toEqual(JSON.parse(json));
  });

  test("an unknown format is refused", () => {
    expect(() => renderInventory(inventory, "yaml" as "text")).toThrow(/unknown format yaml/);
  });
});

describe("purity and weight", () => {
  test("buildInventory does not modify the document", () => {
    const before = JSON.stringify(doc);
    buildInventory(doc);
    expect(JSON.stringify(doc)).toBe(before);
  });

  test("a value that is not a JSON object is refused; an empty document is an empty inventory", () => {
    expect(() => buildInventory("cdk.tf.json")).toThrow(TypeError);
    expect(() => buildInventory(null)).toThrow(/parsed cdk\.tf\.json/);
    expect(buildInventory({})).toMatchObject({ stack: "", resources: [], findings: [] });
  });

  test("the module imports nothing but its own files (no cdktf, no provider bindings)", () => {
    const folder = join(__dirname, "../../cli/src/inventory");
    for (const file of readdirSync(folder).filter((name) => name.endsWith(".ts"))) {
      const source = readFileSync(join(folder, file), "utf8");
      const imports = [...source.matchAll(/(?:from|import)\s+"([^"]+)"/g)].map((match) => match[1]);
      expect({ file, imports: imports.filter((path) => !path!.startsWith("./")) }).toEqual({
        file,
        imports: [],
      });
    }
  });
});
