import { timingSafeEqual } from "node:crypto";
import { bodyData, bytesOf, fail, isRecord, mismatch, noSecrets, singleSecret, valueAt } from "../common";
import type { SchemeCore } from "../engine/core";
import { signatureShape } from "../engine/encoding";
import { macOf } from "../engine/hmac";
import { secretDecoder } from "../engine/secret";
import type { ParseResult, SignedContent, SignInput, VerifyResult } from "../types";

const SHAPE = signatureShape("base64", 32);
/** Items one request may carry: bounds the work a request can cause. */
const MAX_ITEMS = 100;
/** The fields of a notification item, in the order Adyen signs them (joined by `:`, missing as empty). */
const SIGNED_FIELDS = [
  "pspReference",
  "originalReference",
  "merchantAccountCode",
  "merchantReference",
  "amount.value",
  "amount.currency",
  "eventCode",
  "success",
] as const;

interface AdyenSigned extends SignedContent {
  /** Per item: the signed string and its signature. */
  readonly items: readonly { readonly text: string; readonly signature: Buffer }[];
}

/**
 * Adyen's standard webhooks: every notification item carries its own signature,
 * `additionalData.hmacSignature`, base64 HMAC-SHA256 (key: the hex-decoded HMAC key) of its
 * fields joined by `:`. Nothing is escaped (escaping belongs to the payment-page variant). Every
 * item must verify; an item without `amount` is refused before any MAC.
 */
export function adyenModule(): SchemeCore {
  const keyOf = secretDecoder({ decode: "hex", minBytes: 16, maxBytes: 64 });
  return {
    family: "code",
    headers: () => [],
    requiredHeader: () => undefined,
    secretHeaders: () => [],
    key: keyOf,
    parse(request): ParseResult {
      const items = itemsOf(bodyData(request.body));
      if (typeof items === "string") return fail("malformed_header", items);
      const signed: { text: string; signature: Buffer }[] = [];
      for (const [index, item] of items.entries()) {
        const at = `notification item #${index + 1}`;
        const value = valueAt(item, "additionalData.hmacSignature");
        if (value === undefined)
          return fail("missing_header", `${at}: additionalData.hmacSignature is missing`);
        const signature = typeof value === "string" ? SHAPE.decode(value) : undefined;
        if (!signature) return fail("malformed_header", `${at}: additionalData.hmacSignature ${SHAPE.rule}`);
        if (!isRecord(item.amount)) return fail("malformed_header", `${at} has no amount`);
        signed.push({ text: signedText(item), signature });
      }
      return { ok: true, signed: { header: "notificationItems", items: signed } as AdyenSigned };
    },
    check(signed: SignedContent, secrets: readonly string[]): VerifyResult {
      const { items } = signed as AdyenSigned;
      if (secrets.length === 0) return noSecrets();
      const keys = [];
      for (const [index, secret] of secrets.entries()) {
        const key = keyOf(secret);
        if (!key.ok) return fail("unusable_secret", `secret #${index + 1}: ${key.reason}`);
        keys.push(key.key);
      }
      let first = -1;
      for (const [index, item] of items.entries()) {
        const matched = keys.findIndex((key) =>
          timingSafeEqual(macOf("sha256", key, [item.text]), item.signature),
        );
        if (matched === -1) return mismatch(`notification item #${index + 1}`, 1, secrets.length);
        if (first === -1) first = matched;
      }
      return { ok: true, secretIndex: first };
    },
    sign() {
      throw new TypeError("Adyen signs inside each notification item: use signBody");
    },
    signBody(input: SignInput) {
      const secret = singleSecret(input.secrets, "notificationItems");
      const key = keyOf(secret);
      if (!key.ok) throw new TypeError(`unusable secret: ${key.reason}`);
      const data = structuredClone(bodyData(bytesOf(input.body))) as Record<string, unknown>;
      const items = itemsOf(data);
      if (typeof items === "string") throw new TypeError(items);
      for (const item of items) {
        const additional = isRecord(item.additionalData) ? item.additionalData : {};
        additional.hmacSignature = macOf("sha256", key.key, [signedText(item)]).toString("base64");
        item.additionalData = additional;
      }
      return { body: JSON.stringify(data), headers: {} };
    },
  };
}

function itemsOf(data: unknown): Record<string, unknown>[] | string {
  const items = valueAt(data, "notificationItems");
  if (!Array.isArray(items) || items.length === 0) return "body notificationItems is not a non-empty array";
  if (items.length > MAX_ITEMS) return `body notificationItems has more than ${MAX_ITEMS} items`;
  const out: Record<string, unknown>[] = [];
  for (const [index, entry] of items.entries()) {
    const item = valueAt(entry, "NotificationRequestItem");
    if (!isRecord(item)) return `notification item #${index + 1} has no NotificationRequestItem object`;
    out.push(item);
  }
  return out;
}

function signedText(item: Record<string, unknown>): string {
  return SIGNED_FIELDS.map((path) => {
    const value = valueAt(item, path);
    return value === undefined || value === null ? "" : String(value);
  }).join(":");
}
