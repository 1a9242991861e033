import type { S3Client } from "@aws-sdk/client-s3";
import type { BlobObject, BlobsPort } from "../ports";

/** The S3 SDK module, required on the first claim check rather than at cold start (few bodies need one). */
export const loadS3 = () => import("@aws-sdk/client-s3");

/**
 * The payload bucket (claim check). Encryption is the bucket's default (SSE-KMS with the CMK); the
 * SHA-256 travels as `ChecksumSHA256`, so S3 refuses an upload whose bytes don't match it. `client`
 * is asked for on the first upload (see `lazily`).
 *
 * @example createS3Blobs(lazily(async () => new (await loadS3()).S3Client({})), bucket)
 */
export function createS3Blobs(client: () => Promise<S3Client>, bucket: string): BlobsPort {
  return {
    bucket,
    async put(object: BlobObject): Promise<void> {
      const [{ PutObjectCommand }, s3] = await Promise.all([loadS3(), client()]);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          Body: object.body,
          ContentType: object.contentType,
          ChecksumSHA256: Buffer.from(object.sha256, "hex").toString("base64"),
        }),
      );
    },
  };
}
