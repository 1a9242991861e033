import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { EncryptedLogGroup } from "./encrypted-log-group";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";

/**
 * The AWS managed rule groups the ACL evaluates, every rule in COUNT: webhook bodies and headers
 * are arbitrary third-party content (code diffs with `${jndi:`, HTML e-mails, URLs, bare HTTP
 * clients with no User-Agent), the signature is the gate, and a sender refused with a 403 for its
 * content may never retry (GitHub does not). Their matches stay visible in metrics and logs.
 */
export const COUNTED_MANAGED_RULE_GROUPS = [
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesCommonRuleSet",
] as const;

/** WAF allows at most 10 rate-based rules per web ACL: the default rule and 9 others. */
export const MAX_RATE_LIMIT_RULES = 10;

/** Requests to one path are limited to `limitPer5Min` per source IP. */
export interface PathRateLimit {
  /** The endpoint's path under the stage, e.g. `/webhooks/stripe`; matched as the URI's end. */
  readonly path: string;
  readonly limitPer5Min: number;
}

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
   * a 429, for every path without its own limit. A few provider IPs send much of a provider's
   * traffic in bursts, so keep this generous: it guards against floods, it does not pace senders.
   * @default 30000
   */
  readonly rateLimitPer5Min?: number;
  /**
   * Paths with a limit of their own (a sender that bursts harder). Paths sharing a limit share one
   * rate-based rule; at most {@link MAX_RATE_LIMIT_RULES} - 1 distinct limits. @default []
   */
  readonly pathRateLimits?: readonly PathRateLimit[];
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
 * 1. `rate-limit-<n>`: one rate-based rule per distinct path limit, counting per source IP and URI
 *    path on those paths, then `rate-limit` for every other path; each blocks with a JSON 429.
 * 2. `oversize-body`: blocks with a JSON 413 when `Content-Length` exceeds `maxBodyBytes`. WAF sees
 *    only the first 16 KB of a body and a size constraint on a header measures the header's
 *    length, not its value, so the rule matches the header's decimal value with a regex.
 * 3. `known-bad-inputs` and `common`: the AWS managed rule groups of
 *    {@link COUNTED_MANAGED_RULE_GROUPS}, every rule in COUNT (no request is refused for content).
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

    const rateLimitRules = rateLimitStatements(props.rateLimitPer5Min ?? 30_000, props.pathRateLimits ?? []);
    const managedRules: Wafv2WebAclRule[] = COUNTED_MANAGED_RULE_GROUPS.map((group) => ({
      name: MANAGED_RULE_NAMES[group],
      priority: 0,
      // COUNT for the whole group: every rule's matches are counted, none blocks.
      overrideAction: { count: {} },
      statement: { managed_rule_group_statement: { vendor_name: "AWS", name: group } },
      visibilityConfig: visibility(metric(MANAGED_RULE_NAMES[group])),
    }));
    const rules: Wafv2WebAclRule[] = [
      ...rateLimitRules.map(({ name, statement }) => ({
        name,
        priority: 0,
        action: {
          block: {
            customResponse: {
              responseCode: tooManyRequests.status,
              customResponseBodyKey: tooManyRequests.key,
            },
          },
        },
        statement,
        visibilityConfig: visibility(metric(name)),
      })),
      {
        name: "oversize-body",
        priority: 0,
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
      ...managedRules,
    ].map((rule, priority) => ({ ...rule, priority }));

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
    // Terraform ignores "//" properties; Checkov reads its suppressions from them.
    acl.addOverride("//", {
      checkov: {
        skip: [
          {
            id: "CKV_AWS_192",
            comment:
              "Log4JRCE and every other managed rule run in COUNT: a signed webhook may quote ${jndi: (a code diff), and the signature, not the content, decides",
          },
        ],
      },
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

const MANAGED_RULE_NAMES: Record<(typeof COUNTED_MANAGED_RULE_GROUPS)[number], string> = {
  AWSManagedRulesKnownBadInputsRuleSet: "known-bad-inputs",
  AWSManagedRulesCommonRuleSet: "common",
};

/** The key every rate-based rule counts by: the source IP and the (lowercased) URI path. */
const PER_IP_AND_PATH = {
  aggregate_key_type: "CUSTOM_KEYS",
  custom_key: [{ ip: {} }, { uri_path: { text_transformation: [{ priority: 0, type: "LOWERCASE" }] } }],
  evaluation_window_sec: 300,
};

/**
 * One rate-based statement per distinct path limit (scoped down to those paths), then the default
 * for every other path (scoped down to exclude them). Paths match as the URI's end, so they hold
 * with the stage prefix (`/live/webhooks/stripe`) and under a custom domain (`/webhooks/stripe`).
 */
export function rateLimitStatements(
  defaultLimit: number,
  pathLimits: readonly PathRateLimit[],
): Array<{ name: string; statement: Record<string, unknown> }> {
  const byLimit = new Map<number, string[]>();
  for (const { path, limitPer5Min } of pathLimits) {
    if (limitPer5Min === defaultLimit) continue;
    byLimit.set(limitPer5Min, [...(byLimit.get(limitPer5Min) ?? []), path]);
  }
  if (byLimit.size + 1 > MAX_RATE_LIMIT_RULES) {
    throw new Error(
      `WebAcl: ${byLimit.size} distinct path rate limits besides the default; WAF allows ${MAX_RATE_LIMIT_RULES} rate-based rules per web ACL, so use at most ${MAX_RATE_LIMIT_RULES - 1}`,
    );
  }
  const limited = [...byLimit].sort(([a], [b]) => a - b);
  const anyOf = (paths: readonly string[]) => {
    const matches = paths.map(pathEndsWith);
    return matches.length === 1 ? matches[0]! : { or_statement: { statement: matches } };
  };
  const ownLimits = limited.map(([limit, paths]) => ({
    name: `rate-limit-${limit}`,
    statement: {
      rate_based_statement: { limit, ...PER_IP_AND_PATH, scope_down_statement: anyOf(paths) },
    },
  }));
  const otherPaths = limited.flatMap(([, paths]) => paths);
  const fallback = {
    name: "rate-limit",
    statement: {
      rate_based_statement: {
        limit: defaultLimit,
        ...PER_IP_AND_PATH,
        ...(otherPaths.length > 0 && {
          scope_down_statement: { not_statement: { statement: [anyOf(otherPaths)] } },
        }),
      },
    },
  };
  return [...ownLimits, fallback];
}

function pathEndsWith(path: string): Record<string, unknown> {
  return {
    byte_match_statement: {
      search_string: path.toLowerCase(),
      positional_constraint: "ENDS_WITH",
      field_to_match: { uri_path: {} },
      text_transformation: [{ priority: 0, type: "LOWERCASE" }],
    },
  };
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
