import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseCommandLine, readBody } from "../args";
import { type Command, ExitCode, UsageError } from "../command";
import { chooseScheme, SCHEME_HELP } from "../scheme-choice";
import { SIGN_HELP, SIGN_OPTIONS, senderRequest } from "../signing";
import { readSigningKeys, verifierKeyNote } from "../signing-keys";

export const signCommand: Command = {
  name: "sign",
  summary: "print the request a sender would send with a body (the validator's own signing code)",
  help: `Usage: webhooks sign --scheme <id> --secret <s> [--secret <s2>] --body <file|-> [options]

Signs a body the way the sender does and prints the headers it would send, one 'Name: value' per
line (the format 'webhooks verify --headers' reads), or a JSON object with --json. Senders that
sign inside the body (mailgun, figma, adyen, braintree) change the body: it follows the headers
after a blank line ({"headers", "body"} with --json), or goes to the file --out names.

${SCHEME_HELP}

${SIGN_HELP}

Output:
  --json                 print the headers as a JSON object
  --out <file>           write the body to send to this file (exactly its bytes) and print only
                         the headers

Examples:
  webhooks sign --scheme stripe --secret whsec_test --body event.json
  webhooks sign --scheme github --secret s3cr3t --event push --body push.json > headers.txt
  webhooks sign --scheme hubspot --secret "$CLIENT_SECRET" \\
    --public-url https://hooks.example.com/webhooks/hubspot --body events.json
  webhooks sign --scheme discord --private-key discord.pem --data '{"type":1}'
  webhooks sign --scheme mailgun --secret key-… --body event.json --out signed.json > headers.txt
  echo -n '{"type":"ping"}' | webhooks sign --provider svix --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --body -`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      ...SIGN_OPTIONS,
      json: { type: "boolean" },
      out: { type: "string" },
    });
    const choice = chooseScheme(values, io);
    const keys = await readSigningKeys(choice, values, io);
    const payload = await readBody(values, io);
    const { headers, body } = senderRequest(choice, payload, keys, values, io);
    const note = verifierKeyNote(choice, keys);
    if (note) io.stderr.write(`${note}\n`);
    const signsBody = choice.scheme.signBody !== undefined;
    if (values.out !== undefined) {
      try {
        await writeFile(resolve(io.cwd, values.out), body);
      } catch (error) {
        throw new UsageError(`--out: cannot write ${values.out}: ${(error as Error).message}`);
      }
    }
    const withBody = signsBody && values.out === undefined;
    const named = Object.fromEntries(headers);
    if (values.json) {
      const json = withBody ? { headers: named, body: body.toString("utf8") } : named;
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      const lines = headers.map(([name, value]) => `${name}: ${value}\n`).join("");
      io.stdout.write(withBody ? `${lines}\n${body.toString("utf8")}\n` : lines);
    }
    return ExitCode.ok;
  },
};
