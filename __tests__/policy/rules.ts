import { allResources } from "../support/synth";

/** One MUST rule of the project's security checklist, checked over the synthesized JSON. */
export interface PolicyRule {
  /** The scanner / Security Hub id the checklist gives, e.g. `CKV_AWS_7`. */
  readonly id: string;
  readonly requirement: string;
  /** Resource types the rule inspects; the stack must contain at least one, so the rule can fail. */
  readonly types: readonly string[];
  /** Why this resource breaks the rule, or undefined when it holds. */
  // biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
  readonly offenders: (attributes: any, type: string, doc: any) => string | undefined;
}

/** Runs a rule over a document: the offenders, or a complaint that nothing was inspected. */
// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
export function evaluate(rule: PolicyRule, doc: any): string[] {
  const inspected = allResources(doc).filter(([type]) => rule.types.includes(type));
  if (inspected.length === 0) return [`no ${rule.types.join("/")} in the stack to inspect`];
  return offendersIn(rule, doc);
}

/** The resources of a document that break a rule; none when it has nothing the rule inspects. */
// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
export function offendersIn(rule: PolicyRule, doc: any): string[] {
  return allResources(doc)
    .filter(([type]) => rule.types.includes(type))
    .flatMap(([type, id, attributes]) => {
      const why = rule.offenders(attributes, type, doc);
      return why ? [`${type}.${id}: ${why}`] : [];
    });
}

/** Statements of a JSON policy attribute (identity, key or resource policy). */
export function statementsOf(policy: string | undefined): Array<Record<string, unknown>> {
  if (!policy) return [];
  const statements = JSON.parse(policy).Statement;
  return Array.isArray(statements) ? statements : [statements];
}

export function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A Terraform reference `${<type>.<id>.<attribute>}`, parsed; undefined for anything else. */
export function ref(value: unknown): { type: string; id: string; attribute: string } | undefined {
  const match = typeof value === "string" ? /^\$\{([a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}$/.exec(value) : null;
  return match ? { type: match[1]!, id: match[2]!, attribute: match[3]! } : undefined;
}

/** The principals of a policy statement, by kind. */
export function principalOf(statement: Record<string, unknown>): {
  service: string[];
  aws: string[];
  star: boolean;
} {
  const principal = statement.Principal as { AWS?: unknown; Service?: unknown } | "*" | undefined;
  if (principal === "*") return { service: [], aws: [], star: true };
  const aws = asList(principal?.AWS) as string[];
  return { service: asList(principal?.Service) as string[], aws, star: aws.includes("*") };
}
