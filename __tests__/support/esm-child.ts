import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

const REPO_ROOT = resolve(__dirname, "../..");

/**
 * Runs `body` as the inside of an async function in an ES module, in a child Node process (the
 * one running the tests), with `input` bound to the parsed JSON of `input`; returns what the
 * function returns, through JSON. For ESM-only oracle libraries (@octokit/webhooks-methods,
 * @linear/sdk): jest here runs CommonJS without --experimental-vm-modules, so it cannot load them.
 *
 * @example runEsm<boolean>('import { f } from "pkg";', "return f(input.value);", { value: 1 })
 */
export function runEsm<Output>(imports: string, body: string, input: unknown): Output {
  const script = `${imports}
let text = "";
for await (const chunk of process.stdin) text += chunk;
const input = JSON.parse(text);
const output = await (async () => {
${body}
})();
process.stdout.write(JSON.stringify(output));
`;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: REPO_ROOT,
    input: JSON.stringify(input),
    encoding: "utf8",
  });
  return JSON.parse(output) as Output;
}
