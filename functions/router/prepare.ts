import { createHash } from "node:crypto";
import {
  type Envelope,
  inlinePayloadProblem,
  JSON_MEDIA_TYPE,
  type PayloadReference,
  parsePayload,
} from "@webhooks/shared";
import type { RouterConfig } from "./config";
import { busEntry, entryFieldProblem, entrySize, type PayloadRef } from "./entry";
import { describeError, type Failure, FailureReason } from "./failure";
import type { BlobStore, BusEntry } from "./ports";

/**
 * Where the router claim-checks an inline payload: beside the validator's raw-bytes object
 * (`payloads/<provider>/<yyyy>/<mm>/<dd>/<webhookId>`, the prefix PayloadBucket's lifecycle and
 * grants cover), with `.json` because it holds the parsed payload re-serialized. One object per
 * webhook, so a retry overwrites it.
 *
 * @example routerClaimCheckKey(envelope) // "payloads/stripe/2026/11/23/wh_….json"
 */
export function routerClaimCheckKey(envelope: Envelope): string {
  const day = envelope.receivedAt.slice(0, 10).replaceAll("-", "/");
  return `payloads/${envelope.provider}/${day}/${envelope.webhookId}.json`;
}

export type Prepared =
  | {
      readonly ok: true;
      readonly entry: BusEntry;
      readonly size: number;
      /** How the payload travels: inline, by the validator's reference, or by one the router wrote. */
      readonly payload: "inline" | "reference" | "routerClaimCheck";
    }
  | ({ readonly ok: false } & Failure);

/**
 * Builds the bus entry for an envelope: the payload inline when the entry fits the budget and the
 * bus can carry the payload unchanged (see `inlinePayloadProblem`: the validator sends such payloads
 * by reference already), otherwise a `payloadRef`: the validator's claim check, or, for an inline
 * payload, an object the router writes to the payload bucket. Retrying cannot shrink an entry, so
 * an oversize entry is claim-checked rather than reported; only a by-reference entry that is still
 * over the budget fails (impossible with a budget of at least `REFERENCE_ENTRY_MAX_BYTES`).
 */
export async function prepareEntry(
  envelope: Envelope,
  blobs: BlobStore,
  config: RouterConfig,
  signal: AbortSignal,
): Promise<Prepared> {
  const fieldProblem = entryFieldProblem(busEntry(envelope, { data: null }, config));
  if (fieldProblem) return failed(FailureReason.invalidEntry, fieldProblem);

  const payload = envelope.payload;
  let data: unknown;
  if (payload.kind === "inline") {
    data = payload.data;
  } else {
    const loaded = await loadReference(payload.ref, envelope.contentType, blobs, config, signal);
    if (!loaded.ok) return loaded;
    data = loaded.data;
  }

  if (inlinePayloadProblem(data) === undefined) {
    const inline = busEntry(envelope, { data }, config);
    const inlineSize = entrySize(inline);
    if (inlineSize <= config.entryMaxBytes) {
      return { ok: true, entry: inline, size: inlineSize, payload: "inline" };
    }
  }

  let payloadRef: PayloadRef;
  if (payload.kind === "reference") {
    payloadRef = { ...payload.ref, contentType: envelope.contentType };
  } else {
    try {
      payloadRef = await claimCheck(routerClaimCheckKey(envelope), data, blobs, config.payloadBucket);
    } catch (error) {
      return failed(FailureReason.claimCheckFailed, describeError(error));
    }
  }
  const byReference = busEntry(envelope, { payloadRef }, config);
  const size = entrySize(byReference);
  if (size > config.entryMaxBytes) {
    return failed(
      FailureReason.entryTooLarge,
      `entry is ${size} bytes by reference, budget ${config.entryMaxBytes}`,
    );
  }
  return {
    ok: true,
    entry: byReference,
    size,
    payload: payload.kind === "reference" ? "reference" : "routerClaimCheck",
  };
}

async function loadReference(
  ref: PayloadReference,
  contentType: string,
  blobs: BlobStore,
  config: RouterConfig,
  signal: AbortSignal,
): Promise<{ readonly ok: true; readonly data: unknown } | ({ readonly ok: false } & Failure)> {
  // The envelope names the object; reading only from our own bucket keeps the router from being
  // a confused deputy for whatever else its role can read.
  if (ref.bucket !== config.payloadBucket) {
    return failed(FailureReason.payloadRefRejected, `reference to bucket ${ref.bucket}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await blobs.get(ref.bucket, ref.key, signal);
  } catch (error) {
    return failed(FailureReason.payloadUnavailable, describeError(error));
  }
  // The validator verified the signature over these bytes; the digest binds the object to that check.
  if (bytes.byteLength !== ref.size || sha256Hex(bytes) !== ref.sha256) {
    return failed(FailureReason.payloadDigestMismatch, `object ${ref.key} does not match its size or sha256`);
  }
  const parsed = parsePayload(bytes, contentType);
  if (!parsed.ok) return failed(FailureReason.payloadUnparseable, parsed.reason);
  return { ok: true, data: parsed.data };
}

async function claimCheck(key: string, data: unknown, blobs: BlobStore, bucket: string): Promise<PayloadRef> {
  const bytes = Buffer.from(JSON.stringify(data), "utf8");
  await blobs.put(bucket, key, bytes, JSON_MEDIA_TYPE);
  return { bucket, key, sha256: sha256Hex(bytes), size: bytes.byteLength, contentType: JSON_MEDIA_TYPE };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function failed(reason: FailureReason, detail: string): { readonly ok: false } & Failure {
  return { ok: false, reason, detail };
}
