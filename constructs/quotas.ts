/**
 * The AWS quotas a growing number of providers runs into, each with the page that states it. Where
 * the configuration alone decides the count, the configuration rules check it (stacks/config/rules.ts,
 * one line per problem); where only the synthesized resources do, the construct that makes them
 * checks it as a validation. Pure data and functions: the configuration loader imports this
 * without loading cdktf.
 */

/**
 * Lambda: all environment variables of a function together, names included.
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;

/**
 * IAM: all inline policies of one role together, in characters, whitespace not counted.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const IAM_ROLE_INLINE_POLICY_CHARACTERS = 10_240;

/**
 * API Gateway: "Resources per API" of a REST API, the root `/` included; raised per API through
 * Service Quotas. https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
 */
export const REST_API_RESOURCES_DEFAULT = 300;

/**
 * EventBridge: "Event pattern size", the characters of one rule's (or archive's) pattern; adjustable
 * up to 4,096. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
export const EVENT_PATTERN_CHARACTERS = 2048;

/**
 * WAF: capacity units (WCUs) of one web ACL; the base price covers 1,500. How each statement
 * counts: https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html
 * (the 5,000 maximum: https://aws.amazon.com/about-aws/whats-new/2023/04/aws-waf-web-acl-capacity-units-limits/).
 */
export const WAF_WEB_ACL_CAPACITY_UNITS = 5000;

/** WAF: rate-based rules in one web ACL. https://docs.aws.amazon.com/waf/latest/developerguide/limits.html */
export const WAF_RATE_BASED_RULES = 10;

/**
 * WAF logging: redacted fields of one logging configuration.
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html
 */
export const WAF_REDACTED_FIELDS = 100;

/**
 * What an unresolved token (an ARN, URL or name known only at apply) counts for in a size check:
 * more than any ARN or queue URL this stack uses, so the check errs on the safe side.
 */
export const TOKEN_BUDGET = 160;
const TOKEN = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * Text with its unresolved tokens taken out, and how many there were, for size checks made before
 * apply: the deployed size is at most the literal's plus {@link TOKEN_BUDGET} per token.
 */
export function withoutTokens(text: string): { readonly literal: string; readonly tokens: number } {
  return { literal: text.replace(TOKEN, ""), tokens: text.match(TOKEN)?.length ?? 0 };
}
