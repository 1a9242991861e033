import { parseCommandLine, readBody, readSecrets } from "../args";
import { type Command, ExitCode } from "../command";
import { chooseScheme, SCHEME_HELP, SIGN_HELP, SIGN_OPTIONS, senderHeaders } from "../signing";

export const signCommand: Command = {
  name: "sign",
  summary: "print the headers a sender would send with a body (the validator's own signing code)",
  help: `Usage: webhooks sign --scheme <id> --secret <s> [--secret <s2>] --body <file|-> [options]

Signs a body the way a provider does and prints the headers it would send, one 'Name: value' per
line (the format 'webhooks verify --headers' reads), or a JSON object with --json.

${SCHEME_HELP}

${SIGN_HELP}

Output:
  --json                 print the headers as a JSON object

Examples:
  webhooks sign --scheme stripe --secret whsec_test --body event.json
  webhooks sign --scheme github --secret s3cr3t --event push --body push.json > headers.txt
  echo -n '{"type":"ping"}' | webhooks sign --provider svix --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --body -`,

  async run(args, io) {
    const { values } = parseCommandLine(args, { ...SIGN_OPTIONS, json: { type: "boolean" } });
    const choice = chooseScheme(values, io);
    const secrets = await readSecrets(values, io);
    const body = await readBody(values, io);
    const headers = senderHeaders(choice, body, secrets, values, io);
    io.stdout.write(
      values.json
        ? `${JSON.stringify(Object.fromEntries(headers), null, 2)}\n`
        : headers.map(([name, value]) => `${name}: ${value}\n`).join(""),
    );
    return ExitCode.ok;
  },
};
