import { gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { PayloadArchive } from "../stack-model";

/** A delivery as the archive shows it: an event that reached the bus (so its record was ROUTED). */
export interface ArchivedDelivery {
  readonly receivedAt: string;
  readonly status: "ROUTED";
  readonly webhookId: string;
  readonly provider: string;
  readonly deliveryId: string;
  readonly eventType: string;
}

/** `<prefix><yyyy>/<MM>/<dd>/` for a UTC day. */
export function archiveDayPrefix(archive: PayloadArchive, day: string): string {
  return `${archive.prefix}${day.replaceAll("-", "/")}/`;
}

/** The UTC day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * A provider's deliveries received on a UTC day, read from the Firehose archive of the bus: every
 * object of that day and of the next (an object is dated by its arrival at Firehose, which follows
 * receipt; a delivery routed more than a day late is not found). Each object is GZIP with one bus
 * event a line; an event put twice counts once. Oldest first, at most `limit`.
 *
 * @example await listArchivedDeliveries(s3, { bucket, prefix: "archive/" }, "stripe", "2025-01-31", 50)
 */
export async function listArchivedDeliveries(
  s3: S3Client,
  archive: PayloadArchive,
  provider: string,
  day: string,
  limit: number,
): Promise<{ deliveries: ArchivedDelivery[]; objectsRead: number }> {
  const byId = new Map<string, ArchivedDelivery>();
  let objectsRead = 0;
  for (const prefix of [archiveDayPrefix(archive, day), archiveDayPrefix(archive, nextDay(day))]) {
    for (const key of await listKeys(s3, archive.bucket, prefix)) {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: archive.bucket, Key: key }));
      if (!Body) continue;
      objectsRead += 1;
      const text = gunzipSync(await Body.transformToByteArray()).toString("utf8");
      for (const line of text.split("\n")) {
        const delivery = deliveryOf(line);
        if (delivery?.provider !== provider || !delivery.receivedAt.startsWith(day)) continue;
        if (!byId.has(delivery.webhookId)) byId.set(delivery.webhookId, delivery);
      }
    }
  }
  const deliveries = [...byId.values()]
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
    .slice(0, limit);
  return { deliveries, objectsRead };
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** The delivery an archived bus event describes (its `detail`), or undefined for a line that is none. */
function deliveryOf(line: string): ArchivedDelivery | undefined {
  if (line.trim() === "") return undefined;
  let event: { detail?: Record<string, unknown> };
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  const detail = event.detail ?? {};
  const fields = ["webhookId", "provider", "deliveryId", "eventType", "receivedAt"] as const;
  if (!fields.every((field) => typeof detail[field] === "string")) return undefined;
  return {
    receivedAt: detail.receivedAt as string,
    status: "ROUTED",
    webhookId: detail.webhookId as string,
    provider: detail.provider as string,
    deliveryId: detail.deliveryId as string,
    eventType: detail.eventType as string,
  };
}
