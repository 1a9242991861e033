import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { QueueMessage, QueuePort } from "../ports";

/**
 * The ingest queue. Attributes carry the webhook id and provider so consumers and redrive tools can
 * route without parsing the body. A FIFO queue (URL ending `.fifo`) gets one message group per
 * provider and the webhook id as deduplication id (SQS drops a resend within 5 minutes).
 *
 * @example await createSqsQueue(new SQSClient({}), queueUrl).send({ body, webhookId, provider })
 */
export function createSqsQueue(client: SQSClient, queueUrl: string): QueuePort {
  const fifo = queueUrl.endsWith(".fifo");
  return {
    async send(message: QueueMessage): Promise<void> {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: message.body,
          MessageAttributes: {
            webhookId: { DataType: "String", StringValue: message.webhookId },
            provider: { DataType: "String", StringValue: message.provider },
          },
          ...(fifo && { MessageGroupId: message.provider, MessageDeduplicationId: message.webhookId }),
        }),
      );
    },
  };
}
