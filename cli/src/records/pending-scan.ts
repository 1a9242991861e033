import { type AttributeValue, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { RecordAttribute as A, RecordStatus } from "@webhooks/shared";

/** Parallel scan segments: a table of a few GB is read in minutes, not tens of them. */
export const SCAN_SEGMENTS = 4;

export interface PendingScan {
  /** First UTC day (YYYY-MM-DD) of the window: records received that day or later. */
  readonly fromDay: string;
  /** Only this UTC day, when set. */
  readonly onlyDay?: string;
  /** Epoch seconds: a record whose TTL has passed is gone, whatever TTL's lazy deletion left. */
  readonly nowSeconds: number;
  readonly limit: number;
}

/**
 * Deliveries not yet ROUTED (RECEIVED or QUEUED) received in a window of days, oldest first, at
 * most `limit`: a filtered Scan of the whole table (no index serves it, so a webhook writes none).
 * It reads every item, eventually consistent: half a read unit per 4 KB.
 *
 * @example await scanPending(client, "whk-prod-records", { fromDay: "2025-01-25", nowSeconds, limit: 50 })
 */
export async function scanPending(
  client: DynamoDBClient,
  tableName: string,
  scan: PendingScan,
): Promise<{ records: Record<string, unknown>[]; scannedItems: number }> {
  const range: { expression: string; values: Record<string, AttributeValue> } = scan.onlyDay
    ? { expression: "begins_with(#receivedAt, :day)", values: { ":day": { S: scan.onlyDay } } }
    : { expression: "#receivedAt >= :from", values: { ":from": { S: scan.fromDay } } };
  let scannedItems = 0;
  const segments = await Promise.all(
    Array.from({ length: SCAN_SEGMENTS }, async (_, segment) => {
      const found: Record<string, unknown>[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: SCAN_SEGMENTS,
            FilterExpression: `#status <> :routed AND #expiresAt >= :now AND ${range.expression}`,
            ExpressionAttributeNames: {
              "#status": A.status,
              "#expiresAt": A.expiresAt,
              "#receivedAt": A.receivedAt,
            },
            ExpressionAttributeValues: {
              ":routed": { S: RecordStatus.Routed },
              ":now": { N: String(scan.nowSeconds) },
              ...range.values,
            },
            ExclusiveStartKey: start,
          }),
        );
        scannedItems += page.ScannedCount ?? 0;
        for (const item of page.Items ?? []) found.push(unmarshall(item));
        start = page.LastEvaluatedKey;
      } while (start);
      return found;
    }),
  );
  const records = segments
    .flat()
    .sort((a, b) => String(a[A.receivedAt]).localeCompare(String(b[A.receivedAt])))
    .slice(0, scan.limit);
  return { records, scannedItems };
}
