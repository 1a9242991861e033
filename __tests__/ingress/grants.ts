import type { IGrantable, PolicyStatement } from "../../constructs/policy";

/** The statements a grant adds, collected from a stand-in grantee (tokens stay as token strings). */
export function granted(grant: (grantee: IGrantable) => void): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  grant({ addToPolicy: (statement) => statements.push(statement) });
  return statements;
}

/** The statements of a role's inline policy in a synthesized document, by role name. */
// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
export function rolePolicyStatements(doc: any, roleName: string): Array<Record<string, unknown>> {
  const roles = Object.entries(doc.resource.aws_iam_role ?? {}) as Array<[string, { name: string }]>;
  const role = roles.find(([, attributes]) => attributes.name === roleName);
  if (!role) throw new Error(`no role ${roleName}`);
  const policies = Object.values(doc.resource.aws_iam_role_policy ?? {}) as Array<{
    role: string;
    policy: string;
  }>;
  const policy = policies.find((p) => p.role.includes(`aws_iam_role.${role[0]}.`));
  if (!policy) throw new Error(`no inline policy for ${roleName}`);
  return JSON.parse(policy.policy).Statement;
}
