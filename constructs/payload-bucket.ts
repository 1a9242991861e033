import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import { denyInsecureTransport, type IGrantable, policyDocument } from "./policy";

export interface PayloadBucketProps {
  readonly naming: Naming;
  readonly key: PlatformKey;
  /**
   * Claim-checked payloads (`payloads/`) expire after this many days. Keep it ≥ queue + DLQ +
   * bus archive retention: a replay or redrive fetches the payload again.
   * @default 44 (30-day archive + 14-day DLQ)
   */
  readonly payloadRetentionDays?: number;
  /** The batched archive (`archive/`) moves to S3 Glacier Flexible Retrieval after this many days. @default 30 */
  readonly glacierAfterDays?: number;
  /** The archive expires after this many days. @default - never (kept in Glacier) */
  readonly archiveExpirationDays?: number;
  /** Overwritten or deleted object versions are kept this many days. @default 7 */
  readonly noncurrentVersionDays?: number;
  /** Incomplete multipart uploads are aborted after this many days. @default 1 */
  readonly abortIncompleteUploadDays?: number;
  /**
   * Keep the bucket and its objects: `terraform destroy` is refused at plan (`prevent_destroy`), so
   * nothing of the stack is deleted by mistake. Off, destroy empties the bucket (every object
   * version) and deletes it, so an environment can be re-created at once. @default false
   */
  readonly retain?: boolean;
}

/**
 * The claim-check and archive bucket, named `<prefix>-<env>-payloads-<account>-<region>` (bucket
 * names are unique across all accounts). Default settings: all four public-access blocks,
 * BucketOwnerEnforced (ACLs disabled), SSE-KMS with the platform CMK and an S3 bucket key,
 * versioning, a bucket policy refusing non-TLS requests, and a lifecycle: `payloads/` stays in
 * STANDARD and expires, `archive/` moves to Glacier, noncurrent versions expire, incomplete
 * multipart uploads are aborted.
 */
export class PayloadBucket extends Construct {
  /** Where the validator puts claim-checked payloads (`payloads/<provider>/<date>/<webhookId>`). */
  static readonly PAYLOAD_PREFIX = "payloads/";
  /** Where Firehose writes the batched event archive. */
  static readonly ARCHIVE_PREFIX = "archive/";

  readonly name: string;
  readonly arn: string;
  private readonly key: PlatformKey;

  constructor(scope: Construct, id: string, props: PayloadBucketProps) {
    super(scope, id);
    const { naming, key } = props;
    this.key = key;
    this.name = naming.name("aws_s3_bucket.bucket", "payloads");

    const retain = props.retain ?? false;
    const bucket = new S3Bucket(this, "bucket", {
      bucket: this.name,
      forceDestroy: !retain,
      ...(retain && { lifecycle: { preventDestroy: true } }),
    });
    this.arn = bucket.arn;

    new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
          // One data key per bucket instead of one KMS call per object (cost, KMS request quotas).
          bucketKeyEnabled: true,
        },
      ],
    });
    const versioning = new S3BucketVersioningA(this, "versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketPolicy(this, "policy", {
      bucket: bucket.id,
      policy: policyDocument([denyInsecureTransport([this.arn, `${this.arn}/*`], ["s3:*"])]),
    });

    const cleanup = {
      noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 7 }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadDays ?? 1 }],
    };
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "payloads-expire",
          status: "Enabled",
          filter: [{ prefix: PayloadBucket.PAYLOAD_PREFIX }],
          expiration: [{ days: props.payloadRetentionDays ?? 44 }],
          ...cleanup,
        },
        {
          id: "archive-to-glacier",
          status: "Enabled",
          filter: [{ prefix: PayloadBucket.ARCHIVE_PREFIX }],
          transition: [{ days: props.glacierAfterDays ?? 30, storageClass: "GLACIER" }],
          ...(props.archiveExpirationDays ? { expiration: [{ days: props.archiveExpirationDays }] } : {}),
          ...cleanup,
        },
      ],
      // Lifecycle rules on a versioned bucket apply once versioning is configured.
      dependsOn: [versioning],
    });
  }

  /** `s3:GetObject` on `payloads/*` and `kms:Decrypt` on the platform key (the router fetching claim checks). */
  grantReadPayloads(grantee: IGrantable): void {
    grantee.addToPolicy({
      actions: ["s3:GetObject"],
      resources: [`${this.arn}/${PayloadBucket.PAYLOAD_PREFIX}*`],
    });
    this.key.grantDecrypt(grantee);
  }

  /** `s3:PutObject` on `payloads/*` and `kms:Decrypt` + `kms:GenerateDataKey` on the key (the validator's claim check). */
  grantPutPayloads(grantee: IGrantable): void {
    grantee.addToPolicy({
      actions: ["s3:PutObject"],
      resources: [`${this.arn}/${PayloadBucket.PAYLOAD_PREFIX}*`],
    });
    this.key.grantEncryptDecrypt(grantee);
  }

  /**
   * What Firehose needs to deliver to `archive/`: `s3:PutObject` + `s3:AbortMultipartUpload` on
   * `archive/*`, `s3:GetBucketLocation` + `s3:ListBucket` + `s3:ListBucketMultipartUploads` on the
   * bucket, and `kms:Decrypt` + `kms:GenerateDataKey` on the platform key.
   */
  grantArchiveWrite(grantee: IGrantable): void {
    grantee.addToPolicy({
      actions: ["s3:PutObject", "s3:AbortMultipartUpload"],
      resources: [`${this.arn}/${PayloadBucket.ARCHIVE_PREFIX}*`],
    });
    grantee.addToPolicy({
      actions: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      resources: [this.arn],
    });
    this.key.grantEncryptDecrypt(grantee);
  }
}
