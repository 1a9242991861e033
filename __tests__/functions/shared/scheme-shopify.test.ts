import { createHmac } from "node:crypto";
import { shopifyScheme } from "@webhooks/shared";
import { BODY, conformanceTests } from "./support/conformance";

/** Shopify's documented check: base64 HMAC-SHA256 of the raw body with the app's secret. */
function handSigned(body: string, secret: string): Record<string, string> {
  return { "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body, "utf8").digest("base64") };
}

describe("shopify scheme against a hand-computed HMAC", () => {
  conformanceTests({
    scheme: shopifyScheme,
    secrets: ["shpss_new", "shpss_old"],
    otherSecret: "shpss_other",
    oracle: handSigned,
    signedHeaders: ["x-shopify-hmac-sha256"],
  });

  test("sign produces the hand-computed header", () => {
    expect(shopifyScheme.sign({ body: BODY, secrets: ["shpss_new"], timestamp: 0 })).toEqual(
      handSigned(BODY, "shpss_new"),
    );
  });
});
