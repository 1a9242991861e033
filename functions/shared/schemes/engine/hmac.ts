import { createHmac, type KeyObject, timingSafeEqual } from "node:crypto";
import {
  bodyData,
  bytesOf,
  fail,
  isFailure,
  isRecord,
  mismatch,
  noSecrets,
  singleSecret,
  valueAt,
} from "../common";
import type { KeyResult, SchemeOptions, SignInput, VerifyResult } from "../types";
import type { SchemeCore } from "./core";
import type { HmacAlgorithm, HmacDefinition, SignatureDefinition, TimestampDefinition } from "./definition";
import { DIGEST_BYTES, signatureShape } from "./encoding";
import type { HeaderNaming } from "./headers";
import { secretDecoder } from "./secret";
import {
  type CompiledSignedRequest,
  compileSignedRequest,
  layout,
  type ParsedSignatures,
  requestMembers,
} from "./signed-request";
import { formatTimestamp } from "./timestamp";

/**
 * The configurable HMAC family: K1–K7 compiled once per provider. `check` computes the MAC once
 * per secret and signed content and compares it with every candidate in constant time (each
 * candidate has the digest's length, checked in `parse`).
 */
export function compileHmac(definition: HmacDefinition, naming: HeaderNaming): SchemeCore {
  const { algorithm } = definition;
  const compiled = compileSignedRequest(
    definition,
    naming,
    signatureShape(definition.signature.encoding, DIGEST_BYTES[algorithm]),
  );
  const keyOf = secretDecoder(definition.secret);
  const mac = (key: KeyResult & { ok: true }, parts: readonly (string | Uint8Array)[]) =>
    macOf(algorithm, key.key, parts);

  return {
    family: "hmac",
    ...requestMembers(compiled),
    key: keyOf,
    check: (signed, secrets) => checkMacs(signed as ParsedSignatures, secrets, algorithm, keyOf),
    sign(input: SignInput, options?: SchemeOptions): Record<string, string> {
      if (definition.signature.bodyField !== undefined)
        throw new TypeError(`the signature goes in body ${definition.signature.bodyField}: use signBody`);
      const { headers, parts, text } = signedParts(compiled, definition.timestamp, input, options);
      const digest = (secret: string) => {
        const key = keyOf(secret);
        if (!key.ok) throw new TypeError(`unusable secret: ${key.reason}`);
        return mac(key, parts).toString(definition.signature.encoding);
      };
      return { ...headers, ...signatureHeaders(definition.signature, compiled, input.secrets, text, digest) };
    },
    signBody(input: SignInput, options?: SchemeOptions) {
      const path = definition.signature.bodyField;
      if (path === undefined) throw new TypeError("the signature goes in a header: use sign");
      const secret = singleSecret(input.secrets, `body ${path}`);
      const key = keyOf(secret);
      if (!key.ok) throw new TypeError(`unusable secret: ${key.reason}`);
      // The signed fields a body lacks are filled in: the timestamp from input.timestamp, any
      // other (Mailgun's token) from input.id.
      let data = bodyData(bytesOf(input.body));
      const { timestamp } = definition;
      if (timestamp?.bodyField !== undefined && valueAt(data, timestamp.bodyField) === undefined)
        data = withValue(data, timestamp.bodyField, formatTimestamp(input.timestamp, timestamp.format));
      for (const part of compiled.parts) {
        if (part.kind !== "json" || valueAt(data, part.path) !== undefined) continue;
        if (input.id === undefined)
          throw new TypeError(`the signature covers body ${part.path}: pass input.id`);
        data = withValue(data, part.path, input.id);
      }
      const filled = { ...input, body: JSON.stringify(data) };
      const { headers, parts } = signedParts(compiled, timestamp, filled, options);
      const digest = mac(key, parts).toString(definition.signature.encoding);
      return { body: JSON.stringify(withValue(data, path, digest)), headers };
    },
  };
}

/**
 * Computes the MAC once per secret and signed content and compares it with every candidate in
 * constant time; every candidate has the digest's length (checked when parsed), so
 * `timingSafeEqual` never sees unequal lengths. Code modules that sign with an HMAC reuse it.
 */
export function checkMacs(
  signed: ParsedSignatures,
  secrets: readonly string[],
  algorithm: HmacAlgorithm,
  keyOf: (secret: string) => KeyResult,
): VerifyResult {
  const { attempts, header, timestamp } = signed;
  if (secrets.length === 0) return noSecrets();
  for (let index = 0; index < secrets.length; index++) {
    const key = keyOf(secrets[index]!);
    if (!key.ok) return fail("unusable_secret", `secret #${index + 1}: ${key.reason}`);
    for (let at = 0; at < attempts.length; at++) {
      const { parts, signatures } = attempts[at]!;
      const expected = macOf(algorithm, key.key, parts);
      for (let candidate = 0; candidate < signatures.length; candidate++) {
        if (timingSafeEqual(expected, signatures[candidate]!))
          return timestamp === undefined
            ? { ok: true, secretIndex: index }
            : { ok: true, secretIndex: index, timestamp };
      }
    }
  }
  let candidates = 0;
  for (const attempt of attempts) candidates += attempt.signatures.length;
  return mismatch(header, candidates, secrets.length);
}

/** HMAC over the parts in order, without concatenating them. */
export function macOf(
  algorithm: HmacAlgorithm,
  key: string | KeyObject | Buffer,
  parts: readonly (string | Uint8Array)[],
): Buffer {
  const hmac = createHmac(algorithm, key);
  for (let index = 0; index < parts.length; index++) hmac.update(parts[index]!);
  return hmac.digest();
}

/** The headers a sender sets besides its signatures, and the signed bytes. */
function signedParts(
  compiled: CompiledSignedRequest,
  timestamp: TimestampDefinition | undefined,
  input: SignInput,
  options: SchemeOptions | undefined,
) {
  const body = bytesOf(input.body);
  const headers: Record<string, string> = {};
  const values = new Map<string, string>();
  if (compiled.templateHeaders.length > 0) {
    if (input.id === undefined) {
      const names = compiled.templateHeaders.map((ref) => ref.display).join(", ");
      throw new TypeError(`the signature covers ${names}: pass input.id`);
    }
    for (const ref of compiled.templateHeaders) {
      headers[ref.display] = input.id;
      values.set(ref.name, input.id);
    }
  }
  // A body field the template signs (Mailgun) reads the body being signed.
  const text = timestamp
    ? timestamp.bodyField !== undefined
      ? String(
          valueAt(bodyData(body), timestamp.bodyField) ?? formatTimestamp(input.timestamp, timestamp.format),
        )
      : formatTimestamp(input.timestamp, timestamp.format)
    : undefined;
  if (compiled.timestampHeader && text !== undefined) headers[compiled.timestampHeader.display] = text;
  for (const [ref, value] of compiled.fixedHeaders) headers[ref.display] = value;
  const parts = layout(
    compiled.parts,
    { headers: values, body, method: input.method ?? "POST" },
    text,
    values,
    options,
  );
  if (isFailure(parts)) throw new TypeError(parts.reason);
  return { headers, parts, text };
}

/** Each secret's signature where the sender puts it: one header, one per header, or a list. */
function signatureHeaders(
  signature: SignatureDefinition,
  compiled: CompiledSignedRequest,
  secrets: readonly string[],
  timestampText: string | undefined,
  digest: (secret: string) => string,
): Record<string, string> {
  const format = signature.format ?? { kind: "plain" };
  const refs = compiled.signatureRefs;
  if (format.kind === "plain") {
    const prefix = format.prefix ?? "";
    if (refs.length === 1)
      return { [refs[0]!.display]: `${prefix}${digest(singleSecret(secrets, refs[0]!.display))}` };
    if (secrets.length > refs.length)
      throw new RangeError(`at most ${refs.length} secrets, one per signature header`);
    return Object.fromEntries(
      secrets.map((secret, index) => [refs[index]!.display, `${prefix}${digest(secret)}`]),
    );
  }
  const display = refs[0]!.display;
  if (format.kind === "entries")
    return { [display]: secrets.map((secret) => `${format.version},${digest(secret)}`).join(" ") };
  const separator = format.trim ? `${format.separator} ` : format.separator;
  const ts = format.timestampField === undefined ? [] : [`${format.timestampField}=${timestampText}`];
  if (format.groupSeparator !== undefined) {
    const groups = secrets.map((secret) =>
      [...ts, `${format.signatureField}=${digest(secret)}`].join(separator),
    );
    return { [display]: groups.join(format.groupSeparator) };
  }
  return {
    [display]: [...ts, ...secrets.map((secret) => `${format.signatureField}=${digest(secret)}`)].join(
      separator,
    ),
  };
}

/** A copy of a JSON object with `value` at a dotted path (objects created on the way). */
function withValue(data: unknown, path: string, value: string): unknown {
  const root = isRecord(data) ? structuredClone(data) : {};
  const steps = path.split(".");
  let node: Record<string, unknown> = root;
  for (const step of steps.slice(0, -1)) {
    const child = node[step];
    const next: Record<string, unknown> = isRecord(child) ? child : {};
    node[step] = next;
    node = next;
  }
  node[steps.at(-1)!] = value;
  return root;
}
