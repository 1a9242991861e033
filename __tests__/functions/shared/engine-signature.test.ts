import { createHmac } from "node:crypto";
import { headersFrom, type VerifyResult } from "@webhooks/shared";
import { compilePreset } from "../../../functions/shared/schemes/engine/compile";
import type { HmacPreset } from "../../../functions/shared/schemes/engine/definition";
import { parseTemplate } from "../../../functions/shared/schemes/engine/template";

const NOW = 1_700_000_000;
const TS = NOW - 10;
const KEY = "k3y";
const BODY = '{"a":"é"}';
const hex = (data: string, key: string | Buffer = KEY, algorithm = "sha256") =>
  createHmac(algorithm, key).update(data).digest("hex");
const b64 = (data: string, key: string | Buffer = KEY) =>
  createHmac("sha256", key).update(data).digest("base64");

/** A test sender built from knobs; the rest is neutral. */
function sender(knobs: Partial<HmacPreset>) {
  return compilePreset("test", {
    family: "hmac",
    name: "test",
    algorithm: "sha256",
    signature: { header: "X-Sig", encoding: "hex" },
    signedContent: "{body}",
    identity: { deliveryId: [], deliveryIdFallback: "none", eventType: [], eventTypeFallback: "unknown" },
    dedupe: { ttlHours: 24 },
    secretNote: "a test secret",
    ...knobs,
  });
}

function check(
  knobs: Partial<HmacPreset>,
  headers: Record<string, string>,
  options: { body?: string; secrets?: string[]; method?: string; publicUrl?: string } = {},
): VerifyResult {
  const request = {
    headers: headersFrom(headers),
    body: Buffer.from(options.body ?? BODY),
    ...(options.method ? { method: options.method } : {}),
  };
  return sender(knobs).verify(request, options.secrets ?? [KEY], NOW, {
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
}

describe("K1: the hash", () => {
  test.each(["sha1", "sha256", "sha512"] as const)("%s over the raw body", (algorithm) => {
    expect(check({ algorithm }, { "X-Sig": hex(BODY, KEY, algorithm) }).ok).toBe(true);
  });
});

describe("K2: where the signature is", () => {
  test("one header, matched without regard to case", () => {
    expect(check({}, { "x-SIG": hex(BODY) }).ok).toBe(true);
  });

  test("several headers: any one may carry the matching signature (Box)", () => {
    const knobs = { signature: { headers: ["X-Primary", "X-Secondary"], encoding: "hex" } } as const;
    expect(check(knobs, { "X-Primary": hex(BODY, "old"), "X-Secondary": hex(BODY) }).ok).toBe(true);
    expect(check(knobs, { "X-Secondary": hex(BODY) }).ok).toBe(true);
    expect(check(knobs, {})).toMatchObject({
      code: "missing_header",
      reason: "X-Primary or X-Secondary is missing",
    });
  });

  test("numbered headers up to a count (DocuSign)", () => {
    const knobs = { signature: { headerPattern: "X-Sig-{n}", headerCount: 3, encoding: "hex" } } as const;
    expect(check(knobs, { "X-Sig-1": hex(BODY, "a"), "X-Sig-3": hex(BODY) }).ok).toBe(true);
    expect(check(knobs, { "X-Sig-4": hex(BODY) })).toMatchObject({
      code: "missing_header",
      reason: "X-Sig-1 is missing",
    });
  });

  test("a body field (Mailgun), signing other body fields", () => {
    const knobs = {
      signature: { bodyField: "sig.value", encoding: "hex" },
      signedContent: "{json:sig.nonce}",
      gatewayHeader: null,
    } as const;
    const body = JSON.stringify({ sig: { nonce: "n-1", value: hex("n-1") } });
    expect(check(knobs, {}, { body }).ok).toBe(true);
    expect(check(knobs, {}, { body: '{"sig":{"nonce":"n-1"}}' })).toMatchObject({
      code: "missing_header",
      reason: "body sig.value is missing",
    });
  });

  test("headers that must hold fixed values before any signature is computed (Box)", () => {
    const knobs = {
      signature: { header: "X-Sig", encoding: "hex", requireHeaders: { "X-Sig-Version": "1" } },
    } as const;
    expect(check(knobs, { "X-Sig": hex(BODY), "X-Sig-Version": "1" }).ok).toBe(true);
    expect(check(knobs, { "X-Sig": hex(BODY), "X-Sig-Version": "2" })).toMatchObject({
      code: "malformed_header",
      reason: "X-Sig-Version is not 1",
    });
  });

  test("an optional header prefix: the same header arrives with or without it (Shopify)", () => {
    expect(check({ optionalHeaderPrefix: "X-" }, { sig: hex(BODY) }).ok).toBe(true);
  });
});

describe("K3: how the value reads", () => {
  test.each([
    ["a fixed prefix", { kind: "plain", prefix: "sha256=" }, `sha256=${hex(BODY)}`, true],
    [
      "a missing prefix",
      { kind: "plain", prefix: "sha256=" },
      hex(BODY),
      "X-Sig does not start with sha256=",
    ],
    [
      "elements with ';' (Paddle)",
      { kind: "elements", separator: ";", signatureField: "h1" },
      `x=1;h1=${hex("other")};h1=${hex(BODY)}`,
      true,
    ],
    [
      "elements with spaces around them, trimmed (WorkOS)",
      { kind: "elements", separator: ",", signatureField: "v1", trim: true },
      `a=1, v1=${hex(BODY)} `,
      true,
    ],
    [
      "a strict list refusing unknown elements",
      { kind: "elements", separator: ",", signatureField: "v1", strict: true },
      `v1=${hex(BODY)},v0=x`,
      "X-Sig: element #2 is not v1=",
    ],
    [
      "entries of one version among others (Standard Webhooks)",
      { kind: "entries", version: "v1" },
      `v1a,xyz v1,${hex(BODY)}`,
      true,
    ],
    [
      "entries without the version",
      { kind: "entries", version: "v1" },
      `v2,${hex(BODY)}`,
      "X-Sig: no v1 signature",
    ],
  ] as const)("%s", (_case, format, value, expected) => {
    const result = check({ signature: { header: "X-Sig", encoding: "hex", format } }, { "X-Sig": value });
    expect(result.ok ? true : result.reason).toBe(expected);
  });

  test("candidates beyond the cap are refused before any MAC is computed", () => {
    const format = { kind: "elements", separator: ",", signatureField: "v1" } as const;
    const value = Array(3)
      .fill(`v1=${hex(BODY)}`)
      .join(",");
    expect(
      check(
        { signature: { header: "X-Sig", encoding: "hex", format, maxSignatures: 2 } },
        { "X-Sig": value },
      ),
    ).toEqual({
      ok: false,
      code: "malformed_header",
      reason: "X-Sig: more than 2 v1 signatures",
    });
  });

  test("groups, each with its own timestamp (Persona's rotation)", () => {
    const format = {
      kind: "elements",
      separator: ",",
      signatureField: "v1",
      timestampField: "t",
      groupSeparator: " ",
    } as const;
    const knobs = {
      signature: { header: "X-Sig", encoding: "hex", format },
      signedContent: "{timestamp}.{body}",
      timestamp: { format: "unix-s" },
    } as const;
    const value = `t=${TS - 1},v1=${hex(`${TS - 1}.${BODY}`, "old")} t=${TS},v1=${hex(`${TS}.${BODY}`)}`;
    expect(check(knobs, { "X-Sig": value })).toMatchObject({ ok: true, timestamp: TS - 1 });
  });
});

describe("K5: the signed content", () => {
  test.each([
    ["{timestamp}.{body}", `${TS}.${BODY}`],
    ["v0:{timestamp}:{body}", `v0:${TS}:${BODY}`],
    ["{body}{timestamp}", `${BODY}${TS}`],
    ["{method}{url}{body}{timestamp}", `PUT https://h.example/p?q=1 ${BODY}${TS}`.replaceAll(" ", "")],
    ["{header:X-Id}.{timestamp}.{body}", `msg_1.${TS}.${BODY}`],
  ])("%s", (template, signed) => {
    const knobs = { signedContent: template, timestamp: { header: "X-Ts", format: "unix-s" } } as const;
    const headers = { "X-Sig": hex(signed), "X-Ts": String(TS), "X-Id": "msg_1" };
    expect(check(knobs, headers, { method: "PUT", publicUrl: "https://h.example/p?q=1" }).ok).toBe(true);
  });

  test("a header the template signs may not contain the separator that follows it", () => {
    const knobs = { signedContent: "{header:X-Id}.{body}" } as const;
    expect(check(knobs, { "X-Sig": hex(`a.b.${BODY}`), "X-Id": "a.b" })).toEqual({
      ok: false,
      code: "malformed_header",
      reason: 'X-Id is not 1-256 printable ASCII characters without "."',
    });
  });

  test("a sender signing its URL without a configured publicUrl is our misconfiguration, not the sender's", () => {
    expect(check({ signedContent: "{url}{body}" }, { "X-Sig": hex(BODY) })).toEqual({
      ok: false,
      code: "unusable_secret",
      reason: "no publicUrl is configured, and this sender signs the URL it calls",
    });
  });

  test.each([
    [
      "{bodyy}",
      "{bodyy} is not a placeholder ({body}, {timestamp}, {method}, {url}, {header:Name}, {json:path})",
    ],
    [
      "{header:}",
      "{header:} is not a placeholder ({body}, {timestamp}, {method}, {url}, {header:Name}, {json:path})",
    ],
    ["a}b{body}", "a}b{body} has an unmatched { or }"],
    ["", "the template is empty"],
  ])("template %j is refused: %s", (template, problem) => {
    expect(parseTemplate(template)).toBe(problem);
  });
});

describe("K6: where the timestamp is", () => {
  test.each([
    ["a header", { header: "X-Ts", format: "unix-s" }, { "X-Ts": String(TS) }, undefined],
    ["a signature field", { format: "unix-s" }, {}, "t"],
  ] as const)("%s", (_case, timestamp, extra, field) => {
    const format = field
      ? ({ kind: "elements", separator: ",", signatureField: "v1", timestampField: field } as const)
      : ({ kind: "plain" } as const);
    const value = field ? `t=${TS},v1=${hex(`${TS}.${BODY}`)}` : hex(`${TS}.${BODY}`);
    const knobs = {
      signature: { header: "X-Sig", encoding: "hex", format },
      signedContent: "{timestamp}.{body}",
      timestamp,
    } as const;
    expect(check(knobs, { "X-Sig": value, ...extra })).toMatchObject({ ok: true, timestamp: TS });
  });

  test("a body field, not signed (Linear)", () => {
    const body = `{"webhookTimestamp":${TS * 1000}}`;
    const knobs = {
      timestamp: { bodyField: "webhookTimestamp", format: "unix-ms", toleranceSeconds: 60 },
    } as const;
    expect(check(knobs, { "X-Sig": hex(body) }, { body })).toMatchObject({ ok: true, timestamp: TS });
  });
});

describe("K7: the secret", () => {
  test.each([
    ["utf8: the string itself", undefined, KEY, KEY, true],
    [
      "base64 after a prefix",
      { decode: "base64", prefix: "whsec_" },
      "whsec_AAECAw==",
      Buffer.from([0, 1, 2, 3]),
      true,
    ],
    [
      "base64 without the optional prefix",
      { decode: "base64", prefix: "whsec_" },
      "AAECAw==",
      Buffer.from([0, 1, 2, 3]),
      true,
    ],
    ["hex", { decode: "hex" }, "00010203", Buffer.from([0, 1, 2, 3]), true],
  ] as const)("%s", (_case, secret, stored, key, ok) => {
    const result = check(
      { ...(secret ? { secret } : {}) },
      { "X-Sig": hex(BODY, key) },
      { secrets: [stored] },
    );
    expect(result.ok).toBe(ok);
  });

  test.each([
    [
      "not base64",
      { decode: "base64", prefix: "whsec_" },
      "whsec_!!",
      "secret #1: not whsec_ followed by base64",
    ],
    ["too short", { decode: "base64", minBytes: 24 }, "AAECAw==", "secret #1: key is 4 bytes, not 24-1024"],
    ["odd hex", { decode: "hex" }, "abc", "secret #1: not hex"],
  ] as const)("a secret that is %s is unusable, not a mismatch", (_case, secret, stored, reason) => {
    expect(check({ secret }, { "X-Sig": hex(BODY) }, { secrets: [stored] })).toEqual({
      ok: false,
      code: "unusable_secret",
      reason,
    });
  });
});

test("every secret is tried against every candidate; the mismatch says how many of each", () => {
  const format = { kind: "elements", separator: ",", signatureField: "v1" } as const;
  const value = `v1=${hex(BODY, "a")},v1=${hex(BODY, "b")}`;
  const knobs = { signature: { header: "X-Sig", encoding: "hex", format } } as const;
  expect(check(knobs, { "X-Sig": value }, { secrets: ["x", "y", "b"] })).toMatchObject({
    ok: true,
    secretIndex: 2,
  });
  expect(check(knobs, { "X-Sig": value }, { secrets: ["x", "y"] })).toEqual({
    ok: false,
    code: "signature_mismatch",
    reason: "X-Sig: none of the 2 signatures matches any of the 2 active secrets",
  });
});

test("base64 signatures use the same knobs", () => {
  expect(check({ signature: { header: "X-Sig", encoding: "base64" } }, { "X-Sig": b64(BODY) }).ok).toBe(true);
});
