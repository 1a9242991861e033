import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

/**
 * @octokit/webhooks-methods as an oracle. The package is ESM-only (its exports offer no `require`
 * condition) and jest here runs CommonJS without --experimental-vm-modules, so it runs in a child
 * Node process: one spawn per batch.
 */
export interface OctokitBatch {
  readonly sign?: readonly { secret: string; payload: string }[];
  readonly verify?: readonly { secret: string; payload: string; signature: string }[];
}

export interface OctokitResults {
  readonly sign: string[];
  readonly verify: boolean[];
}

const SCRIPT = `
import { sign, verify } from "@octokit/webhooks-methods";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const batch = JSON.parse(input);
const out = {
  sign: await Promise.all((batch.sign ?? []).map((c) => sign(c.secret, c.payload))),
  verify: await Promise.all((batch.verify ?? []).map((c) => verify(c.secret, c.payload, c.signature))),
};
process.stdout.write(JSON.stringify(out));
`;

const REPO_ROOT = resolve(__dirname, "../../../..");

export function runOctokit(batch: OctokitBatch): OctokitResults {
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", SCRIPT], {
    cwd: REPO_ROOT,
    input: JSON.stringify(batch),
    encoding: "utf8",
  });
  return JSON.parse(output) as OctokitResults;
}
