import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEV_DIR, STATE_FILE } from "../../cli/src/dev/state";
import { FakeInterrupts, REPO_ROOT, runCli } from "../cli/support/cli-io";
import { until } from "./support/dev-server";

// The README's "Try it in one minute" commands, run as written (in a fresh directory holding the
// examples, with real time and network): `webhooks dev` in the background, then each command of
// the section's second block. The server takes --port 0 so a developer's own instance on the
// default port does not collide.

const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const section = readme.slice(
  readme.indexOf("## Try it in one minute"),
  readme.indexOf("\n## ", readme.indexOf("## Try it in one minute") + 1),
);
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!.trim().split("\n"));
const realTime = {
  get ms() {
    return Date.now();
  },
  set ms(_: number) {},
};

/** Waits until the section's status command reports ROUTED. */
async function routed(status: string[], io: Parameters<typeof runCli>[1]): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (/status: +ROUTED/.test((await runCli(status, io)).stdout)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the webhook was not ROUTED within 2 s");
}

test("the section starts the dev server and then sends and looks up with --dev", () => {
  expect(blocks).toEqual([["npm ci", "npx webhooks dev"], expect.any(Array)]);
  expect(blocks[1]!.every((line) => line.startsWith("npx webhooks ") && line.includes(" --dev "))).toBe(true);
});

test("the one-minute path answers as the README says: accepted, duplicate, ROUTED", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "webhooks-readme-"));
  cpSync(join(REPO_ROOT, "examples"), join(cwd, "examples"), { recursive: true });
  const interrupts = new FakeInterrupts();
  const argv = (line: string) => line.replace(/^npx webhooks /, "").split(" ");
  const io = { cwd, clock: realTime, fetch: globalThis.fetch, interrupts };
  const dev = runCli([...argv(blocks[0]![1]!), "--port", "0"], io);
  const results = [];
  try {
    await until("the dev server's state file", () => existsSync(join(cwd, DEV_DIR, STATE_FILE)));
    for (const line of blocks[1]!) {
      results.push(await runCli(argv(line), io));
      // A person types slower than the router routes: the next command comes once it has.
      await routed(argv(blocks[1]!.at(-1)!), io);
    }
  } finally {
    interrupts.send();
  }
  const stopped = await dev;

  expect(results.map((result) => result.code)).toEqual([0, 0, 0]);
  expect(results[0]!.stdout).toMatch(/^HTTP 202 Accepted\n\{"webhookId":"wh_[0-9a-f]{32}"\}\n$/);
  expect(results[1]!.stdout).toMatch(/^HTTP 200 OK\n\{"webhookId":"wh_[0-9a-f]{32}","duplicate":true\}\n$/);
  expect(results[2]!.stdout).toMatch(/^status: +ROUTED/m);
  expect(stopped.code).toBe(0);
  expect(stopped.stdout).toContain("routed → payments");
  expect(stopped.stdout).toContain("200 duplicate (already ROUTED)");
});
