import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { RecordAttribute, TTL_ATTRIBUTE } from "@webhooks/shared";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import type { IGrantable } from "./policy";

export interface WebhookTableProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  /**
   * DynamoDB.6: refuse `DeleteTable` (a `cdktf destroy` or a refactor that replaces the table
   * would wipe the dedupe state). The stack turns it on in production.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Refuse `terraform destroy` of the table at plan (`prevent_destroy`), before anything else of the
   * stack is deleted; deletion protection alone fails only when the destroy reaches the table.
   * @default false
   */
  readonly retain?: boolean;
  /** Names the table. @default "records" */
  readonly purpose?: string;
}

/**
 * The delivery-record table (functions/shared/record.ts): one item per (provider, delivery id),
 * keyed by the deterministic `webhookId` only, so claim, lookup and dedupe need no index.
 *
 * Default settings: on-demand billing; no secondary index (each of a webhook's three writes is one
 * write unit; the rare listings read the S3 archive or scan, see `webhooks status`); TTL on
 * `expiresAt`; point-in-time recovery; SSE with the platform CMK; stream NEW_AND_OLD_IMAGES for
 * the audit function.
 */
export class WebhookTable extends Construct {
  readonly name: string;
  readonly arn: string;
  /** The stream's ARN (known at apply): the audit function's event source. */
  readonly streamArn: string;
  private readonly key: PlatformKey;

  constructor(scope: Construct, id: string, props: WebhookTableProps) {
    super(scope, id);
    this.key = props.key;
    this.name = props.naming.name("aws_dynamodb_table.name", props.purpose ?? "records");
    const table = new DynamodbTable(this, "table", {
      name: this.name,
      billingMode: "PAY_PER_REQUEST",
      hashKey: RecordAttribute.webhookId,
      attribute: [{ name: RecordAttribute.webhookId, type: "S" }],
      ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.key.arn },
      deletionProtectionEnabled: props.deletionProtection ?? false,
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      ...(props.retain && { lifecycle: { preventDestroy: true } }),
    });
    this.arn = table.arn;
    this.streamArn = table.streamArn;
  }

  /**
   * The validator's claim: `dynamodb:PutItem`, `UpdateItem`, `DeleteItem`, `GetItem` on the table
   * (not its indexes), and `kms:Decrypt` + `kms:GenerateDataKey` on the platform key.
   */
  grantClaim(grantee: IGrantable): void {
    this.grant(grantee, [
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
    ]);
  }

  /**
   * The router's status updates: `dynamodb:BatchGetItem` and `UpdateItem` on the table (not its
   * indexes), and `kms:Decrypt` + `kms:GenerateDataKey` on the platform key.
   */
  grantRouting(grantee: IGrantable): void {
    this.grant(grantee, ["dynamodb:BatchGetItem", "dynamodb:UpdateItem"]);
  }

  /**
   * Reading the stream (a Lambda event source): `dynamodb:DescribeStream`, `GetRecords`,
   * `GetShardIterator` on this table's stream, `dynamodb:ListStreams` on `*` (the action has no
   * resource type in the Service Authorization Reference), and `kms:Decrypt` on the platform key.
   */
  grantStreamRead(grantee: IGrantable): void {
    grantee.addToPolicy({
      actions: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
      resources: [this.streamArn],
    });
    grantee.addToPolicy({ actions: ["dynamodb:ListStreams"], resources: ["*"] });
    this.key.grantDecrypt(grantee);
  }

  /** Grants `actions` on the table ARN only, plus `kms:Decrypt` + `kms:GenerateDataKey` on the key. */
  grant(grantee: IGrantable, actions: readonly string[]): void {
    grantee.addToPolicy({ actions, resources: [this.arn] });
    this.key.grantEncryptDecrypt(grantee);
  }
}
