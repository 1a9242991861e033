import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import type { Naming } from "./naming";
import { type IGrantable, type PolicyCondition, type PolicyStatement, policyDocument } from "./policy";

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
   * At least one condition is required.
   * @default - `StringEquals aws:SourceAccount` = this account
   */
  readonly trustConditions?: readonly PolicyCondition[];
}

/**
 * A role an AWS service (not Lambda) assumes on the platform's behalf: EventBridge delivering to
 * Firehose, Firehose writing to S3. The trust policy names one service principal under a
 * confused-deputy condition (never an unconditioned assume); permissions arrive through grants and are
 * rendered into one inline policy at synth, as for {@link FunctionRole}.
 */
export class ServiceRole extends Construct implements IGrantable {
  readonly arn: string;
  readonly name: string;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.name = props.naming.name("aws_iam_role.name", props.purpose);
    const trust = props.trustConditions ?? [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [props.context.accountId] },
    ];
    if (trust.length === 0)
      throw new Error(`ServiceRole ${props.purpose}: trustConditions must not be empty`);
    const role = new IamRole(this, "role", {
      name: this.name,
      assumeRolePolicy: policyDocument([
        {
          actions: ["sts:AssumeRole"],
          principals: { type: "Service", identifiers: [props.service] },
          conditions: trust,
        },
      ]),
    });
    new IamRolePolicy(this, "policy", {
      name: props.naming.name("aws_iam_role_policy.name", props.purpose),
      role: role.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
    this.arn = role.arn;
  }

  addToPolicy(statement: PolicyStatement): void {
    if (statement.principals) throw new Error("ServiceRole: identity policies name no principals");
    this.statements.push(statement);
  }
}
