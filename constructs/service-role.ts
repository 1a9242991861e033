import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import type { Naming } from "./naming";
import { type IGrantable, type PolicyCondition, type PolicyStatement, policyDocument } from "./policy";
import { IAM_ROLE_INLINE_POLICY_CHARACTERS, TOKEN_BUDGET, withoutTokens } from "./quotas";

export interface ServiceRoleProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  /** Names the role and its policy, e.g. `archive-firehose`. */
  readonly purpose: string;
  /** The one service principal that may assume the role, e.g. `firehose.amazonaws.com`. */
  readonly service: string;
  /**
   * The confused-deputy guard of the trust policy, in the form the service documents (Firehose:
   * `sts:ExternalId` = the account; EventBridge: `aws:SourceAccount` + `aws:SourceArn` = the rule).
   * Lambda takes none: it assumes a function's role only for that function.
   * @default - `StringEquals aws:SourceAccount` = this account, except none for `lambda.amazonaws.com`
   */
  readonly trustConditions?: readonly PolicyCondition[];
  /**
   * Why the service is trusted without a confused-deputy condition (it documents none and would
   * fail to assume the role under one). Required with an empty `trustConditions` for any service
   * but Lambda. @default - none
   */
  readonly unconditionalTrustReason?: string;
}

export const LAMBDA_SERVICE = "lambda.amazonaws.com";

/**
 * A role one AWS service assumes on the platform's behalf: a Lambda function, EventBridge delivering
 * to Firehose, Firehose writing to S3. The trust policy names that one service principal (under a
 * confused-deputy condition for every service but Lambda). Permissions arrive through grants
 * (`queue.grantSend(role)`, `key.grantDecrypt(role)`) and are rendered into one inline policy at
 * synth, so a role holds exactly what the constructs it talks to granted it. A synth validation
 * refuses a policy over IAM's size limit for a role's inline policies.
 */
export class ServiceRole extends Construct implements IGrantable {
  readonly arn: string;
  readonly name: string;
  /**
   * The inline policy: resources AWS validates against the role when they are created (event
   * source mappings) depend on it.
   */
  readonly policy: IamRolePolicy;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.name = props.naming.name("aws_iam_role.name", props.purpose);
    const lambda = props.service === LAMBDA_SERVICE;
    const trust =
      props.trustConditions ??
      (lambda
        ? []
        : [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.context.accountId] }]);
    if (trust.length === 0 && !lambda && !props.unconditionalTrustReason) {
      throw new Error(
        `ServiceRole ${props.purpose}: ${props.service} needs a confused-deputy trust condition`,
      );
    }
    const role = new IamRole(this, "role", {
      name: this.name,
      assumeRolePolicy: policyDocument([
        {
          actions: ["sts:AssumeRole"],
          principals: { type: "Service", identifiers: [props.service] },
          ...(trust.length > 0 && { conditions: trust }),
        },
      ]),
    });
    this.policy = new IamRolePolicy(this, "policy", {
      name: props.naming.name("aws_iam_role_policy.name", props.purpose),
      role: role.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
    this.arn = role.arn;
    this.node.addValidation({ validate: () => this.policySizeProblems() });
  }

  /**
   * The inline policy's size as IAM counts it (whitespace aside), each unresolved reference at
   * {@link TOKEN_BUDGET} characters: an upper bound of the deployed size.
   */
  policySize(): number {
    const { literal, tokens } = withoutTokens(policyDocument(this.statements));
    return literal.replace(/\s/g, "").length + tokens * TOKEN_BUDGET;
  }

  private policySizeProblems(): string[] {
    const size = this.policySize();
    if (size <= IAM_ROLE_INLINE_POLICY_CHARACTERS) return [];
    return [
      `the inline policy of role ${this.name} is ${size} characters (references counted at ${TOKEN_BUDGET} each), over IAM's ${IAM_ROLE_INLINE_POLICY_CHARACTERS}-character limit for a role's inline policies; grant fewer, wider resources (one ARN pattern rather than one ARN per resource)`,
    ];
  }

  addToPolicy(statement: PolicyStatement): void {
    if (statement.principals) throw new Error("ServiceRole: identity policies name no principals");
    // Several grants need the same key (Decrypt for one, Decrypt + GenerateDataKey for another):
    // statements that differ only in their actions become one, with the union of the actions, so a
    // reviewer reads each permission once and the policy stays inside IAM's size limit.
    const scope = (candidate: PolicyStatement) => JSON.stringify({ ...candidate, actions: undefined });
    const index = this.statements.findIndex((existing) => scope(existing) === scope(statement));
    if (index < 0) {
      this.statements.push(statement);
      return;
    }
    const existing = this.statements[index]!;
    const added = statement.actions.filter((action) => !existing.actions.includes(action));
    if (added.length > 0) this.statements[index] = { ...existing, actions: [...existing.actions, ...added] };
  }
}
