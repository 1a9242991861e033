import { headersFrom, PRESET_IDS, PRESETS, presetById, presetSignsUrl } from "@webhooks/shared";
import { compilePreset } from "../../../functions/shared/schemes/engine/compile";
import { NOW, SIGNED_AT, VECTORS } from "./support/independent-signers";

const WEEK = 168;

describe.each(PRESET_IDS)("%s", (id) => {
  const scheme = presetById(id);

  test("compiles, and the header the gateway requires is one it reads", () => {
    const required = scheme.requiredHeader();
    if (required !== undefined) expect(scheme.headers()).toContain(required.toLowerCase());
  });

  test("its dedupe TTL outlives the documented retry horizon by a day, or is a week when none is documented", () => {
    const { horizonHours, ttlHours } = scheme.dedupe;
    expect(ttlHours).toBeGreaterThanOrEqual(horizonHours === undefined ? WEEK : horizonHours + 24);
  });

  test("headers carrying a secret or a signature are among those it reads", () => {
    for (const header of scheme.secretHeaders()) expect(scheme.headers()).toContain(header);
  });

  test("says what its secret document holds", () => {
    expect(PRESETS[id].secretNote.length).toBeGreaterThan(10);
  });
});

test("the senders that sign the URL they call are the ones the catalogue names", () => {
  expect(PRESET_IDS.filter((id) => presetSignsUrl(id))).toEqual([
    "square",
    "hubspot",
    "trello",
    "twilio",
    "contentful",
  ]);
});

test("families: HMAC presets are the most, then code, token and asymmetric", () => {
  const count = (family: string) => PRESET_IDS.filter((id) => PRESETS[id].family === family).length;
  expect({
    hmac: count("hmac"),
    asymmetric: count("asymmetric"),
    token: count("token"),
    code: count("code"),
  }).toEqual({
    hmac: 49,
    asymmetric: 2,
    token: 5,
    code: 7,
  });
});

test("a preset compiles on first use, not when it is looked up (init pays for nothing it does not serve)", () => {
  const broken = { ...PRESETS.github, signedContent: "{bodyy}" };
  const scheme = compilePreset("broken", broken);
  expect(() => scheme.headers()).toThrow("signedContent: {bodyy} is not a placeholder");
});

test("signBody exists exactly for the senders that sign inside the body", () => {
  expect(PRESET_IDS.filter((id) => presetById(id).signBody !== undefined)).toEqual([
    "mailgun",
    "figma",
    "adyen",
    "braintree",
  ]);
});

describe("what the engine signs, it verifies (every preset signed with its stored secret)", () => {
  // Asymmetric, PayPal and Plaid senders sign with a private key the verifier never holds: their
  // round trips are in code-modules.test.ts.
  const shared = VECTORS.filter(
    (vector, index) =>
      VECTORS.findIndex((other) => other.preset === vector.preset) === index &&
      presetById(vector.preset).family !== "asymmetric" &&
      !["paypal", "plaid"].includes(vector.preset),
  );
  test.each(shared.map((vector) => [vector.preset, vector] as const))("%s", (preset, vector) => {
    const scheme = presetById(preset);
    const input = { body: vector.body, secrets: [vector.secret], timestamp: SIGNED_AT, id: "msg_round" };
    const { body, headers } = scheme.signBody
      ? scheme.signBody(input, vector.options)
      : { body: vector.body, headers: scheme.sign(input, vector.options) };
    const request = {
      headers: headersFrom({
        "Content-Type": vector.headers["Content-Type"] ?? "application/json",
        ...headers,
      }),
      body: Buffer.from(body),
    };
    expect(scheme.verify(request, [vector.secret], NOW, vector.options)).toMatchObject({ ok: true });
  });
});
