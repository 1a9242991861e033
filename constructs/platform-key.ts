import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import type { Naming } from "./naming";
import { type IGrantable, type PolicyCondition, type PolicyStatement, policyDocument } from "./policy";

export interface PlatformKeyProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  /** Names the alias (`alias/<prefix>-<env>-<purpose>`). @default "data" */
  readonly purpose?: string;
  /** What the key encrypts, for its description. @default "data at rest" */
  readonly encrypts?: string;
  /** Days AWS waits before deleting the key once scheduled (KMS.3: keep 30 in production). @default 30 */
  readonly deletionWindowInDays?: number;
}

/** What a service principal may do with the key, added by the construct that uses that service. */
export interface ServiceKeyGrant {
  /** Statement id, e.g. `CloudWatchLogs`. */
  readonly sid: string;
  /** e.g. `logs.us-east-1.amazonaws.com`. */
  readonly service: string;
  readonly actions: readonly string[];
  readonly conditions?: readonly PolicyCondition[];
}

/**
 * A customer-managed key, with rotation, an alias and an explicit key policy. The policy keeps the
 * account-root statement (KMS refuses a policy that would lock the account out) and grants exactly
 * the services other constructs register ({@link grantService}, {@link allowLogGroup},
 * {@link allowServiceToQueue}); it is a separate `aws_kms_key_policy`, so resources encrypted with
 * the key don't form a cycle with it.
 */
export class PlatformKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;
  readonly aliasName: string;
  /** Resources a service checks the key policy for at creation (log groups) depend on this. */
  readonly policy: KmsKeyPolicy;
  private readonly serviceGrants: ServiceKeyGrant[] = [];
  private readonly logGroupArns: string[] = [];
  /** Queue ARNs per service principal that may encrypt messages into them. */
  private readonly queueDeliveries = new Map<string, { sid: string; queueArns: string[] }>();

  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id);
    const { naming, context } = props;
    this.key = new KmsKey(this, "key", {
      description: `Encrypts the ${naming.base} webhook platform's ${props.encrypts ?? "data at rest"}`,
      enableKeyRotation: true,
      isEnabled: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    });
    this.arn = this.key.arn;
    this.aliasName = naming.name("aws_kms_alias.name", props.purpose ?? "data", { before: "alias/" });
    new KmsAlias(this, "alias", { name: this.aliasName, targetKeyId: this.key.keyId });
    this.policy = new KmsKeyPolicy(this, "policy", {
      keyId: this.key.keyId,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements(context)) }),
    });
  }

  /** Adds a key-policy statement for an AWS service principal (logs, events, cloudwatch, …). */
  grantService(grant: ServiceKeyGrant): void {
    if (this.serviceGrants.some((existing) => existing.sid === grant.sid)) {
      throw new Error(`PlatformKey: a key grant with sid ${grant.sid} already exists`);
    }
    this.serviceGrants.push(grant);
  }

  /**
   * Lets CloudWatch Logs encrypt one log group with the key: `logs.<region>.amazonaws.com` gets
   * Encrypt/Decrypt/ReEncrypt/GenerateDataKey/Describe only under that group's encryption context.
   */
  allowLogGroup(logGroupName: string, context: AwsContext): void {
    this.logGroupArns.push(context.arn("logs", `log-group:${logGroupName}`));
  }

  /**
   * Lets an AWS service encrypt the messages it sends into one SQS queue encrypted with this key:
   * `kms:GenerateDataKey` + `kms:Decrypt` for `service` under that queue's encryption context
   * (`kms:EncryptionContext:aws:sqs:arn`). One statement per service, listing every such queue.
   */
  allowServiceToQueue(sid: string, service: string, queueArn: string): void {
    const delivery = this.queueDeliveries.get(service) ?? { sid, queueArns: [] };
    delivery.queueArns.push(queueArn);
    this.queueDeliveries.set(service, delivery);
  }

  /** Grants `kms:Decrypt` (read data encrypted with the key) on this key only. */
  grantDecrypt(grantee: IGrantable): void {
    grantee.addToPolicy({ actions: ["kms:Decrypt"], resources: [this.arn] });
  }

  /** Grants `kms:Decrypt` and `kms:GenerateDataKey` (write and read encrypted data) on this key only. */
  grantEncryptDecrypt(grantee: IGrantable): void {
    grantee.addToPolicy({ actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [this.arn] });
  }

  private statements(context: AwsContext): PolicyStatement[] {
    const root: PolicyStatement = {
      sid: "AccountAdministration",
      principals: { type: "AWS", identifiers: [`arn:${context.partition}:iam::${context.accountId}:root`] },
      actions: ["kms:*"],
      resources: ["*"],
    };
    const logs: PolicyStatement[] =
      this.logGroupArns.length === 0
        ? []
        : [
            {
              sid: "CloudWatchLogs",
              principals: { type: "Service", identifiers: [`logs.${context.region}.amazonaws.com`] },
              actions: [
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
              ],
              resources: ["*"],
              conditions: [
                {
                  test: "ArnEquals",
                  variable: "kms:EncryptionContext:aws:logs:arn",
                  values: this.logGroupArns,
                },
              ],
            },
          ];
    const queues: PolicyStatement[] = [...this.queueDeliveries].map(([service, delivery]) => ({
      sid: delivery.sid,
      principals: { type: "Service", identifiers: [service] },
      actions: ["kms:GenerateDataKey", "kms:Decrypt"],
      resources: ["*"],
      conditions: [
        { test: "StringEquals", variable: "kms:EncryptionContext:aws:sqs:arn", values: delivery.queueArns },
      ],
    }));
    return [
      root,
      ...logs,
      ...queues,
      ...this.serviceGrants.map((grant) => ({
        sid: grant.sid,
        principals: { type: "Service" as const, identifiers: [grant.service] },
        actions: grant.actions,
        resources: ["*"],
        conditions: grant.conditions,
      })),
    ];
  }
}
