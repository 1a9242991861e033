import { PRESET_IDS, PRESETS, presetById, presetSignsUrl } from "@webhooks/shared";
import { compilePreset } from "../../../functions/shared/schemes/engine/compile";

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
