import { createHash } from "node:crypto";
import type { BlobStore } from "../../../functions/router/ports";
import type { BlobsPort } from "../../../functions/validator/ports";

/**
 * The payload bucket in memory, as both functions see it: the validator's claim checks (refused,
 * like S3 refuses them, when the body does not match its SHA-256) and the router's reads and writes.
 */
export function localPayloadBucket(bucket: string): { validator: BlobsPort; router: BlobStore } {
  const objects = new Map<string, Uint8Array>();
  const keyOf = (name: string, key: string) => `${name}/${key}`;
  return {
    validator: {
      bucket,
      async put(object) {
        const actual = createHash("sha256").update(object.body).digest("hex");
        if (actual !== object.sha256) throw new Error(`BadDigest: ${object.key} does not match its SHA-256`);
        objects.set(keyOf(bucket, object.key), new Uint8Array(object.body));
      },
    },
    router: {
      async get(name, key) {
        const body = objects.get(keyOf(name, key));
        if (!body) throw Object.assign(new Error(`NoSuchKey: ${name}/${key}`), { name: "NoSuchKey" });
        return new Uint8Array(body);
      },
      async put(name, key, bytes) {
        objects.set(keyOf(name, key), new Uint8Array(bytes));
      },
    },
  };
}
