import { createHash } from "node:crypto";
import { Token } from "cdktf";

/**
 * The only place physical names are made (docs/name-limits.md). Each rule is the
 * AWS limit of one name-like attribute; {@link NameValidation} checks every synthesized resource
 * against the same table, so a name made elsewhere cannot slip past its limit.
 */
export interface NameRule {
  readonly min: number;
  readonly max: number;
  /** The whole value must match. */
  readonly pattern: RegExp;
  /** Characters kept when sanitising a purpose; others become the separator. */
  readonly allowed: RegExp;
  readonly lowercase?: boolean;
  /** Joins prefix, environment and purpose; "" for alphanumeric-only names (API Gateway models). */
  readonly separator: string;
  /** Extra checks the pattern cannot express; each returns a problem or undefined. */
  readonly extra?: (value: string) => string | undefined;
  /**
   * Where AWS keeps the name unique, when wider than one account's region: `account` (IAM roles,
   * dashboards: every region of the account) gets the region appended; `global` (S3 buckets: every
   * account) gets the account id and the region. @default - the region (nothing appended)
   */
  readonly uniqueIn?: "account" | "global";
}

const IAM = /^[\w+=,.@-]+$/;
const ALNUM_DASH_UNDERSCORE = /^[A-Za-z0-9_-]+$/;
const EVENTS = /^[.\-_A-Za-z0-9]+$/;

function rule(max: number, pattern: RegExp, allowed: RegExp, more: Partial<NameRule> = {}): NameRule {
  return { min: 1, max, pattern, allowed, separator: "-", ...more };
}

/** Name rules keyed by `<terraform type>.<attribute path>` (`[]` marks a list of blocks). */
export const NAME_RULES = {
  "aws_iam_role.name": rule(64, IAM, /[\w+=,.@-]/, { uniqueIn: "account" }),
  "aws_iam_role_policy.name": rule(128, IAM, /[\w+=,.@-]/),
  "aws_iam_policy.name": rule(128, IAM, /[\w+=,.@-]/, { uniqueIn: "account" }),
  "aws_lambda_function.function_name": rule(64, ALNUM_DASH_UNDERSCORE, /[A-Za-z0-9_-]/),
  // AWS allows 140 for a layer name or ARN; a bare name is capped like a function name.
  "aws_lambda_layer_version.layer_name": rule(64, ALNUM_DASH_UNDERSCORE, /[A-Za-z0-9_-]/),
  "aws_lambda_permission.statement_id": rule(100, ALNUM_DASH_UNDERSCORE, /[A-Za-z0-9_-]/),
  "aws_sqs_queue.name": rule(80, /^[A-Za-z0-9_-]{1,75}(\.fifo)?$|^[A-Za-z0-9_-]{1,80}$/, /[A-Za-z0-9_-]/),
  "aws_dynamodb_table.name": rule(255, /^[a-zA-Z0-9_.-]+$/, /[a-zA-Z0-9_.-]/, { min: 3 }),
  "aws_dynamodb_table.global_secondary_index[].name": rule(255, /^[a-zA-Z0-9_.-]+$/, /[a-zA-Z0-9_.-]/, {
    min: 3,
  }),
  "aws_cloudwatch_event_bus.name": rule(256, EVENTS, /[.\-_A-Za-z0-9]/, {
    extra: (v) => (v === "default" ? "a custom bus may not be named default" : undefined),
  }),
  "aws_cloudwatch_event_archive.name": rule(48, EVENTS, /[.\-_A-Za-z0-9]/),
  "aws_cloudwatch_event_rule.name": rule(64, EVENTS, /[.\-_A-Za-z0-9]/),
  "aws_cloudwatch_event_target.target_id": rule(64, EVENTS, /[.\-_A-Za-z0-9]/),
  // Undocumented limits: self-imposed 128 and a conservative charset.
  "aws_api_gateway_rest_api.name": rule(128, /^[A-Za-z0-9._-]+$/, /[A-Za-z0-9._-]/),
  "aws_api_gateway_stage.stage_name": rule(128, ALNUM_DASH_UNDERSCORE, /[A-Za-z0-9_-]/),
  "aws_api_gateway_usage_plan.name": rule(128, /^[A-Za-z0-9._-]+$/, /[A-Za-z0-9._-]/),
  "aws_api_gateway_api_key.name": rule(128, /^[A-Za-z0-9._-]+$/, /[A-Za-z0-9._-]/),
  "aws_api_gateway_request_validator.name": rule(128, /^[A-Za-z0-9._-]+$/, /[A-Za-z0-9._-]/),
  "aws_api_gateway_model.name": rule(128, /^[A-Za-z0-9]+$/, /[A-Za-z0-9]/, { separator: "" }),
  "aws_cloudwatch_metric_alarm.alarm_name": rule(255, /^[^\p{Cc}]+$/u, /[A-Za-z0-9._-]/),
  "aws_cloudwatch_log_group.name": rule(512, /^[.\-_/#A-Za-z0-9]+$/, /[.\-_/#A-Za-z0-9]/, {
    extra: (v) => (v.startsWith("aws/") ? "must not start with aws/" : undefined),
  }),
  "aws_cloudwatch_dashboard.dashboard_name": rule(255, ALNUM_DASH_UNDERSCORE, /[A-Za-z0-9_-]/, {
    uniqueIn: "account",
  }),
  "aws_sns_topic.name": rule(256, /^[A-Za-z0-9_-]{1,251}(\.fifo)?$|^[A-Za-z0-9_-]{1,256}$/, /[A-Za-z0-9_-]/),
  "aws_secretsmanager_secret.name": rule(512, /^[A-Za-z0-9/_+=.@-]+$/, /[A-Za-z0-9/_+=.@-]/, {
    // Secrets Manager appends -XXXXXX to the ARN; a name ending like that breaks partial-ARN lookups.
    extra: (v) => (/-[A-Za-z0-9]{6}$/.test(v) ? "must not end with '-' and 6 characters" : undefined),
  }),
  "aws_kms_alias.name": rule(256, /^alias\/[a-zA-Z0-9/_-]+$/, /[a-zA-Z0-9/_-]/, {
    extra: (v) => (v.startsWith("alias/aws/") ? "must not start with alias/aws/" : undefined),
  }),
  "aws_s3_bucket.bucket": rule(63, /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, /[a-z0-9-]/, {
    min: 3,
    lowercase: true,
    extra: s3BucketProblem,
    uniqueIn: "global",
  }),
  "aws_wafv2_web_acl.name": rule(128, ALNUM_DASH_UNDERSCORE, /[A-Za-z0-9_-]/),
  "aws_wafv2_web_acl.rule[].name": rule(128, ALNUM_DASH_UNDERSCORE, /[A-Za-z0-9_-]/),
  "aws_wafv2_web_acl.visibility_config.metric_name": rule(128, ALNUM_DASH_UNDERSCORE, /[A-Za-z0-9_-]/, {
    extra: reservedWafMetricName,
  }),
  "aws_wafv2_web_acl.rule[].visibility_config.metric_name": rule(
    128,
    ALNUM_DASH_UNDERSCORE,
    /[A-Za-z0-9_-]/,
    {
      extra: reservedWafMetricName,
    },
  ),
  "aws_kinesis_firehose_delivery_stream.name": rule(64, /^[a-zA-Z0-9_.-]+$/, /[a-zA-Z0-9_.-]/),
  // AWS documents the 32; the character set is the module's own.
  "aws_xray_sampling_rule.rule_name": rule(32, ALNUM_DASH_UNDERSCORE, /[A-Za-z0-9_-]/),
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/** Attributes that make a non-deterministic name (timestamp + counter); the platform never uses them. */
export const FORBIDDEN_NAME_ATTRIBUTES = ["name_prefix", "bucket_prefix", "statement_id_prefix"] as const;

const HASH_LENGTH = 8;

function s3BucketProblem(value: string): string | undefined {
  if (value.includes("..")) return "must not contain '..'";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) return "must not be an IPv4 address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(value)) return "must not start with a reserved prefix";
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(value))
    return "must not end with a reserved suffix";
  return undefined;
}

function reservedWafMetricName(value: string): string | undefined {
  return value === "All" || value === "Default_Action" ? `${value} is a reserved metric name` : undefined;
}

/** Problems of one value against its rule; empty when the value is valid. */
export function nameProblems(kind: NameKind, value: string): string[] {
  const rule: NameRule = NAME_RULES[kind];
  const problems: string[] = [];
  if (value.length < rule.min || value.length > rule.max) {
    problems.push(`length ${value.length} outside ${rule.min}..${rule.max}`);
  }
  if (!rule.pattern.test(value)) problems.push(`does not match ${rule.pattern}`);
  const extra = rule.extra?.(value);
  if (extra) problems.push(extra);
  return problems;
}

/**
 * Values known only at apply whose shape is known at synth, so a name may contain them: names are
 * budgeted and checked with the stand-in (same length, same alphabet) in the value's place. The
 * `reference` pattern finds the value in a synthesized document (`${data.….account_id}`).
 */
export const KNOWN_SHAPES = {
  /** 12 digits. */
  accountId: { standIn: "123456789012", reference: /\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g },
  /** API Gateway ids: 10 lowercase letters and digits. */
  restApiId: { standIn: "a1b2c3d4e5", reference: /\$\{aws_api_gateway_rest_api\.[\w-]+\.id\}/g },
} as const;

export type KnownShape = keyof typeof KNOWN_SHAPES;

/** A synthesized document's value with every known-shape reference replaced by its stand-in. */
export function withStandInReferences(value: string): string {
  return Object.values(KNOWN_SHAPES).reduce(
    (text, shape) => text.replace(shape.reference, shape.standIn),
    value,
  );
}

export interface NamingProps {
  /** Short product prefix, first part of every name, e.g. `whk`. */
  readonly prefix: string;
  /** Environment name, e.g. `dev`. */
  readonly environment: string;
  /** Keeps parallel deployments of one environment apart, e.g. `pr-123`. @default - none */
  readonly suffix?: string;
  /** Appended to names unique in the whole account (`uniqueIn: "account"` or `"global"`). */
  readonly region: string;
  /**
   * Appended to names unique across accounts (`uniqueIn: "global"`): a literal, or the token of
   * `aws_caller_identity.account_id` (registered as a known shape).
   */
  readonly accountId: string;
}

export interface NameOptions {
  /** SQS/SNS FIFO: appends `.fifo` inside the limit. @default false */
  readonly fifo?: boolean;
  /** Text before the generated name (`alias/` for KMS aliases, `/aws/lambda/` for log groups). @default "" */
  readonly before?: string;
  /**
   * Joins the base and the purpose instead of the rule's separator, e.g. `/` for a Secrets Manager
   * hierarchy (`whk-dev/stripe/signing`). Must be a character the rule allows. @default the rule's separator
   */
  readonly separator?: string;
}

/**
 * Makes `<prefix>-<environment>[-<suffix>]-<purpose>` names, followed by the region (names AWS keeps
 * unique per account) or the account id and the region (names unique across accounts). A name over
 * its limit is cut deterministically: the readable head is kept (so IAM conditions on
 * `<prefix>-<env>-*` keep matching), 8 hex characters of a SHA-256 of the full logical name are
 * appended, and the account and region stay whole at the end.
 *
 * @example new Naming({ prefix: "whk", environment: "dev", region: "us-east-1", accountId }).name("aws_sqs_queue.name", "ingest-dlq") // "whk-dev-ingest-dlq"
 */
export class Naming {
  readonly base: string;
  readonly region: string;
  private readonly accountId: string;
  /** Token → stand-in of every known-shape value registered with {@link knownShape}. */
  private readonly standIns = new Map<string, string>();

  constructor(props: NamingProps) {
    this.base = [props.prefix, props.environment, props.suffix].filter((part) => part).join("-");
    this.region = props.region;
    this.accountId = Token.isUnresolved(props.accountId)
      ? this.knownShape(props.accountId, "accountId")
      : props.accountId;
  }

  /**
   * Registers a token whose shape is known (an account id, a REST API id), so names holding it are
   * budgeted and validated with its stand-in instead of being refused. Returns the token.
   */
  knownShape(token: string, shape: KnownShape): string {
    this.standIns.set(token, KNOWN_SHAPES[shape].standIn);
    return token;
  }

  /** The value with every registered token replaced by its stand-in (what limits are checked on). */
  withStandIns(value: string): string {
    let text = value;
    for (const [token, standIn] of this.standIns) text = text.replaceAll(token, standIn);
    return text;
  }

  name(kind: NameKind, purpose: string, options: NameOptions = {}): string {
    const rule: NameRule = NAME_RULES[kind];
    const before = options.before ?? "";
    const after = options.fifo ? ".fifo" : "";
    const separator = rule.separator || "-";
    const qualifiers = this.qualifiersFor(rule);
    const tail = qualifiers.map((qualifier) => `${separator}${qualifier}`).join("");
    const logical = `${kind}/${this.base}/${purpose}${after}`;
    const readable = this.sanitise(rule, [this.base, purpose].join(options.separator ?? separator));
    const budget = rule.max - before.length - after.length - this.withStandIns(tail).length;
    let body = readable;
    if (readable.length > budget) {
      const hash = createHash("sha256").update(logical).digest("hex").slice(0, HASH_LENGTH);
      const keep = budget - hash.length - rule.separator.length;
      body = `${trimSeparators(readable.slice(0, keep))}${rule.separator}${hash}`;
    }
    const value = `${before}${body}${tail}${after}`;
    const problems = nameProblems(kind, this.withStandIns(value));
    if (problems.length > 0) throw new Error(`Naming: ${kind} "${value}" ${problems.join("; ")}`);
    return value;
  }

  private qualifiersFor(rule: NameRule): string[] {
    if (rule.uniqueIn === "global") return [this.accountId, this.region];
    if (rule.uniqueIn === "account") return [this.region];
    return [];
  }

  private sanitise(rule: NameRule, text: string): string {
    const cased = rule.lowercase ? text.toLowerCase() : text;
    const replaced = [...cased].map((char) => (rule.allowed.test(char) ? char : rule.separator)).join("");
    const collapsed = rule.separator
      ? replaced.replaceAll(new RegExp(`${escapeRegExp(rule.separator)}{2,}`, "g"), rule.separator)
      : replaced;
    return trimSeparators(collapsed);
  }
}

function trimSeparators(text: string): string {
  return text.replace(/^[-_.]+|[-_.]+$/g, "");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
