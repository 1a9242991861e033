import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { PayloadBucket } from "../../constructs/payload-bucket";
import { resourcesOf, synthStack } from "../support/synth";
import { granted } from "./grants";

const { json, doc, stack } = synthStack();
const [[bucketId]] = resourcesOf(doc, "aws_s3_bucket");
const bucketRef = `\${aws_s3_bucket.${bucketId}.id}`;
const [[, lifecycle]] = resourcesOf(doc, "aws_s3_bucket_lifecycle_configuration");
const ruleById = (id: string) => lifecycle.rule.find((rule: { id: string }) => rule.id === id);

describe("payload bucket", () => {
  test("has a lowercase name from the naming module, qualified by account and region (bucket names are global)", () => {
    expect(json).toHaveResourceWithProperties(S3Bucket, {
      bucket: expect.stringMatching(
        /^whk-dev-payloads-\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}-us-east-1$/,
      ),
    });
  });

  test("blocks every kind of public access", () => {
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: bucketRef,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("disables ACLs (BucketOwnerEnforced)", () => {
    expect(json).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      bucket: bucketRef,
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  test("encrypts with SSE-KMS, the platform key and an S3 bucket key", () => {
    expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: bucketRef,
      rule: [
        {
          apply_server_side_encryption_by_default: {
            sse_algorithm: "aws:kms",
            kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\..*\.arn\}$/),
          },
          bucket_key_enabled: true,
        },
      ],
    });
  });

  test("is versioned", () => {
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, {
      bucket: bucketRef,
      versioning_configuration: { status: "Enabled" },
    });
  });

  test("its policy refuses every request not made over TLS", () => {
    const [[, policy]] = resourcesOf(doc, "aws_s3_bucket_policy");
    expect(policy.bucket).toBe(bucketRef);
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`\${aws_s3_bucket.${bucketId}.arn}`, `\${aws_s3_bucket.${bucketId}.arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });
});

describe("payload bucket lifecycle", () => {
  test("applies after versioning is configured", () => {
    expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
  });

  test("claim-checked payloads stay in STANDARD and expire after the archive retention + 14 days", () => {
    expect(ruleById("payloads-expire")).toEqual(
      expect.objectContaining({
        status: "Enabled",
        filter: [{ prefix: "payloads/" }],
        expiration: [{ days: 44 }],
      }),
    );
    expect(ruleById("payloads-expire").transition).toBeUndefined();
  });

  test("the archive moves to Glacier after glacierAfterDays and is kept", () => {
    expect(ruleById("archive-to-glacier")).toEqual(
      expect.objectContaining({
        status: "Enabled",
        filter: [{ prefix: "archive/" }],
        transition: [{ days: 30, storage_class: "GLACIER" }],
      }),
    );
    expect(ruleById("archive-to-glacier").expiration).toBeUndefined();
  });

  test.each(["payloads-expire", "archive-to-glacier"])(
    "%s expires noncurrent versions after 7 days",
    (id) => {
      expect(ruleById(id).noncurrent_version_expiration).toEqual([{ noncurrent_days: 7 }]);
    },
  );

  test.each(["payloads-expire", "archive-to-glacier"])("%s aborts incomplete uploads after a day", (id) => {
    expect(ruleById(id).abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 1 }]);
  });
});

describe("payload bucket grants", () => {
  const arn = stack.bucket.arn;
  const keyArn = stack.key.arn;

  test("the archive prefix is archive/", () => {
    expect(PayloadBucket.ARCHIVE_PREFIX).toBe("archive/");
  });

  test("reading payloads allows GetObject on payloads/* and decrypting", () => {
    expect(granted((grantee) => stack.bucket.grantReadPayloads(grantee))).toEqual([
      { actions: ["s3:GetObject"], resources: [`${arn}/payloads/*`] },
      { actions: ["kms:Decrypt"], resources: [keyArn] },
    ]);
  });

  test("putting payloads allows PutObject on payloads/* and encrypting", () => {
    expect(granted((grantee) => stack.bucket.grantPutPayloads(grantee))).toEqual([
      { actions: ["s3:PutObject"], resources: [`${arn}/payloads/*`] },
      { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [keyArn] },
    ]);
  });

  test("archive writes allow what Firehose needs on archive/* and the bucket, and encrypting", () => {
    expect(granted((grantee) => stack.bucket.grantArchiveWrite(grantee))).toEqual([
      { actions: ["s3:PutObject", "s3:AbortMultipartUpload"], resources: [`${arn}/archive/*`] },
      {
        actions: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
        resources: [arn],
      },
      { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [keyArn] },
    ]);
  });
});
