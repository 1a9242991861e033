/**
 * A value made on first use and shared by every later call; a failed make is forgotten, so the
 * next call tries again. For SDK clients only a rare path needs (claim checks in S3): their module
 * is required when that path first runs, not at cold start.
 *
 * @example const s3 = lazily(async () => new (await import("@aws-sdk/client-s3")).S3Client({}));
 */
export function lazily<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}
