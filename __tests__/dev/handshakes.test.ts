import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEV_DIR } from "../../cli/src/dev/state";
import { type StartedDev, startDev } from "./support/dev-server";

// Asana hands its signing secret over in its first, unsigned request (X-Hook-Secret): `webhooks
// dev` stores it in the local secrets file as the deployed validator stores it in Secrets Manager.

let dev: StartedDev;

beforeAll(async () => {
  dev = await startDev({
    config: {
      providers: [{ id: "asana", scheme: "asana" }],
      routes: [{ id: "tasks", eventPattern: { source: ["webhooks.asana"] } }],
    },
  });
});

afterAll(async () => {
  await dev.server.stop();
});

const asanaDocument = () =>
  JSON.parse(readFileSync(join(dev.cwd, DEV_DIR, "secrets.json"), "utf8")).providers.asana;

const handshake = (secret: string) =>
  fetch(`${dev.url}/webhooks/asana`, { method: "POST", headers: { "X-Hook-Secret": secret }, body: "" });

const event = (secret: string) => {
  const body = JSON.stringify({
    events: [
      {
        action: "added",
        created_at: "2026-11-23T11:59:00.000Z",
        resource: { gid: "1201", resource_type: "task" },
      },
    ],
  });
  return fetch(`${dev.url}/webhooks/asana`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Hook-Signature": createHmac("sha256", secret).update(body).digest("hex"),
    },
    body,
  });
};

test("the first handshake's secret is stored, echoed, and verifies the events that follow; later handshakes are refused", async () => {
  const before = asanaDocument();

  const first = await handshake("asana-hook-secret-1");
  const accepted = await event("asana-hook-secret-1");
  const later = await handshake("someone-elses-secret");

  expect(before).toEqual({ secrets: [], acceptHandshake: true });
  expect(first.status).toBe(200);
  expect(first.headers.get("x-hook-secret")).toBe("asana-hook-secret-1");
  expect(asanaDocument()).toEqual({ secrets: ["asana-hook-secret-1"] });
  expect(accepted.status).toBe(202);
  expect(later.status).toBe(403);
  expect((await event("someone-elses-secret")).status).toBe(401);
});
