import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { EncryptedLogGroup } from "./encrypted-log-group";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";

/**
 * Core rule set rules that inspect the request body. Webhook bodies are arbitrary third-party
 * payloads (code diffs, HTML e-mails, URLs, large JSON), so these run in COUNT: their matches are
 * visible in metrics and logs, never a block. (Names from the AWS WAF developer guide, "Baseline
 * rule groups".)
 */
export const COUNTED_COMMON_RULES = [
  "SizeRestrictions_BODY",
  "CrossSiteScripting_BODY",
  "GenericLFI_BODY",
  "GenericRFI_BODY",
  "EC2MetaDataSSRF_BODY",
] as const;

/** The body WAF answers when it blocks a request that is too large, and when it rate-limits. */
export const WAF_RESPONSE_BODIES = {
  payloadTooLarge: { key: "payload_too_large", status: 413, message: "Payload too large" },
  tooManyRequests: { key: "too_many_requests", status: 429, message: "Too many requests" },
} as const;

export interface WebAclProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  /**
   * Requests per 5 minutes per (source IP, URI path), i.e. per IP on each provider's path, before
   * a 429. A few provider IPs send much of a provider's traffic, so keep this generous.
   * @default 600
   */
  readonly rateLimitPer5Min?: number;
  /**
   * Bodies declared larger than this (`Content-Length`) are refused with 413 before they reach the
   * Lambda, whose 6 MB invoke limit base64 bodies above ~4.4 MB would exceed (a 5xx otherwise).
   * @default 1048576
   */
  readonly maxBodyBytes?: number;
  /**
   * Log blocked and counted requests (not allowed ones: cost) to a CMK-encrypted CloudWatch log
   * group named `aws-waf-logs-…` (WAF requires the prefix). CloudWatch Logs adds the log-delivery
   * resource policy itself when the deployer may `logs:CreateLogDelivery`, `PutResourcePolicy`,
   * `DescribeResourcePolicies` and `DescribeLogGroups` (an account has at most 10 resource
   * policies per region, so the stack does not add its own).
   * @default true
   */
  readonly logging?: boolean;
  /** Headers replaced by `REDACTED` in WAF logs (signature headers, `x-api-key`). @default ["x-api-key"] */
  readonly redactedHeaders?: readonly string[];
  /** @default 30 */
  readonly logRetentionDays?: number;
}

/**
 * The REGIONAL web ACL in front of the API stage. Rules, in order:
 * 1. `rate-limit`: rate-based per source IP and URI path, blocks with a JSON 429.
 * 2. `oversize-body`: blocks with a JSON 413 when `Content-Length` exceeds `maxBodyBytes`. WAF sees
 *    only the first 16 KB of a body and a size constraint on a header measures the header's
 *    length, not its value, so the rule matches the header's decimal value with a regex.
 * 3. `known-bad-inputs`: AWSManagedRulesKnownBadInputsRuleSet enforced (Log4JRCE included).
 * 4. `common`: AWSManagedRulesCommonRuleSet with its body-inspecting rules in COUNT.
 * Default action allow; CloudWatch metrics and sampled requests on the ACL and every rule.
 */
export class WebAcl extends Construct {
  readonly name: string;
  readonly arn: string;
  /** The ACL's own metric name (CloudWatch dimension `WebACL`). */
  readonly metricName: string;
  /** Metric name per rule name (CloudWatch dimension `Rule`), for alarms. */
  readonly ruleMetricNames: Readonly<Record<string, string>>;
  /** @default - undefined when logging is off */
  readonly logGroupName?: string;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const { naming, context, key } = props;
    this.name = naming.name("aws_wafv2_web_acl.name", "ingress");
    this.metricName = naming.name("aws_wafv2_web_acl.visibility_config.metric_name", "ingress");
    const metric = (rule: string) =>
      naming.name("aws_wafv2_web_acl.rule[].visibility_config.metric_name", `ingress-${rule}`);
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const { payloadTooLarge, tooManyRequests } = WAF_RESPONSE_BODIES;

    const rules: Wafv2WebAclRule[] = [
      {
        name: "rate-limit",
        priority: 0,
        action: {
          block: {
            customResponse: {
              responseCode: tooManyRequests.status,
              customResponseBodyKey: tooManyRequests.key,
            },
          },
        },
        statement: {
          rate_based_statement: {
            limit: props.rateLimitPer5Min ?? 600,
            evaluation_window_sec: 300,
            aggregate_key_type: "CUSTOM_KEYS",
            custom_key: [
              { ip: {} },
              { uri_path: { text_transformation: [{ priority: 0, type: "LOWERCASE" }] } },
            ],
          },
        },
        visibilityConfig: visibility(metric("rate-limit")),
      },
      {
        name: "oversize-body",
        priority: 1,
        action: {
          block: {
            customResponse: {
              responseCode: payloadTooLarge.status,
              customResponseBodyKey: payloadTooLarge.key,
            },
          },
        },
        statement: {
          regex_match_statement: {
            regex_string: decimalGreaterThan(props.maxBodyBytes ?? 1_048_576),
            field_to_match: { single_header: { name: "content-length" } },
            text_transformation: [{ priority: 0, type: "NONE" }],
          },
        },
        visibilityConfig: visibility(metric("oversize-body")),
      },
      {
        name: "known-bad-inputs",
        priority: 2,
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" },
        },
        visibilityConfig: visibility(metric("known-bad-inputs")),
      },
      {
        name: "common",
        priority: 3,
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            vendor_name: "AWS",
            name: "AWSManagedRulesCommonRuleSet",
            rule_action_override: COUNTED_COMMON_RULES.map((name) => ({
              name,
              action_to_use: { count: {} },
            })),
          },
        },
        visibilityConfig: visibility(metric("common")),
      },
    ];

    const acl = new Wafv2WebAcl(this, "acl", {
      name: this.name,
      description: "Webhook ingress: per-IP rate limit, body size, AWS managed rules",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      customResponseBody: [payloadTooLarge, tooManyRequests].map((body) => ({
        key: body.key,
        contentType: "APPLICATION_JSON",
        content: JSON.stringify({ message: body.message }),
      })),
      rule: rules,
      visibilityConfig: visibility(this.metricName),
    });
    this.arn = acl.arn;
    this.ruleMetricNames = Object.fromEntries(
      rules.map((rule) => [rule.name, rule.visibilityConfig.metricName]),
    );

    if (props.logging ?? true) {
      const logGroup = new EncryptedLogGroup(this, "logs", {
        name: naming.name("aws_cloudwatch_log_group.name", "ingress", { before: "aws-waf-logs-" }),
        key,
        context,
        retentionInDays: props.logRetentionDays,
      });
      this.logGroupName = logGroup.name;
      const redacted = [...new Set((props.redactedHeaders ?? ["x-api-key"]).map((h) => h.toLowerCase()))];
      new Wafv2WebAclLoggingConfiguration(this, "logging", {
        resourceArn: acl.arn,
        logDestinationConfigs: [logGroup.arn],
        redactedFields: redacted.map((name) => ({ singleHeader: { name } })),
        loggingFilter: {
          defaultBehavior: "DROP",
          filter: [
            {
              behavior: "KEEP",
              requirement: "MEETS_ANY",
              condition: ["BLOCK", "COUNT", "EXCLUDED_AS_COUNT"].map((action) => ({
                actionCondition: { action },
              })),
            },
          ],
        },
      });
    }
  }

  /** Associates the ACL with a REGIONAL resource, e.g. an API Gateway stage ARN. */
  associate(id: string, resourceArn: string): void {
    new Wafv2WebAclAssociation(this, id, { resourceArn, webAclArn: this.arn });
  }
}

/**
 * A regex matching a decimal integer (leading zeros allowed) strictly greater than `limit`: any
 * number with more digits, or the same number of digits and a larger digit at the first difference.
 *
 * @example decimalGreaterThan(250) // "^0*([1-9][0-9]{3,}|[3-9][0-9]{2}|2[6-9][0-9]{1}|25[1-9])$"
 */
export function decimalGreaterThan(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new Error(`decimalGreaterThan: ${limit} is not a positive integer`);
  const digits = String(limit);
  const alternatives = [`[1-9][0-9]{${digits.length},}`];
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[i]);
    if (digit === 9) continue;
    const rest = digits.length - i - 1;
    const higher = digit === 8 ? "9" : `[${digit + 1}-9]`;
    alternatives.push(`${digits.slice(0, i)}${higher}${rest > 0 ? `[0-9]{${rest}}` : ""}`);
  }
  return `^0*(${alternatives.join("|")})$`;
}
