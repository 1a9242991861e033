import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type Io, UsageError } from "./command";

/**
 * `node:util` parseArgs in strict mode, its errors turned into one-line {@link UsageError}s that
 * name the option.
 *
 * @example const { values } = parseCommandLine(args, { secret: { type: "string", multiple: true } })
 */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig["options"]>>(
  args: readonly string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(parseErrorMessage(error));
  }
}

/**
 * `--tolerance -5` → `--tolerance=-5`: parseArgs refuses a value that starts with a dash as
 * ambiguous, but no option here is a digit, so a negative number is the option's value and the
 * option's own check can name its range.
 */
function joinNegativeValues(args: readonly string[], options: NonNullable<ParseArgsConfig["options"]>) {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--") {
      joined.push(...args.slice(index));
      break;
    }
    const next = args[index + 1];
    const option = arg.startsWith("--") ? options[arg.slice(2)] : undefined;
    if (option?.type === "string" && next !== undefined && /^-[0-9]/.test(next)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

function parseErrorMessage(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = message ?? String(error);
  const quoted = /'([^']+)'/.exec(text)?.[1];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted ?? text}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      // "Option '--secret <value>' argument missing" or "... argument is ambiguous ...".
      const option = quoted?.split(" ")[0] ?? text;
      if (/ambiguous/.test(text))
        return `${option} needs a value (one starting with '-' goes as ${option}=-…)`;
      return /missing/.test(text) ? `${option} needs a value` : `${option}: ${text}`;
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${quoted ? `'${quoted}'` : text}`;
    default:
      return text;
  }
}

/** The option's value, or a usage error naming it. */
export function required<T>(value: T | undefined, option: string): T {
  if (value === undefined || value === "") throw new UsageError(`--${option} is required`);
  return value;
}

/** An integer option in `min..max`; undefined when not given. */
export function integerOption(
  value: string | undefined,
  option: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${option} must be an integer in ${min}..${max}, got '${value}'`);
  }
  return Number(value);
}

/** One of the listed values; undefined when not given. */
export function choiceOption<const C extends string>(
  value: string | undefined,
  option: string,
  choices: readonly C[],
): C | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${option} must be one of ${choices.join(", ")}, got '${value}'`);
  }
  return value as C;
}

/**
 * The bytes of a file, or of standard input for `-`, exactly as stored (no newline added or removed).
 * A file that cannot be read is a usage error naming the option.
 */
export async function readInput(spec: string, option: string, io: Io): Promise<Buffer> {
  if (spec === "-") return io.readStdin();
  const path = resolve(io.cwd, spec);
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(error);
    throw new UsageError(`--${option}: cannot read ${spec}: ${why}`);
  }
}

/** The body from `--body <file|->` or `--data <text>` (exactly one of them). */
export async function readBody(
  values: { body?: string | undefined; data?: string | undefined },
  io: Io,
): Promise<Buffer> {
  if (values.body !== undefined && values.data !== undefined) {
    throw new UsageError("--body and --data are exclusive: give the body one way");
  }
  if (values.data !== undefined) return Buffer.from(values.data, "utf8");
  return readInput(required(values.body, "body"), "body", io);
}

/** Secrets from `--secret` (repeatable) and `--secret-file` (one per line), in that order. */
export async function readSecrets(
  values: { secret?: string[] | undefined; "secret-file"?: string | undefined },
  io: Io,
): Promise<string[]> {
  const secrets = [...(values.secret ?? [])];
  const file = values["secret-file"];
  if (file !== undefined) {
    const text = (await readInput(file, "secret-file", io)).toString("utf8");
    secrets.push(
      ...text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== ""),
    );
  }
  if (secrets.length === 0) throw new UsageError("--secret is required (or --secret-file)");
  return secrets;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `Name: value` → [name as written, value trimmed]; `option` names the source in errors. */
export function parseHeaderLine(line: string, option: string): [string, string] {
  const colon = line.indexOf(":");
  const name = colon === -1 ? "" : line.slice(0, colon).trim();
  if (!TOKEN.test(name)) throw new UsageError(`${option}: '${line}' is not a 'Name: value' header line`);
  return [name, line.slice(colon + 1).trim()];
}

/**
 * Header lines from a file: a JSON object (string or string-array values) or `Name: value` lines,
 * as `webhooks sign` prints them or `curl -D` saves them (a status line and blank lines are skipped).
 */
export function parseHeaderDocument(text: string, option: string): Array<[string, string]> {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new UsageError(`${option}: starts with '{' but is not valid JSON`);
    }
    const headers: Array<[string, string]> = [];
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value];
      for (const item of values) {
        if (typeof item !== "string" || !TOKEN.test(name)) {
          throw new UsageError(`${option}: header ${name} must have a string value`);
        }
        headers.push([name, item]);
      }
    }
    return headers;
  }
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "" && !/^HTTP\/\d/.test(line))
    .map((line) => parseHeaderLine(line, option));
}
