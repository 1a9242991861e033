import { headersFrom, stripeScheme } from "@webhooks/shared";
import Stripe from "stripe";
import { BODY, conformanceTests, NOW, SIGNED_AT } from "./support/conformance";

const stripe = new Stripe("sk_test_oracle");

function stripeSigned(body: string, secret: string, timestamp: number): Record<string, string> {
  return {
    "Stripe-Signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }),
  };
}

describe("stripe scheme against stripe-node", () => {
  conformanceTests({
    scheme: stripeScheme,
    secrets: ["whsec_new_0123456789", "whsec_old_0123456789"],
    otherSecret: "whsec_other",
    oracle: stripeSigned,
    signedHeaders: ["stripe-signature"],
    // Stripe sends one v1 per active secret during a roll.
    combine: (first, second) => ({
      "Stripe-Signature": `${first["Stripe-Signature"]},${second["Stripe-Signature"]!.split(",")[1]}`,
    }),
  });

  test("stripe-node's constructEvent accepts our signature", () => {
    const headers = stripeScheme.sign({ body: BODY, secrets: ["whsec_x"], timestamp: SIGNED_AT });
    const event = stripe.webhooks.constructEvent(
      BODY,
      headers["Stripe-Signature"]!,
      "whsec_x",
      300,
      undefined,
      NOW,
    );
    expect(event.id).toBe("evt_1");
  });

  test("ignores the v0 element Stripe sends in test mode", () => {
    const header = `${stripeSigned(BODY, "whsec_x", SIGNED_AT)["Stripe-Signature"]},v0=${"0".repeat(64)}`;
    const result = stripeScheme.verify(
      { headers: headersFrom({ "Stripe-Signature": header }), body: Buffer.from(BODY) },
      ["whsec_x"],
      NOW,
    );
    expect(result.ok).toBe(true);
  });

  test("refuses a future timestamp that stripe-node would accept", () => {
    const future = NOW + 301;
    const header = stripeSigned(BODY, "whsec_x", future)["Stripe-Signature"]!;
    expect(() => stripe.webhooks.constructEvent(BODY, header, "whsec_x", 300, undefined, NOW)).not.toThrow();
    const result = stripeScheme.verify(
      { headers: headersFrom({ "Stripe-Signature": header }), body: Buffer.from(BODY) },
      ["whsec_x"],
      NOW,
    );
    expect(result).toEqual({
      ok: false,
      code: "timestamp_out_of_tolerance",
      reason: "Stripe-Signature: t= 1700000301 is 301 s in the future (tolerance 300 s)",
    });
  });
});
