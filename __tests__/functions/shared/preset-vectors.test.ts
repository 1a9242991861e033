import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { headersFrom, PRESET_IDS, presetById, type SchemeRequest } from "@webhooks/shared";
import { changeCharAt } from "./support/conformance";
import { NOW, VECTORS, type Vector } from "./support/independent-signers";

const requestOf = (vector: Vector, body = vector.body, headers = vector.headers): SchemeRequest => ({
  headers: headersFrom(headers),
  body: Buffer.from(body),
  ...(vector.method === undefined ? {} : { method: vector.method }),
});
const verify = (vector: Vector, request: SchemeRequest, now = vector.now ?? NOW, secrets = [vector.secret]) =>
  presetById(vector.preset).verify(request, secrets, now, vector.options);
const parsedData = (body: string) => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return Object.fromEntries(new URLSearchParams(body));
  }
};

test("every preset has at least one vector signed by its documented algorithm", () => {
  expect(PRESET_IDS.filter((id) => !VECTORS.some((vector) => vector.preset === id))).toEqual([]);
});

describe.each(VECTORS.map((vector) => [vector.name, vector] as const))("%s", (_name, vector) => {
  test("the engine accepts the sender's signature", () => {
    expect(verify(vector, requestOf(vector))).toMatchObject({ ok: true, secretIndex: 0 });
  });

  // Plaid's stored secret is the API credentials that fetch its key, not a key: any of them works.
  const secretSigns = vector.preset !== "plaid";

  if (secretSigns) {
    test("names the secret that matched among several active ones", () => {
      expect(
        verify(vector, requestOf(vector), undefined, [otherSecret(vector), vector.secret]),
      ).toMatchObject({
        ok: true,
        secretIndex: 1,
      });
    });

    test("a secret the sender does not use is a signature mismatch", () => {
      expect(verify(vector, requestOf(vector), undefined, [otherSecret(vector)])).toMatchObject({
        ok: false,
        code: "signature_mismatch",
      });
    });
  }

  if (vector.tamperedBody !== null) {
    test("a changed body is a signature mismatch", () => {
      const tampered = vector.tamperedBody ?? `${vector.body} `;
      expect(verify(vector, requestOf(vector, tampered))).toMatchObject({
        ok: false,
        code: "signature_mismatch",
      });
    });
  }

  if (vector.signatureHeader !== undefined) {
    const header = vector.signatureHeader;
    test(`a changed ${header} fails, naming it`, () => {
      const value = vector.headers[header]!;
      // The last character of the value: inside the signature for every format.
      const changed = { ...vector.headers, [header]: changeCharAt(value, value.length - 2) };
      const result = verify(vector, requestOf(vector, vector.body, changed));
      expect(result.ok).toBe(false);
      expect(result.ok ? "" : result.reason).toContain(header.split("-")[0]!);
    });
  }

  if (vector.staleAfter !== undefined) {
    const after = vector.staleAfter;
    test(`a request verified ${after} s after it was signed is out of tolerance`, () => {
      expect(verify(vector, requestOf(vector), (vector.now ?? NOW) + after)).toMatchObject({
        ok: false,
        code: "timestamp_out_of_tolerance",
      });
    });
  }

  if (vector.identity !== undefined) {
    const identity = vector.identity;
    test(`identifies delivery ${identity.deliveryId ?? "(none)"} of type ${identity.eventType}`, () => {
      const result = presetById(vector.preset).identify(
        requestOf(vector),
        parsedData(vector.body),
        vector.options,
      );
      expect(result).toMatchObject({
        ok: true,
        deliveryId: identity.deliveryId,
        eventType: identity.eventType,
      });
    });
  }

  if (vector.signInput !== undefined) {
    const input = vector.signInput;
    test("the engine's sign writes the same signature the sender does", () => {
      const signed = presetById(vector.preset).sign(
        { body: vector.body, secrets: [vector.secret], ...input },
        vector.options,
      );
      const sent = headersFrom(vector.headers);
      for (const [name, value] of Object.entries(signed))
        expect([name, value]).toEqual([name, sent.get(name.toLowerCase())]);
    });
  }
});

/** A secret of the same kind as the vector's that the sender does not use. */
function otherSecret(vector: Vector): string {
  const scheme = presetById(vector.preset);
  if (scheme.family === "asymmetric") return vector.preset === "discord" ? OTHER_ED25519_HEX : OTHER_P256_B64;
  if (vector.preset === "braintree") return "pubkey1:another-private-key";
  if (vector.preset === "postmark") return "hook-user:another-password";
  if (vector.preset === "paypal") return "9XL90610J3647323C";
  if (vector.preset === "plaid") return "client123:secret789";
  if (/^[0-9A-F]+$/i.test(vector.secret)) return "A".repeat(vector.secret.length);
  if (vector.secret.startsWith("whsec_")) return `whsec_${Buffer.alloc(32, 1).toString("base64")}`;
  if (/^[A-Za-z0-9+/]+=*$/.test(vector.secret) && vector.secret.length % 4 === 0)
    return Buffer.alloc(32, 1).toString("base64");
  return `${vector.secret}-other`;
}

const spki = (key: KeyObject) => key.export({ format: "der", type: "spki" }) as Buffer;
const OTHER_ED25519_HEX = spki(generateKeyPairSync("ed25519").publicKey).subarray(-32).toString("hex");
const OTHER_P256_B64 = spki(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey).toString("base64");
