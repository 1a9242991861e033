import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { awsEndpointListener } from "../../cli/src/dev/aws-endpoint";
import { LocalQueue } from "../../cli/src/dev/local-queue";
import { recordsTableDefinition } from "../../cli/src/dev/records-table";
import { LOCAL_CREDENTIALS } from "../../cli/src/dev/state";

// The local endpoint through the AWS SDK's own clients, as `webhooks status --dev` and
// `webhooks redrive --dev` call it: real HTTP, the SDK's protocol and MD5 checks.

// biome-ignore lint/suspicious/noExplicitAny: untyped module
const dynalite: (options: object) => any = require("dynalite");

let server: Server;
let sqs: SQSClient;
let dynamo: DynamoDBClient;
let queue: LocalQueue;
let dlq: LocalQueue;
const stop = new AbortController();

beforeAll(async () => {
  const queues = new Map<string, LocalQueue>();
  server = createServer(
    awsEndpointListener({ queues, dynamoDb: dynalite({ createTableMs: 0 }), stop: stop.signal }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const local = (name: string, redrive?: { deadLetterQueue: LocalQueue; maxReceiveCount: number }) => {
    const created = new LocalQueue({
      name,
      url: `${endpoint}/000000000000/${name}`,
      arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      visibilityTimeoutMs: 1,
      maxMessageBytes: 1024,
      ...(redrive && { redrive }),
    });
    queues.set(name, created);
    return created;
  };
  dlq = local("ingest-dlq");
  queue = local("ingest", { deadLetterQueue: dlq, maxReceiveCount: 1 });
  const config = { endpoint, region: "us-east-1", credentials: LOCAL_CREDENTIALS };
  sqs = new SQSClient(config);
  dynamo = new DynamoDBClient(config);
});

afterAll(async () => {
  stop.abort();
  sqs.destroy();
  dynamo.destroy();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});

test("GetQueueUrl finds a queue by name; an unknown name is QueueDoesNotExist", async () => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "ingest" }));

  expect(QueueUrl).toBe(queue.settings.url);
  await expect(sqs.send(new GetQueueUrlCommand({ QueueName: "nope" }))).rejects.toMatchObject({
    name: "QueueDoesNotExist",
  });
});

test("a sent message is received with its body, attributes and receive count, and deleted", async () => {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queue.settings.url,
      MessageBody: '{"héllo":1}',
      MessageAttributes: { webhookId: { DataType: "String", StringValue: "wh_1" } },
    }),
  );
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.settings.url,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      MessageAttributeNames: ["All"],
    }),
  );
  await sqs.send(
    new DeleteMessageCommand({ QueueUrl: queue.settings.url, ReceiptHandle: Messages[0]!.ReceiptHandle }),
  );

  expect(Messages).toEqual([
    expect.objectContaining({
      Body: '{"héllo":1}',
      Attributes: { ApproximateReceiveCount: "1" },
      MessageAttributes: { webhookId: { DataType: "String", StringValue: "wh_1" } },
    }),
  ]);
  expect(queue.counts()).toEqual({ visible: 0, inFlight: 0 });
});

test("a batch is sent and deleted entry by entry; a stale receipt handle fails its entry only", async () => {
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queue.settings.url,
      Entries: [
        { Id: "a", MessageBody: "a" },
        { Id: "b", MessageBody: "b" },
      ],
    }),
  );
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queue.settings.url, MaxNumberOfMessages: 10 }),
  );
  const deleted = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queue.settings.url,
      Entries: [
        { Id: "0", ReceiptHandle: Messages[0]!.ReceiptHandle },
        { Id: "1", ReceiptHandle: Messages[1]!.ReceiptHandle },
        { Id: "2", ReceiptHandle: "stale" },
      ],
    }),
  );

  expect(Messages.map((message) => message.Body)).toEqual(["a", "b"]);
  expect(deleted.Successful).toEqual([{ Id: "0" }, { Id: "1" }]);
  expect(deleted.Failed).toEqual([expect.objectContaining({ Id: "2", Code: "ReceiptHandleIsInvalid" })]);
});

test("GetQueueAttributes reports the ARN, the counts and the redrive policy", async () => {
  queue.send("waiting");
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.settings.url,
      AttributeNames: [
        "QueueArn",
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "RedrivePolicy",
      ],
    }),
  );
  for (const message of queue.receiveNow(10)) queue.delete(message.receiptHandle);

  expect(Attributes).toEqual({
    QueueArn: queue.settings.arn,
    ApproximateNumberOfMessages: "1",
    ApproximateNumberOfMessagesNotVisible: "0",
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.settings.arn, maxReceiveCount: 1 }),
  });
});

test("a message move task brings dead letters back and is listed with its counts", async () => {
  queue.send("dead");
  queue.receiveNow(1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  queue.receiveNow(1);

  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.settings.arn }));
  const { Results } = await sqs.send(
    new ListMessageMoveTasksCommand({ SourceArn: dlq.settings.arn, MaxResults: 1 }),
  );

  expect(TaskHandle).toEqual(expect.any(String));
  expect(Results).toEqual([
    expect.objectContaining({
      Status: "COMPLETED",
      SourceArn: dlq.settings.arn,
      ApproximateNumberOfMessagesMoved: 1,
      ApproximateNumberOfMessagesToMove: 1,
    }),
  ]);
  expect(queue.receiveNow(10).map((message) => message.body)).toEqual(["dead"]);
});

test("an SQS operation outside the subset is refused by name", async () => {
  await expect(sqs.send(new PurgeQueueCommand({ QueueUrl: queue.settings.url }))).rejects.toMatchObject({
    name: "UnsupportedOperation",
    message: expect.stringContaining("(got AmazonSQS.PurgeQueue)"),
  });
});

test("DynamoDB requests are answered by dynalite", async () => {
  await dynamo.send(new CreateTableCommand(recordsTableDefinition("records")));

  expect((await dynamo.send(new ListTablesCommand({}))).TableNames).toEqual(["records"]);
});
