import { parseCommandLine } from "../args";
import { type Command, ExitCode } from "../command";
import { buildInventory, renderInventory } from "../inventory/index";
import { readStackDocument, resolveStackDir } from "../stack";

export const inventoryCommand: Command = {
  name: "inventory",
  summary: "list what the synthesized stack deploys",
  help: `Usage: webhooks inventory [--stack-dir <dir>] [--json]

Lists the resources the synthesized stack deploys (read from its cdk.tf.json; no AWS calls).

  --stack-dir <dir>      synthesized stack directory (default: the only one under cdktf.out/stacks;
                         synthesize with the WEBHOOK_* environment you deployed with)
  --json                 print JSON instead of text`,

  async run(args, io) {
    const { values } = parseCommandLine(args, { "stack-dir": { type: "string" }, json: { type: "boolean" } });
    const doc = readStackDocument(resolveStackDir(values["stack-dir"], io));
    const text = renderInventory(buildInventory(doc), values.json ? "json" : "text");
    io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    return ExitCode.ok;
  },
};
