import type { Entry, TfDocument } from "./document";

/**
 * Terraform references (`${aws_sqs_queue.x.arn}`) and ARNs built from known names, made readable:
 * `aws_sqs_queue.x (whk-dev-ingest)`. Account and partition lookups become `<account>` and
 * `<partition>`.
 */
export interface Ref {
  /** `aws_sqs_queue.x` or `data.aws_partition.y`. */
  readonly address: string;
  readonly data: boolean;
  readonly type: string;
  readonly id: string;
  /** The attribute path after the address (`arn`, `stream_arn`, `root_resource_id`); "" when none. */
  readonly attribute: string;
}

const SIMPLE_REF = /^(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)$/;
const EMBEDDED_REF = /(data\.)?\b([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_][a-z0-9_]*)/g;

/** A Ref from a match of {@link SIMPLE_REF} or {@link EMBEDDED_REF}: data prefix, type, id, attribute path. */
function refFrom(match: RegExpMatchArray): Ref {
  const [, dataPrefix, type, id, rest] = match as unknown as [
    string,
    string | undefined,
    string,
    string,
    string,
  ];
  const data = dataPrefix !== undefined;
  return {
    address: `${data ? "data." : ""}${type}.${id}`,
    data,
    type,
    id,
    attribute: rest.replace(/^\./, ""),
  };
}

/** A single reference expression (the text inside `${...}`), or undefined for anything more complex. */
export function parseRef(expression: string): Ref | undefined {
  const match = SIMPLE_REF.exec(expression.trim());
  return match ? refFrom(match) : undefined;
}

export interface Interpolation {
  readonly start: number;
  /** Index after the closing brace. */
  readonly end: number;
  readonly expression: string;
}

/** The `${...}` interpolations of a string, nested braces included; `$${` is an escaped literal. */
export function interpolations(text: string): Interpolation[] {
  const found: Interpolation[] = [];
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf("${", index);
    if (start < 0) break;
    if (start > 0 && text[start - 1] === "$") {
      index = start + 2;
      continue;
    }
    let depth = 0;
    let end = -1;
    let quoted = false;
    for (let i = start + 1; i < text.length; i++) {
      const char = text[i];
      if (quoted) {
        if (char === "\\") i++;
        else if (char === '"') quoted = false;
        continue;
      }
      if (char === '"') quoted = true;
      else if (char === "{") depth++;
      else if (char === "}") {
        depth--;
        if (depth === 0) {
          end = i + 1;
          break;
        }
      }
    }
    if (end < 0) break;
    found.push({ start, end, expression: text.slice(start + 2, end - 1) });
    index = end;
  }
  return found;
}

/** The reference when the whole value is one `${ref}`. */
export function wholeRef(value: unknown): Ref | undefined {
  if (typeof value !== "string") return undefined;
  const found = interpolations(value);
  if (found.length !== 1 || found[0]!.start !== 0 || found[0]!.end !== value.length) return undefined;
  return parseRef(found[0]!.expression);
}

/** The reference a value starts with (`${aws_s3_bucket.x.arn}/payloads/*` → the bucket). */
export function leadingRef(value: unknown): Ref | undefined {
  if (typeof value !== "string") return undefined;
  const first = interpolations(value)[0];
  return first && first.start === 0 ? parseRef(first.expression) : undefined;
}

/** Every reference anywhere in a value (strings, lists, objects), complex expressions included. */
export function refsIn(value: unknown): Ref[] {
  const refs: Ref[] = [];
  const visit = (item: unknown): void => {
    if (typeof item === "string") {
      for (const { expression } of interpolations(item)) {
        const simple = parseRef(expression);
        if (simple) {
          refs.push(simple);
          continue;
        }
        for (const match of expression.matchAll(EMBEDDED_REF)) refs.push(refFrom(match));
      }
    } else if (Array.isArray(item)) item.forEach(visit);
    else if (typeof item === "object" && item !== null) Object.values(item).forEach(visit);
  };
  visit(value);
  return refs;
}

/** Attributes that identify the resource itself: the readable form shows no attribute for them. */
const IDENTITY_ATTRIBUTES = new Set([
  "",
  "arn",
  "id",
  "name",
  "url",
  "invoke_arn",
  "key_id",
  "bucket",
  "function_name",
  "qualified_arn",
  "stage_name",
  "http_method",
  "alarm_name",
]);

/** Placeholders for the account, partition and region lookups ARNs are built from. */
const CONTEXT_PLACEHOLDERS: Record<string, Record<string, string>> = {
  aws_caller_identity: { account_id: "<account>", arn: "<caller>", user_id: "<caller>" },
  aws_partition: { partition: "<partition>", dns_suffix: "<dns-suffix>" },
  aws_region: { name: "<region>", region: "<region>", id: "<region>" },
};

/** How an ARN's resource part names a resource of a type: group 1 the name, group 2 the rest. */
const ARN_PATTERNS: ReadonlyArray<readonly [service: string, pattern: RegExp, type: string]> = [
  ["sqs", /^([^:/]+)()$/, "aws_sqs_queue"],
  ["sns", /^([^:/]+)()$/, "aws_sns_topic"],
  ["events", /^event-bus\/([^/]+)()$/, "aws_cloudwatch_event_bus"],
  ["events", /^rule\/(?:[^/]+\/)?([^/]+)()$/, "aws_cloudwatch_event_rule"],
  ["events", /^archive\/([^/]+)()$/, "aws_cloudwatch_event_archive"],
  ["logs", /^log-group:([^:]+)(:.*)?$/, "aws_cloudwatch_log_group"],
  ["secretsmanager", /^secret:(.+?)(-\?{6}|-[A-Za-z0-9]{6}|\*)?$/, "aws_secretsmanager_secret"],
  ["cloudwatch", /^alarm:([^*]+)()$/, "aws_cloudwatch_metric_alarm"],
  ["lambda", /^function:([^:]+)(:.*)?$/, "aws_lambda_function"],
  ["lambda", /^layer:([^:]+)(:.*)?$/, "aws_lambda_layer_version"],
  ["dynamodb", /^table\/([^/]+)(\/.*)?$/, "aws_dynamodb_table"],
  ["s3", /^([^/]+)(\/.*)?$/, "aws_s3_bucket"],
  ["iam", /^role\/(?:.*\/)?([^/]+)()$/, "aws_iam_role"],
  ["iam", /^policy\/(?:.*\/)?([^/]+)()$/, "aws_iam_policy"],
  ["kms", /^(alias\/.+)()$/, "aws_kms_alias"],
  ["firehose", /^deliverystream\/([^/]+)()$/, "aws_kinesis_firehose_delivery_stream"],
  ["states", /^stateMachine:([^:]+)()$/, "aws_sfn_state_machine"],
];

const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/;

export class Resolver {
  private readonly namesByType = new Map<string, Map<string, string>>();

  constructor(
    private readonly doc: TfDocument,
    private readonly nameOf: (address: string) => string | undefined,
  ) {}

  /** The entry a whole-value reference points at. */
  target(value: unknown): Entry | undefined {
    const ref = wholeRef(value) ?? leadingRef(value);
    return ref ? this.doc.get(ref.address) : undefined;
  }

  /** `aws_sqs_queue.x (whk-dev-ingest)`; the attribute follows when it is not the resource's identity. */
  ref(ref: Ref): string {
    if (ref.data) {
      const placeholder = CONTEXT_PLACEHOLDERS[ref.type]?.[ref.attribute];
      if (placeholder) return placeholder;
    }
    const name = this.nameOf(ref.address);
    const head = name && name !== ref.address ? `${ref.address} (${name})` : ref.address;
    return IDENTITY_ATTRIBUTES.has(ref.attribute) ? head : `${head} ${ref.attribute}`;
  }

  /** A resource by address, readable: `aws_lambda_function.x (whk-dev-validator)`. */
  address(address: string): string {
    const name = this.nameOf(address);
    return name && name !== address ? `${address} (${name})` : address;
  }

  /** A string with every simple reference made readable and known ARNs linked to their resource. */
  text(value: string): string {
    let out = "";
    let last = 0;
    for (const { start, end, expression } of interpolations(value)) {
      const ref = parseRef(expression);
      out += value.slice(last, start) + (ref ? this.ref(ref) : value.slice(start, end));
      last = end;
    }
    out += value.slice(last);
    return this.linkArn(out);
  }

  /** Any value as readable text (lists joined, objects as JSON with readable strings). */
  value(value: unknown): string {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item)).join(", ");
    if (value === undefined || value === null) return "";
    return typeof value === "object" ? JSON.stringify(value, (_key, item) => item) : String(value);
  }

  /** A readable name for what a value refers to: the referenced resource's name, else the literal. */
  nameIn(value: unknown): string {
    const ref = wholeRef(value) ?? leadingRef(value);
    if (ref && !ref.data) return this.nameOf(ref.address) ?? ref.address;
    return typeof value === "string" ? this.text(value) : this.value(value);
  }

  private linkArn(text: string): string {
    const match = ARN.exec(text);
    if (!match) return text;
    const [, , service, , account, resource] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (service === "iam" && resource === "root") {
      return account === "<account>" ? "account root" : `account ${account} root`;
    }
    for (const [arnService, pattern, type] of ARN_PATTERNS) {
      if (arnService !== service) continue;
      const parts = pattern.exec(resource);
      if (!parts) continue;
      const address = this.namesOf(type).get(parts[1]!);
      if (address) return `${this.address(address)}${parts[2] ?? ""}`;
    }
    return text;
  }

  private namesOf(type: string): Map<string, string> {
    let names = this.namesByType.get(type);
    if (!names) {
      names = new Map();
      for (const entry of this.doc.ofType(type)) {
        const name = this.nameOf(entry.address);
        if (name) names.set(name, entry.address);
      }
      this.namesByType.set(type, names);
    }
    return names;
  }
}
