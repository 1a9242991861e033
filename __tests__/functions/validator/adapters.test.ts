import { Metrics } from "@aws-lambda-powertools/metrics";
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { marshall } from "@aws-sdk/util-dynamodb";
import { sha256Hex } from "@webhooks/shared";
import { mockClient } from "aws-sdk-client-mock";
import { createDynamoDbStore } from "../../../functions/validator/adapters/dynamodb-store";
import { createPowertoolsMetrics } from "../../../functions/validator/adapters/powertools-metrics";
import { createS3Blobs } from "../../../functions/validator/adapters/s3-blobs";
import { createSecretsManagerSource } from "../../../functions/validator/adapters/secrets-manager";
import { createSqsQueue } from "../../../functions/validator/adapters/sqs-queue";

const sqs = mockClient(SQSClient);
const s3 = mockClient(S3Client);
const secretsManager = mockClient(SecretsManagerClient);
const dynamodb = mockClient(DynamoDBClient);
beforeEach(() => {
  sqs.reset();
  s3.reset();
  secretsManager.reset();
  dynamodb.reset();
});

describe("SQS queue", () => {
  const message = { body: '{"version":1}', webhookId: "wh_0123", provider: "stripe" };

  test("sends the envelope with webhookId and provider message attributes", async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: "m-1" });
    await createSqsQueue(new SQSClient({}), "https://sqs.us-east-1.amazonaws.com/123456789012/ingest").send(
      message,
    );
    expect(sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      {
        QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/ingest",
        MessageBody: '{"version":1}',
        MessageAttributes: {
          webhookId: { DataType: "String", StringValue: "wh_0123" },
          provider: { DataType: "String", StringValue: "stripe" },
        },
      },
    ]);
  });

  test("a FIFO queue gets the provider as message group and the webhook id as deduplication id", async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: "m-1" });
    await createSqsQueue(
      new SQSClient({}),
      "https://sqs.us-east-1.amazonaws.com/123456789012/ingest.fifo",
    ).send(message);
    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input).toMatchObject({
      MessageGroupId: "stripe",
      MessageDeduplicationId: "wh_0123",
    });
  });

  test("a failed send rejects", async () => {
    sqs.on(SendMessageCommand).rejects(new Error("KMS.DisabledException"));
    await expect(createSqsQueue(new SQSClient({}), "https://q").send(message)).rejects.toThrow(
      "KMS.DisabledException",
    );
  });
});

describe("S3 payload bucket", () => {
  test("asks for its client on the first upload, not before (cold starts skip the S3 SDK)", async () => {
    s3.on(PutObjectCommand).resolves({});
    const client = jest.fn(async () => new S3Client({}));
    const blobs = createS3Blobs(client, "payloads-bucket");
    expect(client).not.toHaveBeenCalled();
    const body = Buffer.from("{}");
    await blobs.put({
      key: "payloads/acme/2026/11/23/wh_1",
      body,
      contentType: "application/json",
      sha256: sha256Hex(body),
    });
    expect(client).toHaveBeenCalledTimes(1);
  });

  test("puts the raw bytes with content type and the SHA-256 as a checksum S3 verifies", async () => {
    s3.on(PutObjectCommand).resolves({});
    const body = Buffer.from('{"big":true}');
    const blobs = createS3Blobs(async () => new S3Client({}), "payloads-bucket");
    await blobs.put({
      key: "payloads/acme/2026/11/23/wh_1",
      body,
      contentType: "application/json",
      sha256: sha256Hex(body),
    });
    expect(blobs.bucket).toBe("payloads-bucket");
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      {
        Bucket: "payloads-bucket",
        Key: "payloads/acme/2026/11/23/wh_1",
        Body: body,
        ContentType: "application/json",
        ChecksumSHA256: Buffer.from(sha256Hex(body), "hex").toString("base64"),
      },
    ]);
  });
});

describe("Secrets Manager source", () => {
  test("reads the secret's current SecretString", async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: "webhooks/stripe" })
      .resolves({ SecretString: '{"secrets":["a"]}' });
    expect(await createSecretsManagerSource(new SecretsManagerClient({})).fetch("webhooks/stripe")).toBe(
      '{"secrets":["a"]}',
    );
    expect(secretsManager.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([
      { SecretId: "webhooks/stripe" },
    ]);
  });

  test("a binary secret is refused", async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) });
    await expect(
      createSecretsManagerSource(new SecretsManagerClient({})).fetch("webhooks/x"),
    ).rejects.toThrow("secret webhooks/x has no SecretString (binary secrets are not supported)");
  });
});

describe("DynamoDB store", () => {
  const store = () => createDynamoDbStore(new DynamoDBClient({}), "webhooks");
  const claim = {
    webhookId: "wh_1",
    provider: "stripe",
    deliveryId: "evt_1",
    eventType: "invoice.paid",
    receivedAt: "2026-11-23T12:00:00.000Z",
    nowMs: 1_795_521_600_000,
    leaseUntil: 1_795_521_609_000,
    expiresAt: 1_796_126_400,
    contentDigest: "a".repeat(64),
  };
  const conditionFailed = (item?: Record<string, unknown>) =>
    new ConditionalCheckFailedException({
      message: "The conditional request failed",
      $metadata: {},
      Item: item ? marshall(item, { removeUndefinedValues: true }) : undefined,
    });

  test("claims with one conditional PutItem that returns the old item on failure", async () => {
    dynamodb.on(PutItemCommand).resolves({});
    expect(await store().claim(claim)).toEqual({ outcome: "claimed" });
    const input = dynamodb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TableName: "webhooks",
      ConditionExpression:
        "attribute_not_exists(#webhookId) OR #expiresAt < :nowSec OR (#status = :received AND #leaseUntil < :nowMs AND (attribute_not_exists(#contentDigest) OR #contentDigest = :contentDigest))",
      ExpressionAttributeValues: marshall({
        ":nowSec": 1_795_521_600,
        ":nowMs": 1_795_521_600_000,
        ":received": "RECEIVED",
        ":contentDigest": "a".repeat(64),
      }),
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    expect(input.Item).toEqual(
      marshall({
        webhookId: "wh_1",
        provider: "stripe",
        deliveryId: "evt_1",
        eventType: "invoice.paid",
        status: "RECEIVED",
        receivedAt: "2026-11-23T12:00:00.000Z",
        leaseUntil: 1_795_521_609_000,
        expiresAt: 1_796_126_400,
        updatedAt: 1_795_521_600_000,
        contentDigest: "a".repeat(64),
      }),
    );
  });

  test.each([
    ["QUEUED", { outcome: "duplicate", status: "QUEUED" }],
    ["ROUTED", { outcome: "duplicate", status: "ROUTED" }],
    ["RECEIVED", { outcome: "in-progress" }],
  ])("a failed condition with the old item %s needs no second read", async (status, expected) => {
    dynamodb.on(PutItemCommand).rejects(conditionFailed({ webhookId: "wh_1", status }));
    expect(await store().claim(claim)).toEqual(expected);
    expect(dynamodb.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  test.each([
    ["QUEUED", "the same digest", "a".repeat(64), { outcome: "duplicate", status: "QUEUED" }],
    ["ROUTED", "no digest (claimed before digests)", undefined, { outcome: "duplicate", status: "ROUTED" }],
    ["QUEUED", "another digest", "b".repeat(64), { outcome: "conflict", status: "QUEUED" }],
    ["RECEIVED", "another digest", "b".repeat(64), { outcome: "conflict", status: "RECEIVED" }],
  ])(
    "a failed condition against a %s record with %s answers from the old item",
    async (status, _digest, contentDigest, expected) => {
      dynamodb.on(PutItemCommand).rejects(conditionFailed({ webhookId: "wh_1", status, contentDigest }));
      expect(await store().claim(claim)).toEqual(expected);
    },
  );

  test("a failed condition without the old item reads its status and digest strongly consistent", async () => {
    dynamodb.on(PutItemCommand).rejects(conditionFailed());
    dynamodb
      .on(GetItemCommand)
      .resolves({ Item: marshall({ status: "QUEUED", contentDigest: "b".repeat(64) }) });
    expect(await store().claim(claim)).toEqual({ outcome: "conflict", status: "QUEUED" });
    expect(dynamodb.commandCalls(GetItemCommand)[0]!.args[0].input).toMatchObject({
      Key: marshall({ webhookId: "wh_1" }),
      ConsistentRead: true,
      ProjectionExpression: "#status, #contentDigest",
    });
  });

  test("any other claim error rejects", async () => {
    dynamodb.on(PutItemCommand).rejects(new Error("ProvisionedThroughputExceededException"));
    await expect(store().claim(claim)).rejects.toThrow("ProvisionedThroughputExceededException");
  });

  test("marks QUEUED only a RECEIVED record, dropping its lease", async () => {
    dynamodb.on(UpdateItemCommand).resolves({});
    await store().markQueued("wh_1", 1_795_521_601_000);
    expect(dynamodb.commandCalls(UpdateItemCommand)[0]!.args[0].input).toMatchObject({
      Key: marshall({ webhookId: "wh_1" }),
      UpdateExpression: "SET #status = :queued, #updatedAt = :nowMs REMOVE #leaseUntil",
      ConditionExpression: "#status = :received",
    });
  });

  test("marking a record that is no longer RECEIVED is not an error", async () => {
    dynamodb.on(UpdateItemCommand).rejects(conditionFailed());
    await expect(store().markQueued("wh_1", 1)).resolves.toBeUndefined();
  });

  test("releases only its own RECEIVED claim", async () => {
    dynamodb.on(DeleteItemCommand).resolves({});
    await store().release("wh_1", 1_795_521_609_000);
    expect(dynamodb.commandCalls(DeleteItemCommand)[0]!.args[0].input).toMatchObject({
      Key: marshall({ webhookId: "wh_1" }),
      ConditionExpression: "#status = :received AND #leaseUntil = :leaseUntil",
      ExpressionAttributeValues: marshall({ ":received": "RECEIVED", ":leaseUntil": 1_795_521_609_000 }),
    });
  });
});

describe("Powertools metrics", () => {
  test("each count is one EMF line with provider, outcome and reason dimensions", () => {
    const write = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const metrics = createPowertoolsMetrics(
        new Metrics({ namespace: "WebhookPlatform", serviceName: "webhook-validator" }),
      );
      metrics.count("stripe", "rejected", "signature_mismatch");
      metrics.count("stripe", "accepted");
      const lines = write.mock.calls.map(([chunk]) => JSON.parse(String(chunk)));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({
        _aws: {
          CloudWatchMetrics: [
            {
              Namespace: "WebhookPlatform",
              Dimensions: [["service", "provider", "outcome", "reason"]],
              Metrics: [{ Name: "Webhooks", Unit: "Count" }],
            },
          ],
        },
        service: "webhook-validator",
        provider: "stripe",
        outcome: "rejected",
        reason: "signature_mismatch",
        Webhooks: 1,
      });
      expect(lines[1]._aws.CloudWatchMetrics[0].Dimensions).toEqual([["service", "provider", "outcome"]]);
    } finally {
      write.mockRestore();
    }
  });
});
