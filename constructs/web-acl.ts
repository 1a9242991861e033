import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { EncryptedLogGroup } from "./encrypted-log-group";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import { WAF_REDACTED_FIELDS, WAF_WEB_ACL_CAPACITY_UNITS } from "./quotas";
import { type PathRateLimit, webAclCapacity, webAclStatements } from "./web-acl-rules";

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
   * rate-based rule; at most 9 distinct limits (WAF's 10 rate-based rules per web ACL, less the
   * default's). Each path costs the ACL 24 WCUs (it is matched twice). @default []
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
 * The REGIONAL web ACL in front of the API stage, its rules those of {@link webAclStatements}:
 * the rate limits and the body size check block (with a JSON 429 and 413), the AWS managed rule
 * groups count (no request is refused for its content). Default action allow; CloudWatch metrics
 * and sampled requests on the ACL and every rule. A synth validation refuses rules whose capacity
 * exceeds the web ACL's {@link WAF_WEB_ACL_CAPACITY_UNITS} WCUs.
 */
export class WebAcl extends Construct {
  readonly name: string;
  readonly arn: string;
  /** The ACL's own metric name (CloudWatch dimension `WebACL`). */
  readonly metricName: string;
  /** The WCUs its rules take (1,500 are in WAF's base price). */
  readonly capacity: number;
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

    const block = (body: { key: string; status: number }) => ({
      block: { customResponse: { responseCode: body.status, customResponseBodyKey: body.key } },
    });
    const statements = webAclStatements({
      rateLimitPer5Min: props.rateLimitPer5Min ?? 30_000,
      pathRateLimits: props.pathRateLimits ?? [],
      maxBodyBytes: props.maxBodyBytes ?? 1_048_576,
    });
    const rules: Wafv2WebAclRule[] = statements.map(({ name, kind, statement }, priority) => ({
      name,
      priority,
      ...(kind === "rate-limit" && { action: block(tooManyRequests) }),
      ...(kind === "oversize-body" && { action: block(payloadTooLarge) }),
      // COUNT for the whole group: every rule's matches are counted, none blocks.
      ...(kind === "managed" && { overrideAction: { count: {} } }),
      statement,
      visibilityConfig: visibility(metric(name)),
    }));
    this.capacity = webAclCapacity(statements);
    this.node.addValidation({
      validate: () =>
        this.capacity <= WAF_WEB_ACL_CAPACITY_UNITS
          ? []
          : [
              `its rules need ${this.capacity} WCUs, over WAF's ${WAF_WEB_ACL_CAPACITY_UNITS} per web ACL; give fewer paths a rate limit of their own`,
            ],
    });

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
      // One per distinct header name, so a handful (one per signature scheme), however many providers.
      if (redacted.length > WAF_REDACTED_FIELDS) {
        throw new Error(
          `WebAcl: ${redacted.length} redacted headers, over WAF logging's ${WAF_REDACTED_FIELDS} redacted fields`,
        );
      }
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
