import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { BlobObject, BlobsPort } from "../ports";

/**
 * The payload bucket (claim check). Encryption is the bucket's default (SSE-KMS with the CMK); the
 * SHA-256 travels as `ChecksumSHA256`, so S3 refuses an upload whose bytes don't match it.
 *
 * @example await createS3Blobs(new S3Client({}), bucket).put({ key, body, contentType, sha256 })
 */
export function createS3Blobs(client: S3Client, bucket: string): BlobsPort {
  return {
    bucket,
    async put(object: BlobObject): Promise<void> {
      await client.send(
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
