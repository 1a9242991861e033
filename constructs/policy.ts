/**
 * IAM policy documents as plain data. Every role policy, key policy and resource policy in the
 * stack is rendered by {@link policyDocument}, so the policy tests can read them back as JSON.
 */
export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface PolicyStatement {
  readonly sid?: string;
  /** @default "Allow" */
  readonly effect?: "Allow" | "Deny";
  readonly actions: readonly string[];
  /** @default - none (resource policies name no resources only when the resource is implicit) */
  readonly resources?: readonly string[];
  /** Resource policies only. */
  readonly principals?: { readonly type: "Service" | "AWS" | "*"; readonly identifiers: readonly string[] };
  readonly conditions?: readonly PolicyCondition[];
}

/** Something that can be granted permissions: a role that collects statements into its policy. */
export interface IGrantable {
  addToPolicy(statement: PolicyStatement): void;
}

/**
 * Renders statements as an IAM JSON policy. Deterministic: statement order is insertion order and
 * conditions are grouped by operator in the order given.
 *
 * @example policyDocument([{ actions: ["sqs:SendMessage"], resources: [queueArn] }])
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements.map(renderStatement) });
}

function renderStatement(statement: PolicyStatement): Record<string, unknown> {
  const rendered: Record<string, unknown> = {};
  if (statement.sid) rendered.Sid = statement.sid;
  rendered.Effect = statement.effect ?? "Allow";
  if (statement.principals) {
    rendered.Principal =
      statement.principals.type === "*"
        ? "*"
        : { [statement.principals.type]: single(statement.principals.identifiers) };
  }
  rendered.Action = single(statement.actions);
  if (statement.resources) rendered.Resource = single(statement.resources);
  if (statement.conditions && statement.conditions.length > 0) {
    const conditions: Record<string, Record<string, string | string[]>> = {};
    for (const condition of statement.conditions) {
      conditions[condition.test] ??= {};
      conditions[condition.test]![condition.variable] = single(condition.values);
    }
    rendered.Condition = conditions;
  }
  return rendered;
}

function single(values: readonly string[]): string | string[] {
  return values.length === 1 ? values[0]! : [...values];
}

/** The statement every resource policy carries: refuse any request not made over TLS. */
export function denyInsecureTransport(
  resources: readonly string[],
  actions: readonly string[],
): PolicyStatement {
  return {
    sid: "DenyInsecureTransport",
    effect: "Deny",
    principals: { type: "*", identifiers: ["*"] },
    actions,
    resources,
    conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
  };
}
