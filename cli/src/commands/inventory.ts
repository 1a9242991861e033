import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { integerOption, parseCommandLine, readInput } from "../args";
import { type Command, ExitCode, type Io, UsageError } from "../command";
import {
  buildInventory,
  DEFAULT_WIDTH,
  diffStacks,
  type InventoryFormat,
  renderDiff,
  renderInventory,
  terminalWidth,
} from "../inventory/index";
import { readStackDocument, resolveStackDir, STACK_FILE, STACK_HELP, STACK_OPTIONS } from "../stack";

export const inventoryCommand: Command = {
  name: "inventory",
  summary: "list what the synthesized stack deploys, or what a change to it widens",
  help: `Usage: webhooks inventory [--stack <name>] [--full | --markdown | --json] [--width <n>]
       webhooks inventory --diff <old cdk.tf.json> [--fail-on-widen] [--markdown | --json]

Lists what the synthesized stack deploys, read from its cdk.tf.json (no AWS calls): every resource
with its name and purpose, IAM permissions by role and resource policy, who may invoke each
function, internet exposure (routes, WAF rules, public principals, buckets, function URLs), alarm
thresholds, event rule patterns, and findings. With --diff, what the stack changes against an older
document: resources, grants and exposure added, removed, changed and widened.

${STACK_HELP}
  --width <n>          columns of the default text view, 60..1000 (default: the terminal's width,
                       else ${DEFAULT_WIDTH})
  --full               the exhaustive view: every Terraform address and statement, however wide
  --markdown           GitHub-flavoured Markdown, for a pull-request comment
  --json               the inventory, or the diff, as JSON
  --diff <old>         compare with an older cdk.tf.json, its stack directory, or - (standard
                       input); e.g. synthesize the base branch with CDKTF_OUTDIR=/tmp/base
  --fail-on-widen      with --diff: exit 1 when a change widens IAM access or internet exposure

Widened means: an added grant that is broad (a * or whole-service action, every resource,
NotAction), public, broader than the grant it replaces (a wildcard that matches it, a condition
dropped or loosened), or a new principal on an existing resource policy or trust; a Deny guard
removed; a route that stops requiring an API key or authorization; a WAF rule removed or weakened
(block → count) or a default action that allows; a stage that loses its WAF or raises its
throttling; a function URL, a public bucket or another internet-facing resource added.

Exit codes: 0 listed or compared (widening included, unless --fail-on-widen); 1 something widened
under --fail-on-widen, or a stack cannot be read; 2 bad input.`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      ...STACK_OPTIONS,
      full: { type: "boolean" },
      markdown: { type: "boolean" },
      json: { type: "boolean" },
      width: { type: "string" },
      diff: { type: "string" },
      "fail-on-widen": { type: "boolean" },
    });
    const chosen = (["full", "markdown", "json"] as const).filter((format) => values[format]);
    if (chosen.length > 1) {
      throw new UsageError(`${chosen.map((format) => `--${format}`).join(" and ")} are exclusive: pick one`);
    }
    const format: InventoryFormat = chosen.length > 0 ? chosen[0]! : "text";
    if (values.width !== undefined && format !== "text") {
      throw new UsageError(`--width sets the text view's columns; --${format} has none`);
    }
    if (values["fail-on-widen"] && values.diff === undefined) {
      throw new UsageError("--fail-on-widen needs --diff <old cdk.tf.json>");
    }
    const width = integerOption(values.width, "width", 60, 1000) ?? terminalWidth(io.stdout.columns);
    const doc = readStackDocument(resolveStackDir(values, io));

    if (values.diff === undefined) {
      return write(io, renderInventory(buildInventory(doc), format, { width }));
    }
    if (format === "full") {
      throw new UsageError("--full lists one stack; with --diff use the default text, --markdown or --json");
    }
    const diff = diffStacks(await readOldDocument(values.diff, io), doc);
    write(io, renderDiff(diff, format, { width, against: values.diff }));
    return values["fail-on-widen"] && diff.widened ? ExitCode.failed : ExitCode.ok;
  },
};

function write(io: Io, text: string): ExitCode {
  io.stdout.write(text);
  return ExitCode.ok;
}

/** The older document: a cdk.tf.json, a stack directory holding one, or `-` for standard input. */
async function readOldDocument(spec: string, io: Io): Promise<unknown> {
  const path = resolve(io.cwd, spec);
  const file =
    spec !== "-" && existsSync(path) && statSync(path).isDirectory() ? join(spec, STACK_FILE) : spec;
  const text = (await readInput(file, "diff", io)).toString("utf8");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--diff: ${file} is not JSON (${(error as Error).message}); give a synthesized cdk.tf.json`,
    );
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new UsageError(`--diff: ${file} is not a synthesized cdk.tf.json (expected a JSON object)`);
  }
  return doc;
}
