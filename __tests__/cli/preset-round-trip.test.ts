import { PRESET_IDS, presetById } from "@webhooks/shared";
import { runCli } from "./support/cli-io";
import { PRESET_CASES, type PresetCase, TIMESTAMP } from "./support/preset-cases";

interface Sent {
  readonly headers: Array<[string, string]>;
  readonly body: string;
}

/** `webhooks sign --json` of a case: the headers, and the body to send (signed, for senders that sign inside it). */
async function sign(c: PresetCase): Promise<Sent> {
  const { code, stdout, stderr } = await runCli([
    "sign",
    "--scheme",
    c.id,
    ...(c.privateKeyOnly ? [] : ["--secret", c.secret]),
    "--data",
    c.payload,
    "--timestamp",
    String(c.signedAt ?? TIMESTAMP),
    "--json",
    ...(c.signArgs ?? []),
    ...(c.bothArgs ?? []),
  ]);
  expect({ code, stderr: stderr.replace(/^note: .*\n/gm, "") }).toEqual({ code: 0, stderr: "" });
  const printed = JSON.parse(stdout);
  return presetById(c.id).signBody
    ? { headers: Object.entries(printed.headers), body: printed.body }
    : { headers: Object.entries(printed), body: c.payload };
}

function verify(c: PresetCase, sent: Sent) {
  return runCli([
    "verify",
    "--scheme",
    c.id,
    "--secret",
    c.secret,
    ...sent.headers.flatMap(([name, value]) => ["--header", `${name}: ${value}`]),
    "--data",
    sent.body,
    "--now",
    String((c.signedAt ?? TIMESTAMP) + 5),
    ...(c.bothArgs ?? []),
    ...(c.verifyArgs ?? []),
  ]);
}

test("the table has one case per preset", () => {
  expect(PRESET_CASES.map((c) => c.id).sort()).toEqual([...PRESET_IDS].sort());
});

describe.each(PRESET_CASES.map((c) => [c.id, c] as const))("%s", (_id, c) => {
  test("sign → verify: exit 0 with the matching secret, the delivery id and the event type", async () => {
    const sent = await sign(c);

    const { code, stdout } = await verify(c, sent);

    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: expect.stringContaining(`verified: ${c.id} signature matches secret #1 of 1\n`),
    });
    expect(stdout).toContain(`event type: ${c.eventType}\n`);
    if (c.deliveryId) expect(stdout).toContain(`delivery id: ${c.deliveryId}\n`);
  });

  const { tamper } = c;
  if (tamper === "not-covered") {
    test("a changed body still verifies: the token authenticates the sender, not the body", async () => {
      const sent = await sign(c);

      const { code } = await verify(c, { ...sent, body: sent.body.replace("{", '{"x":1,') });

      expect(code).toBe(0);
    });
  } else {
    test("a tampered body: exit 1, rejected 401 naming where the signature did not match", async () => {
      const sent = await sign(c);
      const body = tamper(sent.body);
      expect(body).not.toBe(sent.body);

      const { code, stdout } = await verify(c, { ...sent, body });

      expect(code).toBe(1);
      expect(stdout).toMatch(/^rejected \(401 signature_mismatch\): \S.*\n$/);
    });
  }
});
