import {
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  DescribeReplayCommand,
  type DescribeReplayCommandOutput,
  DescribeRuleCommand,
  type EventBridgeClient,
  StartReplayCommand,
} from "@aws-sdk/client-eventbridge";
import { parseCommandLine, required } from "../args";
import { AWS_HELP, AWS_OPTIONS, confirmAction, resolveAws } from "../aws";
import { type Command, CommandError, ExitCode, UsageError } from "../command";
import { compilePattern, patternProblems } from "../event-pattern";
import { fromStack, loadStack, providerOf, type StackModel, type StackRule } from "../stack";

const WATCH_INTERVAL_MS = 10_000;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
/** EventBridge replay names: 1-64 of [.-_A-Za-z0-9]. */
const REPLAY_NAME_MAX = 64;
const DONE = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

export const replayCommand: Command = {
  name: "replay",
  summary: "replay a provider's archived events for a time range to the bus's rules",
  help: `Usage: webhooks replay --provider <id> --from <ISO 8601> --to <ISO 8601> [--rule <name>]... [--yes]

Starts an EventBridge replay from the platform's archive to its bus (StartReplay), limited to the
rules whose event pattern matches the provider's events (source webhooks.<provider>): those are the
replay's FilterArns. EventBridge filters a replay by time and rule only: a rule that also matches
other providers receives their archived events of that range too (the command warns).
  --provider <id>        a provider of the stack
  --from <time>          start, ISO 8601 with Z or an offset (2025-01-31T09:00:00Z), or a UTC
                         date (2025-01-31 = midnight UTC)
  --to <time>            end, the same forms; after --from and not in the future
  --rule <name>          replay to this rule only (repeatable): a route id or a rule name; it
                         must match the provider
  --include-archive      also replay to the catch-all archive rule, with or without --rule (copies
                         the events into the S3 payload archive a second time; left out by default)
  --watch                poll the replay every 10 s until it ends
  --yes, -y              start without asking (required when standard input is not a terminal)

${AWS_HELP}

Examples:
  webhooks replay --provider stripe --from 2025-01-31T09:00:00Z --to 2025-01-31T10:30:00Z
  webhooks replay --provider github --from 2025-01-30 --to 2025-01-31 --rule deploys --yes --watch`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      ...AWS_OPTIONS,
      yes: { type: "boolean", short: "y" },
      provider: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      rule: { type: "string", multiple: true },
      "include-archive": { type: "boolean" },
      watch: { type: "boolean" },
    });
    const providerId = required(values.provider, "provider");
    const from = parseTime(required(values.from, "from"), "from");
    const to = parseTime(required(values.to, "to"), "to");
    const nowMs = io.now();
    if (to.getTime() > nowMs) throw new UsageError(`--to ${to.toISOString()} is in the future`);
    if (from.getTime() >= to.getTime()) throw new UsageError("--from must be before --to");

    const stack = loadStack(values, io);
    providerOf(stack, providerId);
    const busName = fromStack(stack.busName, "event bus", stack);
    const archiveName = fromStack(stack.archiveName, "event archive", stack);
    const source = `${stack.eventSourcePrefix}.${providerId}`;
    const { rules, warnings } = chooseRules(stack, source, values.rule, values["include-archive"] ?? false);
    if (stack.archiveRetentionDays !== undefined) {
      const oldest = nowMs - stack.archiveRetentionDays * 86_400_000;
      if (from.getTime() < oldest) {
        warnings.push(
          `--from is older than the archive's ${stack.archiveRetentionDays}-day retention: events before ${new Date(oldest).toISOString()} are gone`,
        );
      }
    }

    const aws = resolveAws(values, stack, io.env, `archive ${archiveName}`);
    if (aws.warning) io.stderr.write(`${aws.warning}\n`);
    const events = io.aws.eventBridge(aws.config);
    const archive = await events.send(new DescribeArchiveCommand({ ArchiveName: archiveName }));
    if (!archive.ArchiveArn) throw new CommandError(`DescribeArchive returned no ARN for ${archiveName}`);
    const busArn = archive.EventSourceArn ?? (await busArnOf(events, busName));
    const ruleArns: string[] = [];
    for (const rule of rules) {
      const { Arn } = await events.send(new DescribeRuleCommand({ Name: rule.name, EventBusName: busName }));
      if (!Arn) throw new CommandError(`DescribeRule returned no ARN for ${rule.name}`);
      ruleArns.push(Arn);
    }
    const replayName = replayNameFor(archiveName, providerId, nowMs);

    io.stdout.write(
      [
        `Replay ${source} events archived ${from.toISOString()} … ${to.toISOString()}`,
        `  archive: ${archiveName} (${archive.State ?? "state unknown"}, ${archive.EventCount ?? "?"} events, ${archive.RetentionDays ?? "?"}-day retention)`,
        `  to bus:  ${busArn}`,
        `  rules:   ${rules.map((rule) => rule.name).join(", ")}`,
        `  name:    ${replayName}`,
        `  region:  ${aws.regionNote}`,
        ...warnings.map((warning) => `  warning: ${warning}`),
        "",
      ].join("\n"),
    );
    const refused = await confirmAction(values.yes, `Start replay ${replayName}?`, "replay", io);
    if (refused !== undefined) return refused;

    const started = await events.send(
      new StartReplayCommand({
        ReplayName: replayName,
        Description: `webhooks replay --provider ${providerId}`,
        EventSourceArn: archive.ArchiveArn,
        EventStartTime: from,
        EventEndTime: to,
        Destination: { Arn: busArn, FilterArns: ruleArns },
      }),
    );
    io.stdout.write(`started replay ${replayName}: ${started.State ?? "STARTING"}\n`);
    let replay = await events.send(new DescribeReplayCommand({ ReplayName: replayName }));
    io.stdout.write(`${describeReplay(replay)}\n`);
    while (values.watch && !DONE.has(replay.State ?? "")) {
      await io.sleep(WATCH_INTERVAL_MS);
      replay = await events.send(new DescribeReplayCommand({ ReplayName: replayName }));
      io.stdout.write(`${describeReplay(replay)}\n`);
    }
    return replay.State === "FAILED" || replay.State === "CANCELLED" ? ExitCode.failed : ExitCode.ok;
  },
};

/** A time from `--from`/`--to`: ISO 8601 with a zone, or a date (UTC midnight). */
export function parseTime(value: string, option: string): Date {
  const date = ISO_8601.test(value)
    ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value)
    : undefined;
  // Date parsing rolls 2025-02-30 over to March: the calendar date must exist as written.
  const [year, month, day] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const exists = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  if (!date || Number.isNaN(date.getTime()) || !exists) {
    throw new UsageError(
      `--${option} must be ISO 8601 with Z or an offset (2025-01-31T09:00:00Z) or a date (2025-01-31), got '${value}'`,
    );
  }
  return date;
}

/**
 * Whether an EventBridge pattern's `source` matches events of `source`, by the CLI's pattern
 * matcher; "maybe" when that part of the pattern uses something the matcher cannot evaluate.
 */
export function sourceMatches(
  pattern: Record<string, unknown> | undefined,
  source: string,
): "yes" | "no" | "maybe" {
  if (pattern?.source === undefined) return "yes";
  const sourceOnly = { source: pattern.source };
  if (patternProblems(sourceOnly).length > 0) return "maybe";
  return compilePattern(sourceOnly).matches({ source }) ? "yes" : "no";
}

/** The rules to replay to, and warnings about what else they receive. */
export function chooseRules(
  stack: StackModel,
  source: string,
  wanted: readonly string[] | undefined,
  includeArchive: boolean,
): { rules: StackRule[]; warnings: string[] } {
  const warnings: string[] = [];
  const matching = stack.rules.filter((rule) => sourceMatches(rule.eventPattern, source) !== "no");
  const archiveRules = matching.filter((rule) => rule.archiveOnly);
  let rules: StackRule[];
  if (wanted && wanted.length > 0) {
    rules = wanted.map((name) => {
      const rule = stack.rules.find(
        (candidate) => candidate.name === name || candidate.name.endsWith(`-route-${name}`),
      );
      if (!rule) {
        throw new UsageError(
          `--rule: ${name} is not a rule on the bus (${stack.rules.map((r) => r.name).join(", ")})`,
        );
      }
      if (!matching.includes(rule))
        throw new UsageError(`--rule: ${rule.name} does not match ${source} events`);
      return rule;
    });
    if (includeArchive) rules.push(...archiveRules.filter((rule) => !rules.includes(rule)));
  } else {
    rules = matching.filter((rule) => includeArchive || !rule.archiveOnly);
  }
  if (includeArchive && archiveRules.length === 0) {
    throw new UsageError(`--include-archive: no archive rule on the bus matches ${source} events`);
  }
  if (rules.length === 0) {
    const archiveNote =
      archiveRules.length > 0
        ? " (only the catch-all archive rule does: --include-archive replays to it)"
        : "";
    throw new CommandError(
      `no rule on the bus matches ${source} events: a replay would reach nothing${archiveNote}`,
    );
  }
  const otherSources = stack.providers
    .map((provider) => `${stack.eventSourcePrefix}.${provider.id}`)
    .filter((other) => other !== source);
  for (const rule of rules) {
    if (sourceMatches(rule.eventPattern, source) === "maybe") {
      warnings.push(
        `rule ${rule.name}: its source pattern uses operators not checked here; it may not match ${source}`,
      );
    }
    const also = otherSources.filter((other) => sourceMatches(rule.eventPattern, other) !== "no");
    if (also.length > 0) {
      warnings.push(
        `rule ${rule.name} also matches ${also.join(", ")}: their archived events in this range are replayed to it too`,
      );
    }
  }
  return { rules, warnings };
}

/** `<archive>-<provider>-<yyyymmddThhmmss>`, cut to EventBridge's 64 characters. */
export function replayNameFor(archiveName: string, provider: string, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, "").slice(0, 15);
  const tail = `-${provider}-${stamp}`;
  return `${archiveName.slice(0, Math.max(1, REPLAY_NAME_MAX - tail.length))}${tail}`.slice(
    0,
    REPLAY_NAME_MAX,
  );
}

async function busArnOf(events: EventBridgeClient, busName: string): Promise<string> {
  const { Arn } = await events.send(new DescribeEventBusCommand({ Name: busName }));
  if (!Arn) throw new CommandError(`DescribeEventBus returned no ARN for ${busName}`);
  return Arn;
}

function describeReplay(replay: DescribeReplayCommandOutput): string {
  const reason = replay.StateReason ? `: ${replay.StateReason}` : "";
  const last = replay.EventLastReplayedTime
    ? ` (last replayed event ${replay.EventLastReplayedTime.toISOString()})`
    : "";
  return `status: ${replay.State ?? "unknown"}${reason}${last}`;
}
