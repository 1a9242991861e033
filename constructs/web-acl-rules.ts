import { WAF_RATE_BASED_RULES } from "./quotas";

// The statements of the web ACL's rules as plain Terraform JSON, and the capacity (WCUs) WAF
// charges for them. Pure: the configuration rules compute a configuration's capacity with the
// same statements the WebAcl construct deploys, without loading cdktf.

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
type ManagedRuleGroup = (typeof COUNTED_MANAGED_RULE_GROUPS)[number];

const MANAGED_RULE_NAMES: Record<ManagedRuleGroup, string> = {
  AWSManagedRulesKnownBadInputsRuleSet: "known-bad-inputs",
  AWSManagedRulesCommonRuleSet: "common",
};

/**
 * The capacity each managed group takes, as AWS publishes it:
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
 */
const MANAGED_RULE_GROUP_CAPACITY: Record<ManagedRuleGroup, number> = {
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  AWSManagedRulesCommonRuleSet: 700,
};

/** Requests to one path are limited to `limitPer5Min` per source IP. */
export interface PathRateLimit {
  /** The endpoint's path under the stage, e.g. `/webhooks/stripe`; matched as the URI's end. */
  readonly path: string;
  readonly limitPer5Min: number;
}

/** What decides the ACL's rules. */
export interface WebAclStatementsProps {
  /** Requests per 5 minutes per source IP on each path without a limit of its own. */
  readonly rateLimitPer5Min: number;
  /** Paths with a limit of their own; paths sharing a limit share one rate-based rule. */
  readonly pathRateLimits: readonly PathRateLimit[];
  /** Bodies declared larger (`Content-Length`) are blocked. */
  readonly maxBodyBytes: number;
}

/** One rule's name and statement; `kind` decides its action. */
export interface WebAclStatement {
  readonly name: string;
  readonly kind: "rate-limit" | "oversize-body" | "managed";
  readonly statement: Record<string, unknown>;
}

/**
 * The ACL's rules in evaluation order:
 * 1. `rate-limit-<n>`: one rate-based rule per distinct path limit, counting per source IP and URI
 *    path on those paths, then `rate-limit` for every other path ({@link rateLimitStatements}).
 * 2. `oversize-body`: matches when `Content-Length` exceeds `maxBodyBytes`. WAF sees only the first
 *    16 KB of a body and a size constraint on a header measures the header's length, not its
 *    value, so the rule matches the header's decimal value with a regex.
 * 3. `known-bad-inputs` and `common`: the groups of {@link COUNTED_MANAGED_RULE_GROUPS}.
 */
export function webAclStatements(props: WebAclStatementsProps): WebAclStatement[] {
  return [
    ...rateLimitStatements(props.rateLimitPer5Min, props.pathRateLimits).map(
      (rule): WebAclStatement => ({ ...rule, kind: "rate-limit" }),
    ),
    {
      name: "oversize-body",
      kind: "oversize-body",
      statement: {
        regex_match_statement: {
          regex_string: decimalGreaterThan(props.maxBodyBytes),
          field_to_match: { single_header: { name: "content-length" } },
          text_transformation: [{ priority: 0, type: "NONE" }],
        },
      },
    },
    ...COUNTED_MANAGED_RULE_GROUPS.map(
      (group): WebAclStatement => ({
        name: MANAGED_RULE_NAMES[group],
        kind: "managed",
        statement: { managed_rule_group_statement: { vendor_name: "AWS", name: group } },
      }),
    ),
  ];
}

/**
 * The distinct path limits (those differing from the default), lowest first, each with its paths:
 * one rate-based rule each, plus the default's.
 */
export function pathLimitGroups(
  defaultLimit: number,
  pathLimits: readonly PathRateLimit[],
): Array<[limit: number, paths: string[]]> {
  const byLimit = new Map<number, string[]>();
  for (const { path, limitPer5Min } of pathLimits) {
    if (limitPer5Min === defaultLimit) continue;
    byLimit.set(limitPer5Min, [...(byLimit.get(limitPer5Min) ?? []), path]);
  }
  return [...byLimit].sort(([a], [b]) => a - b);
}

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
  const limited = pathLimitGroups(defaultLimit, pathLimits);
  if (limited.length + 1 > WAF_RATE_BASED_RULES) {
    throw new Error(
      `WebAcl: ${limited.length} distinct path rate limits besides the default; WAF allows ${WAF_RATE_BASED_RULES} rate-based rules per web ACL, so use at most ${WAF_RATE_BASED_RULES - 1}`,
    );
  }
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

/** The WCUs of rules with these statements: what WAF checks against the ACL's capacity. */
export function webAclCapacity(rules: readonly { readonly statement: Record<string, unknown> }[]): number {
  return rules.reduce((sum, rule) => sum + statementCapacity(rule.statement), 0);
}

/** Each text transformation but NONE adds this to the statement that applies it. */
const TRANSFORMATION_WCU = 10;

/**
 * The WCUs of one statement, by the costs the statement types document (linked from
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html): logical
 * statements cost what they nest; a string match 2 (exact, prefix, suffix) or 10 (contains); a
 * regex match 3; a rate-based statement 2, 30 per custom aggregation key, plus its scope-down;
 * 10 more per text transformation. A statement type not listed here fails, so a new kind of rule
 * is costed before it is deployed.
 */
export function statementCapacity(statement: Record<string, unknown>): number {
  const entries = Object.entries(statement);
  if (entries.length !== 1)
    throw new Error(`statementCapacity: expected one statement type, got ${entries.length}`);
  const [type, body] = entries[0]! as [string, Record<string, unknown>];
  const nested = (list: unknown) => (list as Record<string, unknown>[]).map(statementCapacity);
  const transformations = () =>
    TRANSFORMATION_WCU *
    (body.text_transformation as { type: string }[]).filter((transform) => transform.type !== "NONE").length;
  switch (type) {
    case "or_statement":
    case "and_statement":
    case "not_statement":
      return nested(body.statement).reduce((sum, wcu) => sum + wcu, 0);
    case "byte_match_statement":
      return (String(body.positional_constraint).startsWith("CONTAINS") ? 10 : 2) + transformations();
    case "regex_match_statement":
      return 3 + transformations();
    case "rate_based_statement": {
      const keys = (body.custom_key as unknown[] | undefined)?.length ?? 0;
      const scopeDown = body.scope_down_statement as Record<string, unknown> | undefined;
      return 2 + 30 * keys + (scopeDown ? statementCapacity(scopeDown) : 0);
    }
    case "managed_rule_group_statement": {
      const capacity = MANAGED_RULE_GROUP_CAPACITY[body.name as ManagedRuleGroup];
      if (capacity === undefined)
        throw new Error(`statementCapacity: no capacity known for managed rule group ${body.name}`);
      return capacity;
    }
    default:
      throw new Error(`statementCapacity: no capacity known for ${type}`);
  }
}
