import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { RecordAttribute } from "@webhooks/shared";
import { resourcesOf, synthStack } from "../support/synth";
import { granted } from "./grants";

const { json, doc, stack } = synthStack();
const [[, table]] = resourcesOf(doc, "aws_dynamodb_table");

describe("webhook table", () => {
  test("is named by the naming module", () => {
    expect(json).toHaveResourceWithProperties(DynamodbTable, { name: "whk-dev-records" });
  });

  test("bills on demand", () => {
    expect(table.billing_mode).toBe("PAY_PER_REQUEST");
  });

  test("is keyed by webhookId alone: no sort key", () => {
    expect(table.hash_key).toBe(RecordAttribute.webhookId);
    expect(table.range_key).toBeUndefined();
  });

  test("has no secondary index: every write of a webhook's record is one write unit", () => {
    expect(table.global_secondary_index).toBeUndefined();
    expect(table.local_secondary_index).toBeUndefined();
  });

  test("declares only its key attribute, as a string", () => {
    expect(table.attribute).toEqual([{ name: "webhookId", type: "S" }]);
  });

  test("expires records through TTL on expiresAt", () => {
    expect(table.ttl).toEqual({ attribute_name: "expiresAt", enabled: true });
  });

  test("has point-in-time recovery", () => {
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
  });

  test("is encrypted with the platform key", () => {
    expect(table.server_side_encryption).toEqual({
      enabled: true,
      kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\.key_.*\.arn\}$/),
    });
  });

  test("streams new and old images for the audit function", () => {
    expect(table).toEqual(
      expect.objectContaining({ stream_enabled: true, stream_view_type: "NEW_AND_OLD_IMAGES" }),
    );
  });

  test("has no deletion protection outside production", () => {
    expect(table.deletion_protection_enabled).toBe(false);
  });
});

describe("table grants", () => {
  const tableArn = stack.table.arn;
  const keyArn = stack.key.arn;

  test("the claim grant allows PutItem, UpdateItem, DeleteItem, GetItem on the table and the key", () => {
    expect(granted((grantee) => stack.table.grantClaim(grantee))).toEqual([
      {
        actions: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem"],
        resources: [tableArn],
      },
      { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [keyArn] },
    ]);
  });

  test("the routing grant allows BatchGetItem and UpdateItem on the table and the key (the router reads no single item)", () => {
    expect(granted((grantee) => stack.table.grantRouting(grantee))).toEqual([
      {
        actions: ["dynamodb:BatchGetItem", "dynamodb:UpdateItem"],
        resources: [tableArn],
      },
      { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [keyArn] },
    ]);
  });

  test("the stream grant reads this table's stream, lists streams and decrypts", () => {
    expect(granted((grantee) => stack.table.grantStreamRead(grantee))).toEqual([
      {
        actions: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
        resources: [stack.table.streamArn],
      },
      { actions: ["dynamodb:ListStreams"], resources: ["*"] },
      { actions: ["kms:Decrypt"], resources: [keyArn] },
    ]);
  });
});
