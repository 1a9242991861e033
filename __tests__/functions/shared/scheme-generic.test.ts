import { createHmac } from "node:crypto";
import { genericScheme, headersFrom } from "@webhooks/shared";
import { BODY, conformanceTests, NOW, SIGNED_AT } from "./support/conformance";

/** The oracle: the scheme's definition, HMAC-SHA256 of "<t>.<raw body>" in lowercase hex, by hand. */
function handSigned(body: string, secret: string, timestamp: number): Record<string, string> {
  const hex = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return { "X-Webhook-Signature": `t=${timestamp},v1=${hex}` };
}

describe("generic scheme against a hand-computed HMAC", () => {
  conformanceTests({
    scheme: genericScheme,
    secrets: ["generic-secret-new", "generic-secret-old"],
    otherSecret: "someone-else",
    oracle: handSigned,
    signedHeaders: ["x-webhook-signature"],
    combine: (first, second) => ({
      "X-Webhook-Signature": `${first["X-Webhook-Signature"]},${second["X-Webhook-Signature"]!.split(",")[1]}`,
    }),
  });

  test("sign produces the hand-computed header", () => {
    expect(genericScheme.sign({ body: BODY, secrets: ["k"], timestamp: SIGNED_AT })).toEqual(
      handSigned(BODY, "k", SIGNED_AT),
    );
  });

  test("sign with two secrets sends one v1 per secret and the delivery id", () => {
    const headers = genericScheme.sign({ body: BODY, secrets: ["a", "b"], timestamp: SIGNED_AT, id: "d-1" });
    expect(headers["X-Webhook-Signature"]!.split(",").map((part) => part.slice(0, 3))).toEqual([
      "t=1",
      "v1=",
      "v1=",
    ]);
    expect(headers["X-Webhook-Id"]).toBe("d-1");
  });

  test("refuses an element other than t= and v1= (our own scheme is strict)", () => {
    const signed = handSigned(BODY, "k", SIGNED_AT)["X-Webhook-Signature"];
    const headers = headersFrom({ "X-Webhook-Signature": `${signed},v0=abc` });
    expect(genericScheme.verify({ headers, body: Buffer.from(BODY) }, ["k"], NOW)).toEqual({
      ok: false,
      code: "malformed_header",
      reason: "X-Webhook-Signature: element #3 is neither t= nor v1=",
    });
  });
});
