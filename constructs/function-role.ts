import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import type { Naming } from "./naming";
import { type IGrantable, type PolicyStatement, policyDocument } from "./policy";

export interface FunctionRoleProps {
  readonly naming: Naming;
  /** Names the role and its policy, e.g. `validator`. */
  readonly purpose: string;
}

/**
 * One role per function, assumable by Lambda only. Permissions arrive through grants
 * (`queue.grantSend(role)`, `key.grantDecrypt(role)`) and are rendered into one inline policy at
 * synth, so a role holds exactly what the constructs it talks to granted it.
 */
export class FunctionRole extends Construct implements IGrantable {
  readonly arn: string;
  readonly name: string;
  /**
   * The inline policy: resources AWS validates against the role when they are created (event
   * source mappings) depend on it.
   */
  readonly policy: IamRolePolicy;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: FunctionRoleProps) {
    super(scope, id);
    this.name = props.naming.name("aws_iam_role.name", props.purpose);
    const role = new IamRole(this, "role", {
      name: this.name,
      assumeRolePolicy: policyDocument([
        {
          actions: ["sts:AssumeRole"],
          principals: { type: "Service", identifiers: ["lambda.amazonaws.com"] },
        },
      ]),
    });
    this.policy = new IamRolePolicy(this, "policy", {
      name: props.naming.name("aws_iam_role_policy.name", props.purpose),
      role: role.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
    this.arn = role.arn;
  }

  addToPolicy(statement: PolicyStatement): void {
    if (statement.principals) throw new Error("FunctionRole: identity policies name no principals");
    // Several grants need the same key permission; one copy keeps the policy inside IAM's size limit.
    const rendered = JSON.stringify(statement);
    if (this.statements.some((existing) => JSON.stringify(existing) === rendered)) return;
    this.statements.push(statement);
  }
}
