import { createHash, createHmac, sign as cryptoSign, generateKeyPairSync } from "node:crypto";
import { headersFrom, type PresetId, presetById, type SchemeOptions } from "@webhooks/shared";
import {
  NOW,
  PAYPAL_CERT_URL,
  PAYPAL_CHAIN,
  PAYPAL_LEAF_KEY,
  PAYPAL_NOW,
  PLAID_JWK,
  PLAID_KID,
  PLAID_PRIVATE_PEM,
  SIGNED_AT,
} from "./support/independent-signers";

const verify = (
  preset: PresetId,
  headers: Record<string, string>,
  body: string,
  secrets: string[],
  options: SchemeOptions = {},
  now = NOW,
  allHeaders?: Map<string, string[]>,
) =>
  presetById(preset).verify(
    { headers: headersFrom(headers), body: Buffer.from(body), ...(allHeaders ? { allHeaders } : {}) },
    secrets,
    now,
    options,
  );
const b64sha1 = (key: string, data: string) => createHmac("sha1", key).update(data).digest("base64");

describe("twilio", () => {
  const token = "twilio-auth-token";
  const form = "Body=hi&From=%2B1555&Body=hi&Body=a+b";
  const params = "Bodya bBodyhiFrom+1555";

  test.each([
    ["without a port", "https://example.com/sms"],
    ["with the default port added", "https://example.com:443/sms"],
  ])("a signature over the URL %s verifies (Twilio's backend signs either)", (_case, signedUrl) => {
    const headers = {
      "X-Twilio-Signature": b64sha1(token, signedUrl + params),
      "Content-Type": "application/x-www-form-urlencoded",
    };
    expect(verify("twilio", headers, form, [token], { publicUrl: "https://example.com/sms" }).ok).toBe(true);
  });

  test("a repeated parameter's distinct values are sorted and a repeat counts once", () => {
    const signed = b64sha1(token, `https://example.com/sms${params}`);
    const headers = { "X-Twilio-Signature": signed, "Content-Type": "application/x-www-form-urlencoded" };
    expect(
      verify("twilio", headers, "From=%2B1555&Body=a+b&Body=hi", [token], {
        publicUrl: "https://example.com/sms",
      }).ok,
    ).toBe(true);
  });

  test("a JSON body is bound through bodySHA256: another body fails even with the URL's signature", () => {
    const body = '{"a":1}';
    const url = `https://example.com/sms?bodySHA256=${createHash("sha256").update(body).digest("hex")}`;
    const headers = { "X-Twilio-Signature": b64sha1(token, url), "Content-Type": "application/json" };
    expect(verify("twilio", headers, body, [token], { publicUrl: "https://example.com/sms" }).ok).toBe(true);
    expect(
      verify("twilio", headers, '{"a":2}', [token], { publicUrl: "https://example.com/sms" }),
    ).toMatchObject({
      code: "signature_mismatch",
    });
  });

  test("without a publicUrl the provider is misconfigured", () => {
    const headers = { "X-Twilio-Signature": b64sha1(token, "x") };
    expect(verify("twilio", headers, form, [token])).toMatchObject({ code: "unusable_secret" });
  });
});

describe("adyen", () => {
  const key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
  const item = (fields: Record<string, unknown>) => ({ NotificationRequestItem: fields });
  const refund = {
    pspReference: "7914073381342284",
    merchantAccountCode: "TestMerchant",
    merchantReference: "TestPayment-1407325143704",
    amount: { value: 0, currency: "EUR" },
    eventCode: "REFUND",
    success: "true",
  };

  test("Adyen's documented refund of value 0 verifies (0 is signed as 0, not empty)", () => {
    const body = JSON.stringify({
      notificationItems: [
        item({
          ...refund,
          additionalData: { hmacSignature: "J7HhsgZo5KwqdB7LFZJV6rfQgp+RqC2kuYyw/3x3w+8=" },
        }),
      ],
    });
    expect(verify("adyen", {}, body, [key]).ok).toBe(true);
  });

  test("every item must verify: one bad item fails the request, naming it", () => {
    const good = presetById("adyen").signBody!({
      body: JSON.stringify({ notificationItems: [item(refund)] }),
      secrets: [key],
      timestamp: 0,
    }).body;
    const parsed = JSON.parse(good);
    parsed.notificationItems.push(
      item({
        ...refund,
        pspReference: "2",
        additionalData: { hmacSignature: "J7HhsgZo5KwqdB7LFZJV6rfQgp+RqC2kuYyw/3x3w+8=" },
      }),
    );
    expect(verify("adyen", {}, JSON.stringify(parsed), [key])).toEqual({
      ok: false,
      code: "signature_mismatch",
      reason: "notification item #2: the signature does not match the active secret",
    });
  });

  test("an item without an amount is refused cleanly, before any MAC", () => {
    const { amount: _amount, ...noAmount } = refund;
    const body = JSON.stringify({
      notificationItems: [
        item({
          ...noAmount,
          additionalData: { hmacSignature: "J7HhsgZo5KwqdB7LFZJV6rfQgp+RqC2kuYyw/3x3w+8=" },
        }),
      ],
    });
    expect(verify("adyen", {}, body, [key])).toEqual({
      ok: false,
      code: "malformed_header",
      reason: "notification item #1 has no amount",
    });
  });

  test("signBody signs what verify accepts", () => {
    const signed = presetById("adyen").signBody!({
      body: JSON.stringify({ notificationItems: [item(refund)] }),
      secrets: [key],
      timestamp: 0,
    });
    expect(
      JSON.parse(signed.body).notificationItems[0].NotificationRequestItem.additionalData.hmacSignature,
    ).toBe("J7HhsgZo5KwqdB7LFZJV6rfQgp+RqC2kuYyw/3x3w+8=");
  });
});

describe("braintree", () => {
  const payload = Buffer.from("<notification><kind>check</kind></notification>").toString("base64");
  const hexFor = (privateKey: string, data: string) =>
    createHmac("sha1", createHash("sha1").update(privateKey).digest()).update(data).digest("hex");

  test("a signature over the payload and a trailing newline is accepted, as Braintree's library does", () => {
    const body = new URLSearchParams({
      bt_signature: `pub|${hexFor("priv", `${payload}\n`)}`,
      bt_payload: payload,
    }).toString();
    expect(verify("braintree", {}, body, ["pub:priv"]).ok).toBe(true);
  });

  test("a pair for another public key does not count", () => {
    const body = new URLSearchParams({
      bt_signature: `other|${hexFor("priv", payload)}`,
      bt_payload: payload,
    }).toString();
    expect(verify("braintree", {}, body, ["pub:priv"])).toMatchObject({ code: "signature_mismatch" });
  });

  test("signBody makes a form verify accepts, and identify reads the XML kind", () => {
    const signed = presetById("braintree").signBody!({
      body: "<notification><kind>check</kind></notification>",
      secrets: ["pub:priv"],
      timestamp: 0,
    });
    expect(verify("braintree", {}, signed.body, ["pub:priv"]).ok).toBe(true);
    const data = Object.fromEntries(new URLSearchParams(signed.body));
    expect(
      presetById("braintree").identify({ headers: new Map(), body: Buffer.from(signed.body) }, data),
    ).toMatchObject({ eventType: "check" });
  });
});

describe("paypal", () => {
  const body = '{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}';
  const webhookId = "8PT597110X687430LKGECATA";
  const signed = (overrides: Record<string, string> = {}) => ({
    ...presetById("paypal").sign({
      body,
      secrets: [webhookId],
      timestamp: PAYPAL_NOW - 5,
      id: "tx-1",
      privateKey: PAYPAL_LEAF_KEY,
      keyId: PAYPAL_CERT_URL,
    }),
    ...overrides,
  });

  test("parse asks for the certificate at PAYPAL-CERT-URL; check verifies with it", () => {
    const request = { headers: headersFrom(signed()), body: Buffer.from(body) };
    const parsed = presetById("paypal").parse(request, PAYPAL_NOW);
    expect(parsed).toMatchObject({
      ok: true,
      signed: { keyRequest: { kind: "x509-url", url: PAYPAL_CERT_URL } },
    });
    expect(verify("paypal", signed(), body, [webhookId], { externalKey: PAYPAL_CHAIN }, PAYPAL_NOW).ok).toBe(
      true,
    );
  });

  test.each([
    ["another host", "https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1"],
    ["plain http", "http://api.paypal.com/v1/notifications/certs/CERT-1"],
    ["another path", "https://api.paypal.com/v1/oauth2/token"],
  ])("a certificate URL on %s is refused before anything is fetched", (_case, url) => {
    expect(verify("paypal", signed({ "PAYPAL-CERT-URL": url }), body, [webhookId], {}, PAYPAL_NOW)).toEqual({
      ok: false,
      code: "malformed_header",
      reason: "PAYPAL-CERT-URL is not a certificate URL on PayPal's API hosts",
    });
  });

  test("another webhook id (the one the secret document holds) is a mismatch", () => {
    expect(
      verify("paypal", signed(), body, ["OTHERWEBHOOKID"], { externalKey: PAYPAL_CHAIN }, PAYPAL_NOW),
    ).toMatchObject({
      code: "signature_mismatch",
    });
  });

  test("a certificate not issued to PayPal's signing host is refused", () => {
    const ca = PAYPAL_CHAIN.slice(PAYPAL_CHAIN.indexOf("-----END CERTIFICATE-----") + 26);
    expect(verify("paypal", signed(), body, [webhookId], { externalKey: ca }, PAYPAL_NOW)).toEqual({
      ok: false,
      code: "unusable_secret",
      reason: "PayPal's certificate: not issued to PayPal's signing host",
    });
  });

  test("a certificate not yet valid is refused", () => {
    const early = PAYPAL_NOW - 2 * 86_400;
    const request = signed();
    expect(
      verify(
        "paypal",
        request,
        body,
        [webhookId],
        { externalKey: PAYPAL_CHAIN, toleranceSeconds: 3 * 86_400 },
        early,
      ),
    ).toMatchObject({
      code: "unusable_secret",
      reason: "PayPal's certificate: not valid now",
    });
  });

  test("an auth algorithm other than SHA256withRSA is refused", () => {
    expect(
      verify("paypal", signed({ "PAYPAL-AUTH-ALGO": "SHA1withRSA" }), body, [webhookId], {}, PAYPAL_NOW),
    ).toMatchObject({
      code: "malformed_header",
      reason: "PAYPAL-AUTH-ALGO is not SHA256withRSA",
    });
  });
});

describe("plaid", () => {
  const body = '{"webhook_type":"ITEM","webhook_code":"ERROR"}';
  const header = () =>
    presetById("plaid").sign({
      body,
      secrets: ["c:s"],
      timestamp: SIGNED_AT,
      privateKey: PLAID_PRIVATE_PEM,
      keyId: PLAID_KID,
    });

  test("parse asks for the key named by kid on the configured environment's host", () => {
    const parsed = presetById("plaid").parse(
      { headers: headersFrom(header()), body: Buffer.from(body) },
      NOW,
      {
        settings: { environment: "sandbox" },
      },
    );
    expect(parsed).toMatchObject({
      ok: true,
      signed: { keyRequest: { kind: "plaid-jwk", host: "sandbox.plaid.com", keyId: PLAID_KID } },
    });
  });

  test("a body other than the one request_body_sha256 names is refused", () => {
    expect(verify("plaid", header(), '{"webhook_type":"ITEM"}', ["c:s"], { externalKey: PLAID_JWK })).toEqual(
      {
        ok: false,
        code: "signature_mismatch",
        reason: "Plaid-Verification: request_body_sha256 is not the body's SHA-256",
      },
    );
  });

  test("a key that had expired when the JWT was issued is refused", () => {
    const expired = JSON.stringify({ ...JSON.parse(PLAID_JWK), expired_at: SIGNED_AT - 1 });
    expect(verify("plaid", header(), body, ["c:s"], { externalKey: expired })).toMatchObject({
      code: "unusable_secret",
      reason: "Plaid's verification key: expired",
    });
  });

  test("a JWT signed with another key is a mismatch", () => {
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
    expect(verify("plaid", header(), body, ["c:s"], { externalKey: JSON.stringify(other) })).toMatchObject({
      code: "signature_mismatch",
    });
  });

  test("an alg other than ES256 is refused (no 'none', no HMAC with a public key)", () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const forged = `${part({ alg: "HS256", kid: PLAID_KID })}.${part({ iat: SIGNED_AT })}.${Buffer.alloc(32).toString("base64url")}`;
    expect(verify("plaid", { "Plaid-Verification": forged }, body, ["c:s"])).toMatchObject({
      code: "malformed_header",
      reason: "Plaid-Verification: alg is not ES256",
    });
  });
});

describe("netlify", () => {
  test("a JWS whose iss is not netlify is refused", () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const input = `${part({ alg: "HS256" })}.${part({ iss: "someone", sha256: "x" })}`;
    const jws = `${input}.${createHmac("sha256", "s").update(input).digest("base64url")}`;
    expect(verify("netlify", { "X-Webhook-Signature": jws }, "{}", ["s"])).toMatchObject({
      code: "malformed_header",
      reason: "X-Webhook-Signature: iss is not netlify",
    });
  });
});

describe("contentful", () => {
  const secret = "contentful-secret";
  const publicUrl = "https://hooks.example.com/webhooks/contentful";
  const signed = (timestampMs: number) =>
    presetById("contentful").sign(
      { body: "{}", secrets: [secret], timestamp: timestampMs / 1000 },
      { publicUrl },
    );

  test("a request exactly at the 30 s age limit is refused, as Contentful's toolkit does", () => {
    const headers = signed((NOW - 30) * 1000);
    expect(verify("contentful", headers, "{}", [secret], { publicUrl })).toMatchObject({
      code: "timestamp_out_of_tolerance",
    });
    expect(verify("contentful", signed((NOW - 29) * 1000), "{}", [secret], { publicUrl }).ok).toBe(true);
  });

  test("a signed header that is repeated is refused", () => {
    const headers = {
      ...signed(NOW * 1000),
      "X-Contentful-Signed-Headers": "x-custom,x-contentful-signed-headers,x-contentful-timestamp",
    };
    const allHeaders = new Map([["x-custom", ["a", "b"]]]);
    expect(verify("contentful", headers, "{}", [secret], { publicUrl }, NOW, allHeaders)).toEqual({
      ok: false,
      code: "malformed_header",
      reason: "x-custom appears 2 times",
    });
  });
});

test("Discord's and SendGrid's sign takes the private key; the stored secret is the public key", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const seed = (privateKey.export({ format: "der", type: "pkcs8" }) as Buffer).subarray(-32).toString("hex");
  const headers = presetById("discord").sign({ body: "{}", secrets: [seed], timestamp: SIGNED_AT });
  const stored = (publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(-32).toString("hex");
  expect(verify("discord", headers, "{}", [stored]).ok).toBe(true);
  expect(cryptoSign(null, Buffer.from(`${SIGNED_AT}{}`), privateKey).toString("hex")).toBe(
    headers["X-Signature-Ed25519"],
  );
});
