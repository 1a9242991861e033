import type { S3Client } from "@aws-sdk/client-s3";
import type { BlobStore } from "../ports";

/** The S3 SDK module, required on the first claim check rather than at cold start (few entries need one). */
export const loadS3 = () => import("@aws-sdk/client-s3");

/**
 * The payload bucket; objects are encrypted by the bucket's default (SSE-KMS with the CMK).
 * `client` is asked for on the first read or write (see `lazily`).
 */
export function s3BlobStore(client: () => Promise<S3Client>): BlobStore {
  return {
    async get(bucket, key, signal) {
      const [{ GetObjectCommand }, s3] = await Promise.all([loadS3(), client()]);
      const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: signal,
      });
      if (!output.Body) throw new Error(`GetObject returned no body for ${key}`);
      return output.Body.transformToByteArray();
    },
    async put(bucket, key, bytes, contentType) {
      const [{ PutObjectCommand }, s3] = await Promise.all([loadS3(), client()]);
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }),
      );
    },
  };
}
