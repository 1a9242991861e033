import { basename } from "node:path";
import { isPresetId, PRESET_IDS, type ProviderRuntimeConfig } from "@webhooks/shared";
import { closestKey } from "../../../stacks/config/hints";
import { integerOption, parseCommandLine } from "../args";
import { type Command, ExitCode, type Io, UsageError } from "../command";
import { terminalWidth } from "../inventory/index";
import { customEntries, detail, presetEntry, summarize } from "../presets/catalogue";
import { backticks, plain } from "../presets/describe";
import { renderDetails, renderDetailsMarkdown, renderList, renderListMarkdown } from "../presets/render";
import { loadStack, STACK_HELP, STACK_OPTIONS, WEBHOOK_VARIABLES } from "../stack";

export const providersCommand: Command = {
  name: "providers",
  summary: "list the sender presets: signature, timestamp, dedupe TTL, handshakes, secret format, setup",
  help: `Usage: webhooks providers [<id>] [--json | --markdown] [--width <n>] [--stack <name>]

Lists every sender preset a provider can name in its scheme: where the signature is, the signed
timestamp and its tolerance, the documented retry horizon and the dedupe TTL, the handshakes the
validator answers, and what the secret document holds. With an id, one preset in full: how it is
verified, its delivery id and event type, its settings, the sender's setup steps and notes.

With a synthesized stack (--stack, --stack-dir, or the WEBHOOK_* environment it was synthesized
with), also which of its providers use each preset, and its custom schemes (custom:<name>, which
an id may name too).

${STACK_HELP}
  --width <n>          columns of the text view, 60..1000 (default: the terminal's width, else 100)
  --markdown           GitHub-flavoured Markdown
  --json               the presets as JSON (with an id: its details and its data as the engine
                       reads it)

Examples:
  webhooks providers
  webhooks providers hubspot
  webhooks providers --stack webhooks-prod --markdown > providers.md
  webhooks providers --json | jq -r '.presets[] | select(.signsUrl) | .id'`,

  async run(args, io) {
    const { values, positionals } = parseCommandLine(
      args,
      {
        ...STACK_OPTIONS,
        json: { type: "boolean" },
        markdown: { type: "boolean" },
        width: { type: "string" },
      },
      true,
    );
    if (values.json && values.markdown) throw new UsageError("--json and --markdown are exclusive: pick one");
    if (positionals.length > 1) throw new UsageError(`one preset id at most, got ${positionals.join(" ")}`);
    if (values.width !== undefined && (values.json || values.markdown)) {
      throw new UsageError(
        `--width sets the text view's columns; --${values.json ? "json" : "markdown"} has none`,
      );
    }
    const width = integerOption(values.width, "width", 60, 1000) ?? terminalWidth(io.stdout.columns);
    const stack = wantsStack(values, io) ? loadStack(values, io) : undefined;
    const providers = stack?.providers;
    const stackName = stack ? basename(stack.dir) : undefined;
    const customs = customEntries(providers ?? []);

    const [id] = positionals;
    if (id === undefined) {
      const presets = PRESET_IDS.map((preset) => summarize(presetEntry(preset), providers));
      const custom = customs.map((entry) => summarize(entry, providers));
      const listing = { presets, ...(stack ? { custom, stack: stackName } : {}) };
      if (values.json) return write(io, `${JSON.stringify(listing, null, 2)}\n`);
      return write(io, values.markdown ? renderListMarkdown(listing) : renderList(listing, width));
    }
    const entry = isPresetId(id) ? presetEntry(id) : customs.find((custom) => custom.id === id);
    if (!entry)
      throw new UsageError(
        unknownPreset(
          id,
          customs.map((custom) => custom.id),
          providers,
        ),
      );
    const details = detail(entry, values.markdown ? backticks : plain, providers);
    if (values.json) return write(io, `${JSON.stringify(details, null, 2)}\n`);
    return write(io, values.markdown ? renderDetailsMarkdown(details) : renderDetails(details, width));
  },
};

/** The stack is read when one is named, or the WEBHOOK_* environment names the one it synthesizes. */
function wantsStack(
  values: { stack?: string | undefined; "stack-dir"?: string | undefined },
  io: Io,
): boolean {
  return (
    values.stack !== undefined ||
    values["stack-dir"] !== undefined ||
    WEBHOOK_VARIABLES.some((name) => io.env[name] !== undefined)
  );
}

function unknownPreset(
  id: string,
  customs: readonly string[],
  providers: readonly ProviderRuntimeConfig[] | undefined,
): string {
  const near = closestKey(id, [...PRESET_IDS, ...customs]);
  const hint = near ? `; did you mean ${near}?` : "";
  if (id.startsWith("custom:")) {
    return providers
      ? `${id} is no custom scheme of the stack (${customs.join(", ") || "it has none"})${hint}`
      : `${id}: custom schemes are read from a synthesized stack: give --stack${hint}`;
  }
  return `${id} is not a preset${hint}`;
}

function write(io: Io, text: string): ExitCode {
  io.stdout.write(text);
  return ExitCode.ok;
}
