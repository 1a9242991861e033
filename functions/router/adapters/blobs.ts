import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { BlobStore } from "../ports";

/** The payload bucket; objects are encrypted by the bucket's default (SSE-KMS with the CMK). */
export function s3BlobStore(client: S3Client): BlobStore {
  return {
    async get(bucket, key, signal) {
      const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: signal,
      });
      if (!output.Body) throw new Error(`GetObject returned no body for ${key}`);
      return output.Body.transformToByteArray();
    },
    async put(bucket, key, bytes, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }),
      );
    },
  };
}
