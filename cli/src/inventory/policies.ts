import { blocks, isRecord, record, str, strings, type TfDocument } from "./document";
import { interpolations, parseRef, type Resolver, wholeRef } from "./references";
import type { Condition, Statement } from "./types";

/**
 * Reads a policy attribute in any form a synthesized stack writes it: a JSON string with `${...}`
 * references inside (this stack: `policyDocument()`), `${jsonencode({...})}` (cdktf `Fn.jsonencode`),
 * or `${data.aws_iam_policy_document.x.json}`. Statements come back with references made readable.
 */
export interface ReadPolicy {
  readonly statements: Statement[];
  /** Set when the policy could not be read; the statements are then empty. */
  readonly unreadable?: string;
}

export function readPolicy(value: unknown, doc: TfDocument, resolver: Resolver): ReadPolicy {
  const raw = rawPolicy(value, doc, new Set());
  if ("unreadable" in raw) return { statements: [], unreadable: raw.unreadable };
  return { statements: raw.statements.map((statement) => readableStatement(statement, resolver)) };
}

type RawStatement = Record<string, unknown>;
type Raw = { statements: RawStatement[] } | { unreadable: string };

function rawPolicy(value: unknown, doc: TfDocument, seen: Set<string>): Raw {
  if (isRecord(value)) return { statements: statementsOf(value) };
  if (typeof value !== "string") return { unreadable: "no policy document" };
  const trimmed = value.trim();
  if (trimmed.startsWith("{")) {
    try {
      return { statements: statementsOf(JSON.parse(trimmed)) };
    } catch (error) {
      return { unreadable: `invalid JSON policy: ${(error as Error).message}` };
    }
  }
  const ref = wholeRef(trimmed);
  if (ref?.data && ref.type === "aws_iam_policy_document") {
    const entry = doc.get(ref.address);
    if (!entry) return { unreadable: `${ref.address} is not in the document` };
    if (seen.has(ref.address)) return { unreadable: `${ref.address} includes itself` };
    return policyDocumentData(entry.attrs, doc, new Set([...seen, ref.address]));
  }
  const found = interpolations(trimmed);
  if (found.length === 1 && found[0]!.start === 0 && found[0]!.end === trimmed.length) {
    const expression = found[0]!.expression.trim();
    const inner = /^jsonencode\(([\s\S]*)\)$/.exec(expression);
    if (inner) {
      try {
        return { statements: statementsOf(parseHclLiteral(inner[1]!)) };
      } catch (error) {
        return { unreadable: `jsonencode(...) not readable: ${(error as Error).message}` };
      }
    }
    return { unreadable: `policy is a Terraform expression: ${truncate(trimmed, 80)}` };
  }
  return { unreadable: `policy is not a JSON document: ${truncate(trimmed, 80)}` };
}

function statementsOf(document: unknown): RawStatement[] {
  const statement = record(document).Statement;
  if (Array.isArray(statement)) return statement.filter(isRecord);
  return isRecord(statement) ? [statement] : [];
}

/** `data.aws_iam_policy_document` blocks as IAM JSON statements (source documents first, overrides last). */
function policyDocumentData(attrs: Record<string, unknown>, doc: TfDocument, seen: Set<string>): Raw {
  const collected: RawStatement[] = [];
  for (const source of strings(attrs.source_policy_documents)) {
    const read = rawPolicy(source, doc, seen);
    if ("unreadable" in read) return read;
    collected.push(...read.statements);
  }
  for (const item of blocks(attrs.statement)) {
    const statement: RawStatement = { Effect: str(item.effect) ?? "Allow" };
    if (item.sid !== undefined) statement.Sid = item.sid;
    if (item.actions !== undefined) statement.Action = strings(item.actions);
    if (item.not_actions !== undefined) statement.NotAction = strings(item.not_actions);
    if (item.resources !== undefined) statement.Resource = strings(item.resources);
    if (item.not_resources !== undefined) statement.NotResource = strings(item.not_resources);
    const principals = blocks(item.principals);
    if (principals.length > 0) {
      const byType: Record<string, string[]> = {};
      for (const principal of principals) {
        const type = str(principal.type) ?? "AWS";
        byType[type] = [...(byType[type] ?? []), ...strings(principal.identifiers)];
      }
      statement.Principal = Object.keys(byType).length === 1 && byType["*"] ? "*" : byType;
    }
    const conditions = blocks(item.condition);
    if (conditions.length > 0) {
      const grouped: Record<string, Record<string, string[]>> = {};
      for (const condition of conditions) {
        const test = str(condition.test) ?? "?";
        grouped[test] ??= {};
        grouped[test]![str(condition.variable) ?? "?"] = strings(condition.values);
      }
      statement.Condition = grouped;
    }
    collected.push(statement);
  }
  for (const override of strings(attrs.override_policy_documents)) {
    const read = rawPolicy(override, doc, seen);
    if ("unreadable" in read) return read;
    for (const statement of read.statements) {
      const index = statement.Sid === undefined ? -1 : collected.findIndex((s) => s.Sid === statement.Sid);
      if (index >= 0) collected[index] = statement;
      else collected.push(statement);
    }
  }
  return { statements: collected };
}

function readableStatement(raw: RawStatement, resolver: Resolver): Statement {
  const text = (values: unknown): string[] => strings(values).map((value) => resolver.text(value));
  const statement: {
    -readonly [K in keyof Statement]: Statement[K];
  } = {
    effect: raw.Effect === "Deny" ? "Deny" : "Allow",
    principals: principalsOf(raw.Principal, resolver),
    actions: strings(raw.Action ?? raw.NotAction),
    resources: text(raw.Resource ?? raw.NotResource),
    conditions: conditionsOf(raw.Condition, resolver),
  };
  if (typeof raw.Sid === "string" && raw.Sid !== "") statement.sid = raw.Sid;
  if (raw.Action === undefined && raw.NotAction !== undefined) statement.notActions = true;
  if (raw.Resource === undefined && raw.NotResource !== undefined) statement.notResources = true;
  if (raw.Principal === undefined && raw.NotPrincipal !== undefined) {
    statement.principals = principalsOf(raw.NotPrincipal, resolver).map((principal) => `not ${principal}`);
  }
  return statement;
}

function principalsOf(principal: unknown, resolver: Resolver): string[] {
  if (principal === undefined) return [];
  if (typeof principal === "string") return [principal === "*" ? "*" : resolver.text(principal)];
  return Object.entries(record(principal)).flatMap(([type, identifiers]) =>
    strings(identifiers).map((identifier) =>
      identifier === "*" && type === "AWS" ? "*" : `${type}:${resolver.text(identifier)}`,
    ),
  );
}

function conditionsOf(condition: unknown, resolver: Resolver): Condition[] {
  return Object.entries(record(condition)).flatMap(([operator, byKey]) =>
    Object.entries(record(byKey)).map(([key, values]) => ({
      operator,
      key,
      values: strings(values).map((value) => resolver.text(value)),
    })),
  );
}

/** The principal is everyone: `"*"` or `{"AWS": "*"}`. */
export function isPublicPrincipal(statement: Statement): boolean {
  return statement.principals.includes("*");
}

export function formatCondition(condition: Condition): string {
  const values = condition.values.length === 1 ? condition.values[0] : `[${condition.values.join(", ")}]`;
  return `${condition.operator} ${condition.key} = ${values}`;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/**
 * Parses the HCL object/list literal cdktf writes inside `jsonencode(...)`: `{"Key" = value, ...}`,
 * lists, strings (references inside kept as `${...}`), numbers, booleans, null and bare references
 * (`aws_iam_role.r.arn`, which become `"${aws_iam_role.r.arn}"`). Anything else throws.
 */
export function parseHclLiteral(source: string): unknown {
  let index = 0;
  const skip = (): void => {
    while (index < source.length && /[\s,]/.test(source[index]!)) index++;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at ${index}: ${source.slice(index, index + 20)}`);
  };
  const value = (): unknown => {
    skip();
    const char = source[index];
    if (char === "{") return object();
    if (char === "[") return list();
    if (char === '"') return string();
    const bare = /^[A-Za-z0-9_.\-[\]]+/.exec(source.slice(index));
    if (!bare) return fail("unexpected token");
    index += bare[0].length;
    const word = bare[0];
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
    if (parseRef(word)) return `\${${word}}`;
    return fail("unsupported expression");
  };
  const string = (): string => {
    let out = "";
    index++;
    while (index < source.length) {
      const char = source[index]!;
      if (char === "\\") {
        const next = source[index + 1];
        out += next === "n" ? "\n" : next === "t" ? "\t" : (next ?? "");
        index += 2;
        continue;
      }
      if (char === "$" && source[index + 1] === "{") {
        const close = source.indexOf("}", index);
        if (close < 0) fail("unclosed interpolation");
        out += source.slice(index, close + 1);
        index = close + 1;
        continue;
      }
      index++;
      if (char === '"') return out;
      out += char;
    }
    return fail("unclosed string");
  };
  const object = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    index++;
    for (;;) {
      skip();
      if (source[index] === "}") {
        index++;
        return out;
      }
      if (index >= source.length) fail("unclosed object");
      let key: string;
      if (source[index] === '"') key = string();
      else {
        const bare = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(index));
        if (!bare) return fail("expected a key");
        key = bare[0];
        index += key.length;
      }
      skip();
      if (source[index] !== "=" && source[index] !== ":") fail("expected = or :");
      index++;
      out[key] = value();
    }
  };
  const list = (): unknown[] => {
    const out: unknown[] = [];
    index++;
    for (;;) {
      skip();
      if (source[index] === "]") {
        index++;
        return out;
      }
      if (index >= source.length) fail("unclosed list");
      out.push(value());
    }
  };
  const result = value();
  skip();
  if (index < source.length) fail("trailing input");
  return result;
}
