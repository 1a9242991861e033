import { diffStacks, renderDiff } from "../../cli/src/inventory/index";
import type { Change, InventoryDiff } from "../../cli/src/inventory/types";
import { synthStack } from "../support/synth";
import { addEntry, type Doc, editPolicy, logicalId, refTo, resourceOf } from "./support/inventory-fixtures";

/**
 * `inventory --diff`: GIVEN the default stack (synthesized once) as the old document, WHEN a copy
 * is changed, THEN the diff names what the change adds, removes, changes and widens, by physical
 * name.
 */
const { doc } = synthStack();

/** The diff from the synthesized document to a copy changed by `edit` (or, reversed, from the copy). */
function diffAfter(edit: (copy: Doc) => void, reversed = false): InventoryDiff {
  const copy = structuredClone(doc);
  edit(copy);
  return reversed ? diffStacks(copy, doc) : diffStacks(doc, copy);
}
const inSection = (diff: InventoryDiff, section: Change["section"]) =>
  diff.changes.filter((change) => change.section === section);
const ofKind = (diff: InventoryDiff, kind: Change["kind"]) =>
  diff.changes.filter((change) => change.kind === kind);

const validatorPolicy = "ingress_validator_role_policy";
const payloads = "whk-dev-payloads-<account>-us-east-1";

describe("no change", () => {
  test("a document compared with itself", () => {
    const diff = diffStacks(doc, structuredClone(doc));
    expect(diff).toMatchObject({ widened: false, changes: [] });
    expect(diff.counts).toEqual({ widened: 0, added: 0, removed: 0, changed: 0 });
  });

  test("moving a construct: new logical ids, same names", () => {
    const id = logicalId(doc, "aws_sqs_queue", "ingest_queue");
    const moved = JSON.parse(JSON.stringify(doc).replaceAll(id, "moved_ingest_queue_0F0F0F0F"));
    expect(diffStacks(doc, moved).changes).toEqual([]);
  });

  test("a statement split in two and its actions reordered changes no grant", () => {
    const diff = diffAfter((copy) =>
      editPolicy(copy, "aws_iam_role_policy", validatorPolicy, (statements) => {
        const logs = statements.shift();
        statements.push({ ...logs, Action: [logs.Action[1]] }, { ...logs, Action: [logs.Action[0]] });
      }),
    );
    expect(inSection(diff, "iam")).toEqual([]);
    expect(diff.changes).toEqual([
      expect.objectContaining({ section: "resources", kind: "changed", detail: "policy" }),
    ]);
  });
});

describe("resources, by type and physical name", () => {
  test("an added and a removed resource", () => {
    const diff = diffAfter((copy) => {
      addEntry(copy, "aws_sqs_queue", "extra", { name: "whk-dev-extra" });
      delete copy.resource.aws_cloudwatch_metric_alarm[
        logicalId(doc, "aws_cloudwatch_metric_alarm", "delivery_alarms_audit-errors")
      ];
    });
    expect(inSection(diff, "resources")).toEqual([
      {
        kind: "removed",
        section: "resources",
        subject: "cloudwatch_metric_alarm whk-dev-audit-errors",
        detail: "removed",
      },
      { kind: "added", section: "resources", subject: "sqs_queue whk-dev-extra", detail: "added" },
    ]);
  });

  test("a changed attribute shows its old and new value", () => {
    const memory = resourceOf(doc, "aws_lambda_function", "ingress_validator").memory_size;
    const diff = diffAfter((copy) => {
      resourceOf(copy, "aws_lambda_function", "ingress_validator").memory_size = memory * 2;
    });
    expect(diff.changes).toEqual([
      {
        kind: "changed",
        section: "resources",
        subject: "lambda_function whk-dev-validator",
        detail: `memory_size ${memory} → ${memory * 2}`,
      },
    ]);
  });

  test("a reference is compared by the name it points at", () => {
    const diff = diffAfter((copy) => {
      resourceOf(copy, "aws_lambda_function", "delivery_router").role = refTo(
        doc,
        "aws_iam_role",
        "ingress_validator",
        "arn",
      );
    });
    expect(inSection(diff, "resources")).toContainEqual(
      expect.objectContaining({
        subject: "lambda_function whk-dev-router",
        detail: 'role "whk-dev-router-us-east-1" → "whk-dev-validator-us-east-1"',
      }),
    );
  });
});

describe("IAM, grant by grant", () => {
  const addStatement = (statement: object) => (copy: Doc) =>
    editPolicy(copy, "aws_iam_role_policy", validatorPolicy, (statements) => statements.push(statement));

  test("a specific new grant is added, not widened", () => {
    const diff = diffAfter(
      addStatement({
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: refTo(doc, "aws_sqs_queue", "ingest_dlq", "arn"),
      }),
    );
    expect(inSection(diff, "iam")).toEqual([
      {
        kind: "added",
        section: "iam",
        subject: "role whk-dev-validator-us-east-1",
        detail: "allow sqs:SendMessage on whk-dev-ingest-dlq",
      },
    ]);
    expect(diff.widened).toBe(false);
  });

  test("a grant taken away is removed", () => {
    const diff = diffAfter((copy) =>
      editPolicy(copy, "aws_iam_role_policy", validatorPolicy, (statements) => {
        const index = statements.findIndex((s: Doc) => String(s.Action).includes("sqs:SendMessage"));
        statements.splice(index, 1);
      }),
    );
    expect(inSection(diff, "iam")).toEqual([
      expect.objectContaining({ kind: "removed", detail: "allow sqs:SendMessage on whk-dev-ingest" }),
    ]);
  });

  test("a whole-service wildcard is widened", () => {
    const diff = diffAfter(addStatement({ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }));
    expect(ofKind(diff, "widened")).toEqual([
      {
        kind: "widened",
        section: "iam",
        subject: "role whk-dev-validator-us-east-1",
        detail: "allow dynamodb:* on *",
        why: 'every dynamodb action (dynamodb:*); every resource ("*")',
      },
    ]);
    expect(diff.widened).toBe(true);
  });

  test("a resource pattern that matches more replaces the narrower grant, widened", () => {
    const diff = diffAfter((copy) =>
      editPolicy(copy, "aws_iam_role_policy", validatorPolicy, (statements) => {
        const put = statements.find((s: Doc) => String(s.Action) === "s3:PutObject");
        put.Resource = String(put.Resource).replace("/payloads/*", "/*");
      }),
    );
    expect(inSection(diff, "iam")).toEqual([
      {
        kind: "widened",
        section: "iam",
        subject: "role whk-dev-validator-us-east-1",
        detail: `allow s3:PutObject on ${payloads}/*`,
        why: `broader than before: resource ${payloads}/payloads/* → ${payloads}/*`,
      },
    ]);
  });

  test("a condition dropped from a trust policy is widened", () => {
    const diff = diffAfter((copy) =>
      editPolicy(
        copy,
        "aws_iam_role",
        "delivery_archive_put-role",
        (statements) => {
          delete statements[0].Condition.ArnEquals;
        },
        "assume_role_policy",
      ),
    );
    expect(ofKind(diff, "widened")).toEqual([
      expect.objectContaining({
        subject: "role whk-dev-archive-events-us-east-1",
        detail: expect.stringMatching(/^trust: allow Service:events\.amazonaws\.com sts:AssumeRole if /),
        why: "broader than before: condition dropped: ArnEquals aws:SourceArn = whk-dev-archive-all",
      }),
    ]);
  });

  test("a new principal on an existing resource policy is widened", () => {
    const diff = diffAfter((copy) =>
      editPolicy(copy, "aws_sqs_queue_policy", "ingest_queue_policy", (statements) =>
        statements.push({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: "sqs:SendMessage",
          Resource: refTo(doc, "aws_sqs_queue", "ingest_queue", "arn"),
        }),
      ),
    );
    expect(ofKind(diff, "widened")).toEqual([
      expect.objectContaining({
        subject: "sqs_queue_policy on whk-dev-ingest",
        why: "principal added: AWS:account 111122223333 root",
      }),
    ]);
  });

  test("a grant to everyone is widened, under exposure", () => {
    const diff = diffAfter((copy) =>
      editPolicy(copy, "aws_s3_bucket_policy", "payloads_policy", (statements) =>
        statements.push({
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: `${refTo(doc, "aws_s3_bucket", "payloads_bucket", "arn")}/*`,
        }),
      ),
    );
    expect(ofKind(diff, "widened")).toEqual([
      expect.objectContaining({
        section: "exposure",
        subject: `s3_bucket_policy on ${payloads}`,
        detail: `allow * s3:GetObject on ${payloads}/*`,
        why: expect.stringMatching(/^public principal: anyone/),
      }),
    ]);
  });

  test("a Deny guard taken away is widened", () => {
    const diff = diffAfter((copy) =>
      editPolicy(copy, "aws_sqs_queue_policy", "ingest_queue_policy", (statements) => {
        statements.splice(0, statements.length);
      }),
    );
    expect(ofKind(diff, "widened")).toEqual([
      expect.objectContaining({
        subject: "sqs_queue_policy on whk-dev-ingest",
        detail: "DENY * sqs:* on whk-dev-ingest if Bool aws:SecureTransport = false",
        why: "guard removed",
      }),
    ]);
  });

  test("a Lambda permission that loses its source ARN is widened", () => {
    const diff = diffAfter((copy) => {
      delete resourceOf(copy, "aws_lambda_permission", "ingress_api_permission").source_arn;
    });
    expect(ofKind(diff, "widened")).toEqual([
      expect.objectContaining({
        subject: "invokers of whk-dev-validator",
        detail: "allow apigateway.amazonaws.com lambda:InvokeFunction",
        why: "broader than before: condition dropped: ArnLike aws:SourceArn = whk-dev-live execution_arn/POST/webhook*",
      }),
    ]);
  });

  test("a role that goes away is one change, not one per grant", () => {
    const diff = diffAfter((copy) => {
      delete copy.resource.aws_iam_role[logicalId(doc, "aws_iam_role", "delivery_audit")];
      delete copy.resource.aws_iam_role_policy[logicalId(doc, "aws_iam_role_policy", "delivery_audit")];
    });
    expect(inSection(diff, "iam")).toEqual([
      {
        kind: "removed",
        section: "iam",
        subject: "role whk-dev-audit-us-east-1",
        detail: expect.stringMatching(/^removed with its \d+ grants$/),
      },
    ]);
  });
});

describe("internet exposure", () => {
  const method = (copy: Doc, provider: string) =>
    resourceOf(copy, "aws_api_gateway_method", `ingress_api_method-${provider}`);
  const waf = (copy: Doc) => resourceOf(copy, "aws_wafv2_web_acl", "ingress_waf");
  const rule = (copy: Doc, name: string) => waf(copy).rule.find((r: Doc) => r.name === name);
  const throttle = (copy: Doc) => resourceOf(copy, "aws_api_gateway_method_settings", "ingress_api").settings;

  test.each<[string, (copy: Doc) => void, boolean, Partial<Change>]>([
    [
      "a route that stops requiring an API key",
      (copy) => {
        method(copy, "acme").api_key_required = false;
      },
      false,
      { kind: "widened", subject: "route POST /webhooks/acme", detail: "API key no longer required" },
    ],
    [
      "a route that starts requiring an API key",
      (copy) => {
        method(copy, "stripe").api_key_required = true;
      },
      false,
      { kind: "changed", subject: "route POST /webhooks/stripe", detail: "API key now required" },
    ],
    [
      "a route whose authorization becomes NONE",
      (copy) => {
        method(copy, "stripe").authorization = "AWS_IAM";
      },
      true,
      { kind: "widened", subject: "route POST /webhooks/stripe", detail: "authorization AWS_IAM → NONE" },
    ],
    [
      "a blocking WAF rule that only counts",
      (copy) => {
        rule(copy, "rate-limit").action = { count: {} };
      },
      false,
      {
        kind: "widened",
        subject: "WAF whk-dev-ingress",
        detail: "rule rate-limit: block 429 (too_many_requests) → count",
      },
    ],
    [
      "a count that blocks again",
      (copy) => {
        rule(copy, "rate-limit").action = { count: {} };
      },
      true,
      {
        kind: "changed",
        subject: "WAF whk-dev-ingress",
        detail: expect.stringMatching(/^rule rate-limit: count → block/),
      },
    ],
    [
      "a WAF rule removed",
      (copy) => {
        waf(copy).rule = waf(copy).rule.filter((r: Doc) => r.name !== "oversize-body");
      },
      false,
      {
        kind: "widened",
        subject: "WAF whk-dev-ingress",
        detail: expect.stringMatching(/^rule oversize-body removed/),
      },
    ],
    [
      "a WAF default action that allows",
      (copy) => {
        waf(copy).default_action = { block: {} };
      },
      true,
      { kind: "widened", subject: "WAF whk-dev-ingress", detail: "default action block → allow" },
    ],
    [
      "a stage no longer behind the WAF",
      (copy) => {
        delete copy.resource.aws_wafv2_web_acl_association;
      },
      false,
      { kind: "widened", subject: "stage whk-dev-live", detail: "WAF whk-dev-ingress removed" },
    ],
    [
      "throttling raised",
      (copy) => {
        throttle(copy).throttling_rate_limit *= 2;
      },
      false,
      {
        kind: "widened",
        subject: "stage whk-dev-live",
        detail: expect.stringMatching(/^throttle \d+ req\/s/),
      },
    ],
    [
      "throttling lowered",
      (copy) => {
        throttle(copy).throttling_rate_limit /= 2;
      },
      false,
      {
        kind: "changed",
        subject: "stage whk-dev-live",
        detail: expect.stringMatching(/^throttle \d+ req\/s/),
      },
    ],
    [
      "a route taken away",
      (copy) => {
        delete copy.resource.aws_api_gateway_method[
          logicalId(doc, "aws_api_gateway_method", "ingress_api_method-svix")
        ];
      },
      false,
      { kind: "removed", subject: "route POST /webhooks/svix", detail: "removed" },
    ],
    [
      "a new route",
      (copy) => {
        delete copy.resource.aws_api_gateway_method[
          logicalId(doc, "aws_api_gateway_method", "ingress_api_method-svix")
        ];
      },
      true,
      {
        kind: "added",
        subject: "route POST /webhooks/svix",
        detail: expect.stringMatching(/^added: auth NONE, no API key/),
      },
    ],
    [
      "a function URL",
      (copy) => {
        addEntry(copy, "aws_lambda_function_url", "url", {
          function_name: refTo(doc, "aws_lambda_function", "delivery_router", "function_name"),
          authorization_type: "AWS_IAM",
        });
      },
      false,
      { kind: "widened", subject: "function URL of whk-dev-router", detail: "added, authorization AWS_IAM" },
    ],
    [
      "a bucket's public access block turned off",
      (copy) => {
        resourceOf(copy, "aws_s3_bucket_public_access_block", "payloads").block_public_policy = false;
      },
      false,
      { kind: "widened", subject: `bucket ${payloads}`, why: "blockPublicPolicy off" },
    ],
  ])("%s", (_name, edit, reversed, expected) => {
    const changes = inSection(diffAfter(edit, reversed), "exposure");
    expect(changes).toContainEqual(expect.objectContaining({ section: "exposure", ...expected }));
  });

  test("a managed rule group that goes from its own actions to counting everything", () => {
    const before = structuredClone(doc);
    rule(before, "known-bad-inputs").override_action = { none: {} };
    const after = structuredClone(before);
    rule(after, "known-bad-inputs").override_action = { count: {} };
    expect(inSection(diffStacks(before, after), "exposure")).toEqual([
      {
        kind: "widened",
        section: "exposure",
        subject: "WAF whk-dev-ingress",
        detail: "rule known-bad-inputs: rule group actions → count (whole group)",
        why: "the rule stops fewer requests",
      },
    ]);
  });
});

describe("alarms and event rules", () => {
  test("a threshold change shows when the alarm fired before and fires now", () => {
    const alarm = resourceOf(doc, "aws_cloudwatch_metric_alarm", "delivery_alarms_ingest-dlq-depth");
    const of = `${alarm.datapoints_to_alarm} of ${alarm.evaluation_periods}`;
    const diff = diffAfter((copy) => {
      resourceOf(copy, "aws_cloudwatch_metric_alarm", "delivery_alarms_ingest-dlq-depth").threshold =
        alarm.threshold + 5;
    });
    expect(inSection(diff, "alarms")).toEqual([
      {
        kind: "changed",
        section: "alarms",
        subject: "alarm whk-dev-ingest-dlq-depth",
        detail: `fires when > ${alarm.threshold} in ${of} periods of ${alarm.period} s → > ${alarm.threshold + 5} in ${of} periods of ${alarm.period} s`,
      },
    ]);
  });

  test("missing-data treatment and a removed alarm", () => {
    const diff = diffAfter((copy) => {
      resourceOf(copy, "aws_cloudwatch_metric_alarm", "delivery_alarms_router-errors").treat_missing_data =
        "breaching";
      delete copy.resource.aws_cloudwatch_metric_alarm[
        logicalId(doc, "aws_cloudwatch_metric_alarm", "delivery_alarms_audit-errors")
      ];
    });
    expect(inSection(diff, "alarms")).toEqual([
      expect.objectContaining({ kind: "removed", subject: "alarm whk-dev-audit-errors" }),
      expect.objectContaining({
        kind: "changed",
        subject: "alarm whk-dev-router-errors",
        detail: "missing data notBreaching → breaching",
      }),
    ]);
  });

  test("an event pattern change shows both patterns", () => {
    const rule = resourceOf(doc, "aws_cloudwatch_event_rule", "delivery_route-payments");
    const diff = diffAfter((copy) => {
      resourceOf(copy, "aws_cloudwatch_event_rule", "delivery_route-payments").event_pattern = JSON.stringify(
        {
          source: [{ prefix: "webhooks." }],
        },
      );
    });
    expect(inSection(diff, "event rules")).toEqual([
      {
        kind: "changed",
        section: "event rules",
        subject: "rule whk-dev-route-payments",
        detail: `pattern ${JSON.stringify(JSON.parse(rule.event_pattern))} → {"source":[{"prefix":"webhooks."}]}`,
      },
    ]);
  });

  test("a target that loses its dead-letter queue", () => {
    const diff = diffAfter((copy) => {
      delete resourceOf(copy, "aws_cloudwatch_event_target", "delivery_route-payments").dead_letter_config;
    });
    expect(inSection(diff, "event rules")).toEqual([
      expect.objectContaining({
        kind: "changed",
        detail: expect.stringMatching(
          /^target whk-dev-route-payments: dead letters whk-dev-route-payments-target-dlq, .* → dead letters none, /,
        ),
      }),
    ]);
  });
});

describe("findings", () => {
  const broaden = (copy: Doc) =>
    editPolicy(copy, "aws_iam_role_policy", validatorPolicy, (statements) =>
      statements.push({ Effect: "Allow", Action: "s3:*", Resource: "*" }),
    );

  test("a new finding is added, a fixed one resolved", () => {
    expect(inSection(diffAfter(broaden), "findings")).toContainEqual(
      expect.objectContaining({
        kind: "added",
        subject: "iam_role whk-dev-validator-us-east-1",
        detail: "new warning: role whk-dev-validator-us-east-1 allows every s3 action (s3:*)",
      }),
    );
    expect(inSection(diffAfter(broaden, true), "findings")).toContainEqual(
      expect.objectContaining({
        kind: "removed",
        detail: "resolved warning: role whk-dev-validator-us-east-1 allows every s3 action (s3:*)",
      }),
    );
  });
});

describe("the diff as a whole", () => {
  const diff = diffAfter((copy) => {
    resourceOf(copy, "aws_lambda_function", "ingress_validator").timeout = 29;
    resourceOf(copy, "aws_api_gateway_method", "ingress_api_method-acme").api_key_required = false;
    editPolicy(copy, "aws_iam_role_policy", validatorPolicy, (statements) =>
      statements.push({ Effect: "Allow", Action: "kms:*", Resource: "*" }),
    );
  });

  test("widened changes come first; the counts add up", () => {
    const kinds = diff.changes.map((change) => change.kind);
    expect(kinds.slice(0, diff.counts.widened).every((kind) => kind === "widened")).toBe(true);
    expect(kinds.slice(diff.counts.widened)).not.toContain("widened");
    expect(Object.values(diff.counts).reduce((a, b) => a + b, 0)).toBe(diff.changes.length);
    expect(diff.counts.widened).toBe(2);
  });

  test.each([60, 100])("text: widened first, every line within %i columns", (width) => {
    const text = renderDiff(diff, "text", { width, against: "base/cdk.tf.json" });
    expect(Math.max(...text.split("\n").map((line) => [...line].length))).toBeLessThanOrEqual(width);
    expect(text).toMatch(/^Changes to stack .* since base\/cdk\.tf\.json: 2 widened\b/);
    expect(text.indexOf("WIDENED (2)")).toBeLessThan(text.indexOf("RESOURCES ("));
    expect(text).toMatch(/^ {2}! API key no longer required$/m);
    expect(text).toMatch(/^ {6}why: /m);
  });

  test("Markdown: a table of widened changes with their reasons, then one table per section", () => {
    const markdown = renderDiff(diff, "markdown");
    expect(markdown).toContain("**2 widened**");
    expect(markdown).toContain("### Widened: review these\n\n| Section | Subject | Change | Why |");
    expect(markdown).toContain("| exposure | `route POST /webhooks/acme` | API key no longer required |");
    expect(markdown).toContain("### Resources\n\n|  | Subject | Change |");
  });

  test("JSON is the diff object", () => {
    expect(JSON.parse(renderDiff(diff, "json"))).toEqual(diff);
  });

  test("no changes says so in every format", () => {
    const none = diffStacks(doc, doc);
    expect(renderDiff(none, "text")).toContain("No changes to resources, IAM, exposure");
    expect(renderDiff(none, "markdown")).toContain("No changes to resources, IAM, exposure");
  });
});
