import { buildInventory, type Inventory } from "../../cli/src/inventory/index";
import type { Finding } from "../../cli/src/inventory/types";
import { synthStack } from "../support/synth";
import { addEntry, type Doc, logicalId, policyJson, refTo } from "./support/inventory-fixtures";

/**
 * Breaking cases: copies of the synthesized document with one change each, proving every check of
 * the inventory can fail. GIVEN the default stack (synthesized once), WHEN a copy is changed, THEN
 * the inventory lists the change and calls it out.
 */
const { doc } = synthStack();

const id = (type: string, prefix: string): string => logicalId(doc, type, prefix);
const ref = (type: string, prefix: string, attribute: string) => refTo(doc, type, prefix, attribute);
const add = addEntry;
const bucket = ref("aws_s3_bucket", "payloads_bucket", "id");
const bucketArn = ref("aws_s3_bucket", "payloads_bucket", "arn");
const validatorRole = ref("aws_iam_role", "ingress_validator", "id");
const router = ref("aws_lambda_function", "delivery_router", "arn");

function variant(change: (copy: Doc) => void): Inventory {
  const copy = structuredClone(doc);
  change(copy);
  return buildInventory(copy);
}

const warnings = (inventory: Inventory): Finding[] =>
  inventory.findings.filter((f) => f.severity === "warning");

describe("public exposure besides the API is a warning", () => {
  test("a bucket policy that allows everyone to read objects", () => {
    const inventory = variant((copy) => {
      const policy = copy.resource.aws_s3_bucket_policy[id("aws_s3_bucket_policy", "payloads_policy")];
      const parsed = JSON.parse(policy.policy);
      parsed.Statement.push({
        Sid: "PublicRead",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `${bucketArn}/*`,
      });
      policy.policy = JSON.stringify(parsed);
    });

    const exposed = inventory.exposure.publicStatements.filter((item) => item.exposure);
    expect(exposed).toHaveLength(1);
    expect(exposed[0]!.statement).toMatchObject({ sid: "PublicRead", actions: ["s3:GetObject"] });
    expect(exposed[0]!.statement.resources).toEqual([
      `aws_s3_bucket.${id("aws_s3_bucket", "payloads_bucket")} (whk-dev-payloads-<account>-us-east-1)/*`,
    ]);
    expect(warnings(inventory)).toEqual([
      expect.objectContaining({
        section: "exposure",
        message: expect.stringMatching(
          /whk-dev-payloads-<account>-us-east-1.*allows everyone.*s3:GetObject with no condition/,
        ),
      }),
    ]);
  });

  test("an allow to {AWS: *} is public too, and its limiting condition is shown", () => {
    const inventory = variant((copy) => {
      const policy = copy.resource.aws_sqs_queue_policy[id("aws_sqs_queue_policy", "ingest_queue_policy")];
      const parsed = JSON.parse(policy.policy);
      parsed.Statement.push({
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "sqs:SendMessage",
        Resource: ref("aws_sqs_queue", "ingest_queue", "arn"),
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-example" } },
      });
      policy.policy = JSON.stringify(parsed);
    });
    expect(warnings(inventory).map((f) => f.message)).toEqual([
      expect.stringMatching(
        /whk-dev-ingest.*sqs:SendMessage limited only by StringEquals aws:PrincipalOrgID = o-example/,
      ),
    ]);
  });

  test("a Lambda function URL", () => {
    const inventory = variant((copy) =>
      add(copy, "aws_lambda_function_url", "router_url", {
        function_name: router,
        authorization_type: "NONE",
      }),
    );
    expect(inventory.exposure.functionUrls).toEqual([
      {
        address: "aws_lambda_function_url.router_url",
        function: `aws_lambda_function.${id("aws_lambda_function", "delivery_router")} (whk-dev-router)`,
        authorizationType: "NONE",
      },
    ]);
    expect(warnings(inventory)).toEqual([
      expect.objectContaining({
        subject: "aws_lambda_function_url.router_url",
        message: expect.stringMatching(/internet/),
      }),
    ]);
    expect(inventory.resources.find((r) => r.address === "aws_lambda_function_url.router_url")).toMatchObject(
      {
        name: "URL of whk-dev-router",
        known: true,
      },
    );
  });

  test("a Lambda permission for everyone", () => {
    const inventory = variant((copy) =>
      add(copy, "aws_lambda_permission", "anyone", {
        statement_id: "anyone",
        action: "lambda:InvokeFunction",
        function_name: router,
        principal: "*",
      }),
    );
    expect(inventory.exposure.publicStatements.filter((item) => item.exposure)).toHaveLength(1);
    expect(warnings(inventory).map((f) => f.subject)).toEqual(["aws_lambda_permission.anyone"]);
  });

  test("a bucket without a public access block", () => {
    const inventory = variant((copy) => add(copy, "aws_s3_bucket", "exports", { bucket: "whk-dev-exports" }));
    const exports = inventory.exposure.buckets.find((b) => b.name === "whk-dev-exports")!;
    expect(exports.publicAccessBlock).toBeUndefined();
    expect(warnings(inventory)).toEqual([
      expect.objectContaining({
        subject: "aws_s3_bucket.exports",
        message: expect.stringMatching(/no public access block/),
      }),
    ]);
  });

  test("an account-level public access block covers a bucket without its own", () => {
    const inventory = variant((copy) => {
      add(copy, "aws_s3_bucket", "exports", { bucket: "whk-dev-exports" });
      add(copy, "aws_s3_account_public_access_block", "account", {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    });
    expect(warnings(inventory)).toEqual([]);
  });

  test("a public access block that leaves a setting off", () => {
    const inventory = variant((copy) => {
      copy.resource.aws_s3_bucket_public_access_block[
        id("aws_s3_bucket_public_access_block", "payloads")
      ].restrict_public_buckets = false;
    });
    expect(inventory.exposure.buckets[0]!.blocks.restrictPublicBuckets).toBe(false);
    expect(warnings(inventory).map((f) => f.message)).toEqual([
      expect.stringMatching(/leaves off: restrictPublicBuckets$/),
    ]);
  });

  test("a public ACL and a website configuration", () => {
    const inventory = variant((copy) => {
      add(copy, "aws_s3_bucket_acl", "acl", { bucket, acl: "public-read" });
      add(copy, "aws_s3_bucket_website_configuration", "site", {
        bucket,
        index_document: { suffix: "index.html" },
      });
    });
    expect(inventory.exposure.buckets[0]).toMatchObject({ acl: "public-read", website: true });
    expect(warnings(inventory)).toHaveLength(2);
  });

  test("a stage without the WAF association", () => {
    const inventory = variant((copy) => {
      delete copy.resource.aws_wafv2_web_acl_association;
    });
    expect(inventory.exposure.restApis[0]!.stages[0]!.webAcl).toBeUndefined();
    expect(warnings(inventory).map((f) => f.message)).toEqual([
      expect.stringMatching(/internet-facing without a WAF/),
    ]);
  });

  test("a security group open to the internet", () => {
    const inventory = variant((copy) =>
      add(copy, "aws_security_group", "open", {
        name: "whk-dev-open",
        ingress: [{ cidr_blocks: ["0.0.0.0/0"], from_port: 22, to_port: 22 }],
      }),
    );
    expect(inventory.exposure.other).toEqual([
      {
        address: "aws_security_group.open",
        type: "aws_security_group",
        detail: "security group open to the internet",
      },
    ]);
    expect(warnings(inventory)).toHaveLength(1);
  });
});

describe("broad permissions are a warning", () => {
  test("an inline policy with action '*' and a whole-service wildcard", () => {
    const inventory = variant((copy) =>
      add(copy, "aws_iam_role_policy", "admin", {
        name: "whk-dev-admin",
        role: validatorRole,
        policy: policyJson([
          { Effect: "Allow", Action: "*", Resource: "*" },
          { Effect: "Allow", Action: "s3:*", Resource: bucketArn },
        ]),
      }),
    );
    const validator = inventory.iam.roles.find((role) => role.name === "whk-dev-validator-us-east-1")!;
    expect(validator.policies.map((policy) => policy.address)).toContain("aws_iam_role_policy.admin");
    expect(warnings(inventory).map((f) => f.message)).toEqual([
      'role whk-dev-validator-us-east-1 allows action "*"',
      'role whk-dev-validator-us-east-1 allows * on every resource ("*")',
      "role whk-dev-validator-us-east-1 allows every s3 action (s3:*)",
    ]);
  });

  test("a NotAction statement grants everything but its exceptions, and is flagged once", () => {
    const inventory = variant((copy) =>
      add(copy, "aws_iam_role_policy", "all_but_iam", {
        name: "whk-dev-all-but-iam",
        role: validatorRole,
        policy: policyJson([{ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }]),
      }),
    );
    expect(warnings(inventory).map((f) => f.message)).toEqual([
      'role whk-dev-validator-us-east-1 allows every action except iam:* on every resource ("*")',
    ]);
  });

  test("an API Gateway permission without a source ARN (any account's API could invoke)", () => {
    const inventory = variant((copy) =>
      add(copy, "aws_lambda_permission", "any_api", {
        statement_id: "any-api",
        action: "lambda:InvokeFunction",
        function_name: router,
        principal: "apigateway.amazonaws.com",
      }),
    );
    expect(warnings(inventory).map((f) => f.message)).toEqual([
      expect.stringMatching(/apigateway\.amazonaws\.com may invoke .*whk-dev-router.* any account/),
    ]);
  });
});

describe("policy forms", () => {
  test("data.aws_iam_policy_document: statements read with references resolved", () => {
    const inventory = variant((copy) => {
      add(
        copy,
        "aws_iam_policy_document",
        "extra_doc",
        {
          statement: [
            {
              actions: ["s3:GetObject"],
              resources: [`${bucketArn}/exports/*`],
              condition: [
                {
                  test: "StringEquals",
                  variable: "aws:ResourceAccount",
                  values: [`\${data.aws_caller_identity.x.account_id}`],
                },
              ],
            },
          ],
        },
        "data",
      );
      add(copy, "aws_iam_role_policy", "from_doc", {
        name: "whk-dev-from-doc",
        role: validatorRole,
        policy: `\${data.aws_iam_policy_document.extra_doc.json}`,
      });
    });
    const policy = inventory.iam.roles
      .flatMap((role) => role.policies)
      .find((candidate) => candidate.address === "aws_iam_role_policy.from_doc")!;
    expect(policy.statements).toEqual([
      {
        effect: "Allow",
        principals: [],
        actions: ["s3:GetObject"],
        resources: [
          `aws_s3_bucket.${id("aws_s3_bucket", "payloads_bucket")} (whk-dev-payloads-<account>-us-east-1)/exports/*`,
        ],
        conditions: [{ operator: "StringEquals", key: "aws:ResourceAccount", values: ["<account>"] }],
      },
    ]);
    expect(
      inventory.resources.find((r) => r.address === "data.aws_iam_policy_document.extra_doc")?.known,
    ).toBe(true);
  });

  test("jsonencode({...}) interpolation: the HCL literal cdktf writes is read", () => {
    const inventory = variant((copy) =>
      add(copy, "aws_iam_role_policy", "encoded", {
        name: "whk-dev-encoded",
        role: validatorRole,
        policy: `\${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = ["sqs:SendMessage"], "Resource" = ${ref("aws_sqs_queue", "ingest_dlq", "arn").slice(2, -1)}, "Condition" = {"Bool" = {"aws:SecureTransport" = "true"}}}]})}`,
      }),
    );
    const policy = inventory.iam.roles
      .flatMap((role) => role.policies)
      .find((p) => p.address === "aws_iam_role_policy.encoded")!;
    expect(policy.unreadable).toBeUndefined();
    expect(policy.statements).toEqual([
      {
        effect: "Allow",
        principals: [],
        actions: ["sqs:SendMessage"],
        resources: [`aws_sqs_queue.${id("aws_sqs_queue", "ingest_dlq")} (whk-dev-ingest-dlq)`],
        conditions: [{ operator: "Bool", key: "aws:SecureTransport", values: ["true"] }],
      },
    ]);
  });

  test("an expression the inventory cannot read is a warning, never silently empty", () => {
    const inventory = variant((copy) =>
      add(copy, "aws_iam_role_policy", "opaque", {
        name: "whk-dev-opaque",
        role: validatorRole,
        policy: `\${file("policy.json")}`,
      }),
    );
    expect(warnings(inventory).map((f) => f.message)).toEqual([
      expect.stringMatching(/not readable \(policy is a Terraform expression/),
    ]);
  });

  test("inline_policy blocks and customer-managed policies attached to a role are read", () => {
    const inventory = variant((copy) => {
      const roleId = id("aws_iam_role", "delivery_router");
      copy.resource.aws_iam_role[roleId].inline_policy = [
        {
          name: "whk-dev-extra",
          policy: policyJson([
            {
              Effect: "Allow",
              Action: "sqs:GetQueueUrl",
              Resource: ref("aws_sqs_queue", "ingest_queue", "arn"),
            },
          ]),
        },
      ];
      add(copy, "aws_iam_policy", "shared", {
        name: "whk-dev-shared-read",
        policy: policyJson([
          { Effect: "Allow", Action: "dynamodb:Query", Resource: ref("aws_dynamodb_table", "table", "arn") },
        ]),
      });
      add(copy, "aws_iam_role_policy_attachment", "shared", {
        role: `\${aws_iam_role.${roleId}.name}`,
        policy_arn: `\${aws_iam_policy.shared.arn}`,
      });
    });
    const routerRole = inventory.iam.roles.find((role) => role.name === "whk-dev-router-us-east-1")!;
    expect(
      routerRole.policies.map((policy) => [policy.kind, policy.statements.flatMap((s) => s.actions)]),
    ).toEqual(
      expect.arrayContaining([
        ["inline_policy block", ["sqs:GetQueueUrl"]],
        ["customer managed", ["dynamodb:Query"]],
      ]),
    );
    expect(inventory.findings).toEqual([]);
  });

  test("an AWS managed policy attachment is listed and noted (its statements are not in the document)", () => {
    const arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    const inventory = variant((copy) =>
      add(copy, "aws_iam_role_policy_attachment", "basic", {
        role: validatorRole.replace(".id}", ".name}"),
        policy_arn: arn,
      }),
    );
    const validator = inventory.iam.roles.find((role) => role.name === "whk-dev-validator-us-east-1")!;
    expect(validator.policies).toContainEqual(expect.objectContaining({ kind: "AWS managed", name: arn }));
    expect(inventory.findings).toEqual([
      expect.objectContaining({ severity: "note", message: expect.stringContaining(arn) }),
    ]);
  });
});

describe("resources the purpose table does not know", () => {
  test("are listed with a fallback purpose, marked unknown and noted", () => {
    const inventory = variant((copy) =>
      add(copy, "aws_ssm_parameter", "flag", { name: "/whk/dev/flag", type: "String" }),
    );
    expect(inventory.resources.find((r) => r.address === "aws_ssm_parameter.flag")).toMatchObject({
      name: "/whk/dev/flag",
      nameSource: "name",
      known: false,
      purpose: "ssm parameter (extra/flag)",
      group: "extra",
    });
    expect(inventory.findings).toEqual([
      expect.objectContaining({
        severity: "note",
        subject: "aws_ssm_parameter.flag",
        message: expect.stringMatching(/no purpose known/),
      }),
    ]);
  });
});

describe("alarms and rules the default stack does not have", () => {
  test("a composite alarm shows its rule and no threshold", () => {
    const inventory = variant((copy) =>
      add(copy, "aws_cloudwatch_composite_alarm", "any_dlq", {
        alarm_name: "whk-dev-any-dlq",
        alarm_rule: `ALARM(\${aws_cloudwatch_metric_alarm.${id("aws_cloudwatch_metric_alarm", "delivery_alarms_ingest-dlq-depth")}.alarm_name})`,
        alarm_actions: [],
      }),
    );
    const alarm = inventory.alarms.find((candidate) => candidate.name === "whk-dev-any-dlq")!;
    expect(alarm.metric).toMatch(/^rule ALARM\(.*\(whk-dev-ingest-dlq-depth\)\)$/);
    expect(alarm.comparison).toBeUndefined();
    expect(alarm.threshold).toBeUndefined();
    expect(alarm.actions).toEqual([]);
  });

  test("a disabled scheduled rule on the default bus, with a target but no dead-letter queue", () => {
    const inventory = variant((copy) => {
      add(copy, "aws_cloudwatch_event_rule", "nightly", {
        name: "whk-dev-nightly",
        schedule_expression: "rate(1 day)",
        state: "DISABLED",
      });
      add(copy, "aws_cloudwatch_event_target", "nightly_router", {
        rule: `\${aws_cloudwatch_event_rule.nightly.name}`,
        arn: router,
      });
    });
    expect(inventory.eventRules.find((rule) => rule.name === "whk-dev-nightly")).toEqual({
      address: "aws_cloudwatch_event_rule.nightly",
      name: "whk-dev-nightly",
      bus: "default",
      state: "DISABLED",
      schedule: "rate(1 day)",
      targets: [
        {
          address: "aws_cloudwatch_event_target.nightly_router",
          id: "nightly_router",
          target: "whk-dev-router",
        },
      ],
    });
  });
});
