import { allResources } from "../support/synth";

/** One MUST rule of shared/reference/security-checklist.md, checked over the synthesized JSON. */
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
  return inspected.flatMap(([type, id, attributes]) => {
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
