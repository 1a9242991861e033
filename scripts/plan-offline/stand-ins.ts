/**
 * Data sources an offline plan cannot read, and the literals that stand in for their attributes:
 * `archive_file` needs the archive provider (not mirrored) and the assets, `aws_caller_identity`
 * calls STS, and `aws_partition` goes with it, so every ARN built from the two plans as a literal.
 */
import { createHash } from "node:crypto";
import type { Attributes } from "../../cli/src/inventory/document";

export const OFFLINE_ACCOUNT_ID = "123456789012";
export const OFFLINE_PARTITION = "aws";

/** Digests of an empty file: the plan needs well-formed values, never the real archive's. */
const emptyFileDigest = (algorithm: string, encoding: "hex" | "base64") =>
  createHash(algorithm).update("").digest(encoding);

/** Each data source type's attributes as literals, from the data source's own arguments and id. */
export const STAND_INS: Readonly<
  Record<string, (attrs: Attributes, id: string) => Readonly<Record<string, string>>>
> = {
  archive_file: (attrs, id) => ({
    output_path: isLiteral(attrs.output_path) ? attrs.output_path : `dist/${id}.zip`,
    output_base64sha256: emptyFileDigest("sha256", "base64"),
    output_sha256: emptyFileDigest("sha256", "hex"),
    output_base64sha512: emptyFileDigest("sha512", "base64"),
    output_sha512: emptyFileDigest("sha512", "hex"),
    output_md5: emptyFileDigest("md5", "hex"),
    output_sha: emptyFileDigest("sha1", "hex"),
    id: emptyFileDigest("sha1", "hex"),
    output_size: "0",
  }),
  aws_caller_identity: () => ({
    account_id: OFFLINE_ACCOUNT_ID,
    id: OFFLINE_ACCOUNT_ID,
    arn: `arn:${OFFLINE_PARTITION}:iam::${OFFLINE_ACCOUNT_ID}:user/plan-offline`,
    user_id: "AIDAPLANOFFLINE000000",
  }),
  aws_partition: () => ({
    partition: OFFLINE_PARTITION,
    id: OFFLINE_PARTITION,
    dns_suffix: "amazonaws.com",
    reverse_dns_prefix: "com.amazonaws",
  }),
};

/** Providers that only serve stood-in data sources: dropped with them. */
export const STOOD_IN_PROVIDERS: ReadonlySet<string> = new Set(["archive"]);

function isLiteral(value: unknown): value is string {
  return typeof value === "string" && !value.includes("${");
}
