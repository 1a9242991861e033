import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { TerraformStack, Testing } from "cdktf";
import { WAF_RATE_BASED_RULES, WAF_WEB_ACL_CAPACITY_UNITS } from "../../constructs/quotas";
import { WebAcl, type WebAclProps } from "../../constructs/web-acl";
import {
  COUNTED_MANAGED_RULE_GROUPS,
  decimalGreaterThan,
  rateLimitStatements,
  statementCapacity,
  webAclCapacity,
} from "../../constructs/web-acl-rules";
import { bareScope } from "../support/scope";
import { resourcesOf, synthStack } from "../support/synth";

const { json, doc } = synthStack();

/** A web ACL in a stack of its own (constructing it is enough: its checks run without a synth). */
function standaloneAcl(props: Partial<WebAclProps>): WebAcl {
  const { root, naming, context, key } = bareScope("standalone");
  return new WebAcl(root, "waf", { naming, context, key, ...props });
}
const [[aclId, acl]] = resourcesOf(doc, "aws_wafv2_web_acl");
// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
const rule = (name: string): any => acl.rule.find((r: { name: string }) => r.name === name);

describe("web ACL", () => {
  test("is regional, named by the naming module, and allows by default", () => {
    expect(json).toHaveResourceWithProperties(Wafv2WebAcl, {
      name: "whk-dev-ingress",
      scope: "REGIONAL",
      default_action: { allow: {} },
    });
  });

  test("is associated with the API stage", () => {
    const [[, association]] = resourcesOf(doc, "aws_wafv2_web_acl_association");
    const [[stageId]] = resourcesOf(doc, "aws_api_gateway_stage");
    expect(association).toEqual({
      resource_arn: `\${aws_api_gateway_stage.${stageId}.arn}`,
      web_acl_arn: `\${aws_wafv2_web_acl.${aclId}.arn}`,
    });
  });

  test("evaluates rate limit, size, then the counted managed rule groups", () => {
    expect(acl.rule.map((r: { name: string; priority: number }) => [r.priority, r.name])).toEqual([
      [0, "rate-limit"],
      [1, "oversize-body"],
      [2, "known-bad-inputs"],
      [3, "common"],
    ]);
  });

  test("publishes CloudWatch metrics and sampled requests for the ACL and every rule", () => {
    for (const config of [
      acl.visibility_config,
      ...acl.rule.map((r: { visibility_config: unknown }) => r.visibility_config),
    ]) {
      expect(config).toEqual({
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
        metric_name: expect.stringMatching(/^whk-dev-ingress/),
      });
    }
  });

  test("returns JSON bodies for its 413 and 429 answers", () => {
    expect(acl.custom_response_body).toEqual([
      {
        key: "payload_too_large",
        content_type: "APPLICATION_JSON",
        content: '{"message":"Payload too large"}',
      },
      {
        key: "too_many_requests",
        content_type: "APPLICATION_JSON",
        content: '{"message":"Too many requests"}',
      },
    ]);
  });
});

describe("rate-limit rule", () => {
  test("limits each source IP on each path to config.limits.wafRateLimitPer5Min per 5 minutes", () => {
    expect(rule("rate-limit").statement.rate_based_statement).toEqual({
      limit: 30_000,
      evaluation_window_sec: 300,
      aggregate_key_type: "CUSTOM_KEYS",
      custom_key: [{ ip: {} }, { uri_path: { text_transformation: [{ priority: 0, type: "LOWERCASE" }] } }],
    });
  });

  test("blocks with a 429 and the JSON body", () => {
    expect(rule("rate-limit").action).toEqual({
      block: { custom_response: { response_code: 429, custom_response_body_key: "too_many_requests" } },
    });
  });
});

describe("per-provider rate limits", () => {
  const statements = rateLimitStatements(30_000, [
    { path: "/webhooks/shopify", limitPer5Min: 90_000 },
    { path: "/webhooks/stripe", limitPer5Min: 90_000 },
    { path: "/webhooks/acme", limitPer5Min: 600 },
  ]);
  const endsWith = (path: string) => ({
    byte_match_statement: {
      search_string: path,
      positional_constraint: "ENDS_WITH",
      field_to_match: { uri_path: {} },
      text_transformation: [{ priority: 0, type: "LOWERCASE" }],
    },
  });

  test("providers sharing a limit share one rule, scoped down to their paths", () => {
    expect(statements.map((s) => s.name)).toEqual(["rate-limit-600", "rate-limit-90000", "rate-limit"]);
    expect(statements[1]!.statement).toEqual({
      rate_based_statement: expect.objectContaining({
        limit: 90_000,
        scope_down_statement: {
          or_statement: { statement: [endsWith("/webhooks/shopify"), endsWith("/webhooks/stripe")] },
        },
      }),
    });
  });

  test("the default limit applies to every other path", () => {
    expect(statements[2]!.statement).toEqual({
      rate_based_statement: expect.objectContaining({
        limit: 30_000,
        scope_down_statement: {
          not_statement: {
            statement: [
              {
                or_statement: {
                  statement: [
                    endsWith("/webhooks/acme"),
                    endsWith("/webhooks/shopify"),
                    endsWith("/webhooks/stripe"),
                  ],
                },
              },
            ],
          },
        },
      }),
    });
  });

  test("a provider limit equal to the default needs no rule of its own", () => {
    expect(
      rateLimitStatements(30_000, [{ path: "/webhooks/stripe", limitPer5Min: 30_000 }]).map((s) => s.name),
    ).toEqual(["rate-limit"]);
  });

  test("more distinct limits than WAF's rate-based rules per web ACL fail synth naming the quota", () => {
    const paths = Array.from({ length: WAF_RATE_BASED_RULES }, (_, i) => ({
      path: `/webhooks/p${i}`,
      limitPer5Min: 1000 + i,
    }));
    expect(() => rateLimitStatements(30_000, paths)).toThrow(/WAF allows 10 rate-based rules per web ACL/);
  });
});

describe("oversize-body rule", () => {
  test("blocks with a 413 when Content-Length exceeds config.limits.maxBodyBytes", () => {
    expect(rule("oversize-body")).toEqual(
      expect.objectContaining({
        action: {
          block: { custom_response: { response_code: 413, custom_response_body_key: "payload_too_large" } },
        },
        statement: {
          regex_match_statement: {
            regex_string: decimalGreaterThan(1_048_576),
            field_to_match: { single_header: { name: "content-length" } },
            text_transformation: [{ priority: 0, type: "NONE" }],
          },
        },
      }),
    );
  });

  test("its pattern fits WAF's 512-character regex limit even at the largest allowed maxBodyBytes", () => {
    expect(decimalGreaterThan(4_194_304).length).toBeLessThanOrEqual(512);
  });

  const limit = 1_048_576;
  const pattern = new RegExp(decimalGreaterThan(limit));
  test.each([
    ["0", false],
    ["1", false],
    ["999999", false],
    ["1048575", false],
    ["1048576", false],
    ["001048576", false],
    ["1048577", true],
    ["1048580", true],
    ["1049000", true],
    ["1100000", true],
    ["2000000", true],
    ["9999999", true],
    ["10000000", true],
    ["6291456", true],
    ["0001048577", true],
    ["", false],
    ["abc", false],
    ["1048577 ", false],
  ])("Content-Length %j is over 1048576: %s", (value, over) => {
    expect(pattern.test(value)).toBe(over);
  });

  test.each([1, 9, 10, 99, 250, 1000, 4_194_304])("matches exactly the integers above %i", (n) => {
    const regex = new RegExp(decimalGreaterThan(n));
    for (let value = Math.max(0, n - 120); value <= n + 120; value++) {
      expect([value, regex.test(String(value))]).toEqual([value, value > n]);
    }
    expect(regex.test(String(n * 10 + 7))).toBe(true);
  });
});

describe("managed rule groups", () => {
  test.each([
    ["known-bad-inputs", "AWSManagedRulesKnownBadInputsRuleSet"],
    ["common", "AWSManagedRulesCommonRuleSet"],
  ])("%s (%s) counts every match and blocks nothing", (name, group) => {
    expect(rule(name)).toEqual(
      expect.objectContaining({
        override_action: { count: {} },
        statement: { managed_rule_group_statement: { vendor_name: "AWS", name: group } },
      }),
    );
  });

  test("every managed rule group the ACL evaluates is counted", () => {
    const managed = acl.rule.filter(
      (r: { statement: object }) => "managed_rule_group_statement" in r.statement,
    );
    expect(managed.map((r: { override_action: unknown }) => r.override_action)).toEqual(
      COUNTED_MANAGED_RULE_GROUPS.map(() => ({ count: {} })),
    );
  });

  test("only the rate limit and the body size block: no request is refused for its content", () => {
    const blocking = acl.rule.filter((r: { action?: { block?: unknown } }) => r.action?.block !== undefined);
    expect(blocking.map((r: { name: string }) => r.name)).toEqual(["rate-limit", "oversize-body"]);
  });
});

describe("WAF logging", () => {
  const [[, logging]] = resourcesOf(doc, "aws_wafv2_web_acl_logging_configuration");

  test("goes to a CMK-encrypted log group whose name starts aws-waf-logs-", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "aws-waf-logs-whk-dev-ingress",
      retention_in_days: 30,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\..*\.arn\}$/),
    });
    const [[groupId]] = resourcesOf(doc, "aws_cloudwatch_log_group").filter(([, g]) =>
      g.name.startsWith("aws-waf-logs-"),
    );
    expect(logging.log_destination_configs).toEqual([`\${aws_cloudwatch_log_group.${groupId}.arn}`]);
    expect(logging.resource_arn).toBe(`\${aws_wafv2_web_acl.${aclId}.arn}`);
  });

  test("redacts every configured signature header and x-api-key", () => {
    expect(
      logging.redacted_fields.map((field: { single_header: { name: string } }) => field.single_header.name),
    ).toEqual([
      "x-webhook-signature",
      "stripe-signature",
      "x-hub-signature-256",
      "x-shopify-hmac-sha256",
      "shopify-hmac-sha256",
      "x-slack-signature",
      "svix-signature",
      "x-api-key",
    ]);
  });

  test("redacts each header once, however many providers sign with it", () => {
    const headers = Array.from({ length: 150 }, (_, index) => (index % 2 ? "Stripe-Signature" : "x-api-key"));
    const synthesized = JSON.parse(
      Testing.synth(TerraformStack.of(standaloneAcl({ redactedHeaders: headers }))),
    );
    const [[, logging]] = resourcesOf(synthesized, "aws_wafv2_web_acl_logging_configuration");
    expect(logging.redacted_fields).toEqual([
      { single_header: { name: "x-api-key" } },
      { single_header: { name: "stripe-signature" } },
    ]);
  });

  test("more distinct headers than WAF logging's 100 redacted fields fail synth naming the limit", () => {
    const headers = Array.from({ length: 101 }, (_, index) => `x-signature-${index}`);
    expect(() => standaloneAcl({ redactedHeaders: headers })).toThrow(
      "WebAcl: 101 redacted headers, over WAF logging's 100 redacted fields",
    );
  });

  test("keeps only blocked and counted requests", () => {
    expect(logging.logging_filter).toEqual({
      default_behavior: "DROP",
      filter: [
        {
          behavior: "KEEP",
          requirement: "MEETS_ANY",
          condition: [
            { action_condition: { action: "BLOCK" } },
            { action_condition: { action: "COUNT" } },
            { action_condition: { action: "EXCLUDED_AS_COUNT" } },
          ],
        },
      ],
    });
  });
});

describe("capacity (WCUs)", () => {
  const endsWith = (path: string, transformation = "LOWERCASE") => ({
    byte_match_statement: {
      search_string: path,
      positional_constraint: "ENDS_WITH",
      field_to_match: { uri_path: {} },
      text_transformation: [{ priority: 0, type: transformation }],
    },
  });

  test.each([
    ["a suffix match with a transformation", 12, endsWith("/a")],
    ["a suffix match without one", 2, endsWith("/a", "NONE")],
    [
      "a contains match",
      10,
      {
        byte_match_statement: { positional_constraint: "CONTAINS", text_transformation: [{ type: "NONE" }] },
      },
    ],
    ["a regex match", 3, { regex_match_statement: { text_transformation: [{ type: "NONE" }] } }],
    ["an or of two matches", 24, { or_statement: { statement: [endsWith("/a"), endsWith("/b")] } }],
    [
      "a not of an or",
      12,
      { not_statement: { statement: [{ or_statement: { statement: [endsWith("/a")] } }] } },
    ],
    ["a rate-based rule on the IP", 2, { rate_based_statement: { aggregate_key_type: "IP" } }],
    [
      "a rate-based rule on IP and path, scoped down",
      74,
      {
        rate_based_statement: {
          custom_key: [{ ip: {} }, { uri_path: {} }],
          scope_down_statement: endsWith("/a"),
        },
      },
    ],
    [
      "the known-bad-inputs group",
      200,
      { managed_rule_group_statement: { name: COUNTED_MANAGED_RULE_GROUPS[0] } },
    ],
    ["the core rule set", 700, { managed_rule_group_statement: { name: COUNTED_MANAGED_RULE_GROUPS[1] } }],
  ])("%s costs %i WCUs", (_case, wcu, statement) => {
    expect(statementCapacity(statement)).toBe(wcu);
  });

  test("a statement without a known cost fails rather than being counted as free", () => {
    expect(() => statementCapacity({ sqli_match_statement: {} })).toThrow(
      "statementCapacity: no capacity known for sqli_match_statement",
    );
  });

  test("the default ACL takes 965 WCUs: one rate rule, the body regex and the two managed groups", () => {
    expect(webAclCapacity(acl.rule)).toBe(62 + 3 + 200 + 700);
  });

  const aclWith = (pathLimits: number) =>
    standaloneAcl({
      pathRateLimits: Array.from({ length: pathLimits }, (_, index) => ({
        path: `/webhooks/p${index}`,
        limitPer5Min: 1_000 + (index % 9),
      })),
    });

  // 9 own limits + the default: 10 × 62, the body regex 3, the managed groups 900, and 24 per path.
  const atCapacity = Math.floor((WAF_WEB_ACL_CAPACITY_UNITS - 10 * 62 - 3 - 900) / 24);

  test("each path with a limit of its own costs 24 WCUs: matched in its rule and excluded from the default's", () => {
    expect(aclWith(atCapacity).capacity - aclWith(atCapacity - 1).capacity).toBe(24);
  });

  test("rules within the web ACL's capacity pass synth validation", () => {
    expect(aclWith(atCapacity).node.validate()).toEqual([]);
  });

  test("rules over the web ACL's capacity fail synth validation with the WCUs and the limit", () => {
    const acl = aclWith(atCapacity + 1);
    expect(acl.node.validate()).toEqual([
      `its rules need ${acl.capacity} WCUs, over WAF's 5000 per web ACL; give fewer paths a rate limit of their own`,
    ]);
    expect(acl.capacity).toBeGreaterThan(WAF_WEB_ACL_CAPACITY_UNITS);
  });
});
