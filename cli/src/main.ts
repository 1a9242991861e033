import { createInterface } from "node:readline/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { sdkClients } from "./aws";
import { type Command, CommandError, ExitCode, type InterruptSignal, type Io, UsageError } from "./command";

/** Every command, loaded on first use: `webhooks sign` never loads the AWS SDK. */
export const COMMANDS: ReadonlyArray<{ readonly name: string; readonly summary: string; load(): Command }> = [
  {
    name: "sign",
    summary: "print the request a sender would send with a body (any preset or custom scheme)",
    load: () => (require("./commands/sign") as typeof import("./commands/sign")).signCommand,
  },
  {
    name: "verify",
    summary: "verify a request like the validator: delivery id and event type, or the exact reason",
    load: () => (require("./commands/verify") as typeof import("./commands/verify")).verifyCommand,
  },
  {
    name: "send",
    summary: "sign a body and POST it to an endpoint; print the answer",
    load: () => (require("./commands/send") as typeof import("./commands/send")).sendCommand,
  },
  {
    name: "providers",
    summary: "list the sender presets: signature, timestamp, dedupe TTL, handshakes, secret, setup",
    load: () => (require("./commands/providers") as typeof import("./commands/providers")).providersCommand,
  },
  {
    name: "status",
    summary: "look up deliveries: by webhook id, by provider and day (archive), or pending (scan)",
    load: () => (require("./commands/status") as typeof import("./commands/status")).statusCommand,
  },
  {
    name: "redrive",
    summary: "move a dead-letter queue's messages back to where they failed to go",
    load: () => (require("./commands/redrive") as typeof import("./commands/redrive")).redriveCommand,
  },
  {
    name: "replay",
    summary: "replay a provider's archived events for a time range to the bus's rules",
    load: () => (require("./commands/replay") as typeof import("./commands/replay")).replayCommand,
  },
  {
    name: "listen",
    summary: "forward a route's events from the deployed bus to a local URL (temporary rule and queue)",
    load: () => (require("./commands/listen") as typeof import("./commands/listen")).listenCommand,
  },
  {
    name: "dev",
    summary: "run the platform on this machine: the API, the real validator and router, queues and routes",
    load: () => (require("./commands/dev") as typeof import("./commands/dev")).devCommand,
  },
  {
    name: "inventory",
    summary: "list what the synthesized stack deploys, or what a change to it widens",
    load: () => (require("./commands/inventory") as typeof import("./commands/inventory")).inventoryCommand,
  },
];

const VERSION = (require("../package.json") as { version: string }).version;

function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: webhooks <command> [options]

Test, inspect and operate the webhook platform. sign, verify and send run offline with the
validator's own scheme code, and providers lists its sender presets; status, redrive, replay,
listen and inventory read the synthesized stack (cdktf.out) for resource names, and the AWS
commands use the standard AWS environment and profile. dev runs the platform on this machine
without AWS; send, status and redrive take --dev to work against it.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n")}

Run 'webhooks <command> --help' for a command's options.
Exit codes: 0 success, 1 verification or remote operation failed, 2 bad input.
`;
}

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/**
 * Runs the CLI and returns its exit code; never throws.
 *
 * @example process.exitCode = await main(["verify", "--help"])
 */
export async function main(argv: readonly string[], io?: Io): Promise<number> {
  const real = io ? undefined : processIo();
  try {
    return await dispatch(argv, io ?? real!);
  } finally {
    real?.close();
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? COMMANDS.find((command) => command.name === args[0]) : undefined;
    io.stdout.write(topic ? `${topic.load().help}\n` : globalHelp());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const entry = COMMANDS.find((command) => command.name === name);
  if (!entry) {
    io.stderr.write(`webhooks: unknown command '${name}' (see webhooks --help)\n`);
    return ExitCode.usage;
  }
  let command: Command;
  try {
    command = entry.load();
  } catch (error) {
    io.stderr.write(
      `webhooks ${name}: this command cannot load: ${(error as Error).message.split("\n")[0]}\n`,
    );
    return ExitCode.failed;
  }
  if (wantsHelp(args)) {
    io.stdout.write(`${command.help}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`webhooks ${name}: ${error.message} (see webhooks ${name} --help)\n`);
      return ExitCode.usage;
    }
    if (error instanceof CommandError) {
      io.stderr.write(`webhooks ${name}: ${error.message}\n`);
      return ExitCode.failed;
    }
    const { describeAwsError } = require("./aws") as typeof import("./aws");
    io.stderr.write(`webhooks ${name}: ${describeAwsError(error)}\n`);
    if (io.env.WEBHOOKS_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
    return ExitCode.failed;
  }
}

/** The real process: streams, environment, terminal questions, fetch and the AWS SDK; `close` destroys the clients. */
export function processIo(): Io & { close(): void } {
  const created: Array<{ destroy(): void }> = [];
  const track =
    <A, C extends { destroy(): void }>(make: (config: A) => C) =>
    (config: A): C => {
      const client = make(config);
      created.push(client);
      return client;
    };
  return {
    close() {
      for (const client of created.splice(0)) client.destroy();
    },
    stdout: {
      write: (text) => void process.stdout.write(text),
      get columns() {
        return process.stdout.isTTY ? process.stdout.columns : undefined;
      },
    },
    stderr: { write: (text) => void process.stderr.write(text) },
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    interactive: process.stdin.isTTY === true,
    async confirm(question) {
      const terminal = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await terminal.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        terminal.close();
      }
    },
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
    sleep: (ms) => sleep(ms),
    fetch: (input, init) => fetch(input, init),
    onInterrupt(handler) {
      let interrupted = false;
      const listener = (signal: InterruptSignal) => {
        if (interrupted) {
          release();
          process.kill(process.pid, signal);
          return;
        }
        interrupted = true;
        handler(signal);
      };
      const release = () => {
        process.off("SIGINT", listener);
        process.off("SIGTERM", listener);
      };
      process.on("SIGINT", listener);
      process.on("SIGTERM", listener);
      return release;
    },
    aws: {
      sqs: track(sdkClients.sqs),
      eventBridge: track(sdkClients.eventBridge),
      dynamoDb: track(sdkClients.dynamoDb),
      firehose: track(sdkClients.firehose),
      s3: track(sdkClients.s3),
    },
  };
}
