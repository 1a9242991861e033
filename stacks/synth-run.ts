import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { SynthValidationError, synthesizeApp } from "./app";
import { ConfigError } from "./config";
import { SYNTH_FAILURE_FILE, type SynthFailure } from "./synth-failure";

/** Exit codes: a bad configuration is bad input; a failed validation or a bug fails the synth. */
export const EXIT_CODE = { ok: 0, failed: 1, badInput: 2 } as const;

export interface SynthOutput {
  log(line: string): void;
  error(line: string): void;
}

/**
 * The app command (`main.ts`): synthesizes, then prints one line per stack written
 * (`<id>: <n> resources → <file>`), or one line per problem (a stack trace only for a bug), and
 * returns the exit code.
 */
export function runSynth(
  env: NodeJS.ProcessEnv = process.env,
  output: SynthOutput = console,
  /** Called before a bug's stack trace is formatted (main.ts turns source maps on). */
  beforeTrace: () => void = () => {},
): number {
  const outdir = env.CDKTF_OUTDIR ?? "cdktf.out";
  try {
    const stacks = synthesizeApp(env);
    rmSync(join(outdir, SYNTH_FAILURE_FILE), { force: true });
    for (const { id, resources, file } of stacks)
      output.log(`${id}: ${resources} resources → ${shownPath(file)}`);
    return EXIT_CODE.ok;
  } catch (error) {
    const { lines, problems, exitCode } = failureOf(error, beforeTrace);
    mkdirSync(outdir, { recursive: true });
    const failure: SynthFailure = { at: new Date().toISOString(), problems };
    writeFileSync(join(outdir, SYNTH_FAILURE_FILE), `${JSON.stringify(failure, null, 2)}\n`);
    for (const line of lines) output.error(line);
    return exitCode;
  }
}

/** Relative to the working directory when inside it. */
function shownPath(file: string): string {
  const path = relative(process.cwd(), file);
  return path.startsWith("..") || isAbsolute(path) ? resolve(file) : path;
}

function failureOf(
  error: unknown,
  beforeTrace: () => void,
): { lines: string[]; problems: string[]; exitCode: number } {
  if (error instanceof ConfigError) {
    const problems = error.problems.map((problem) => `config: ${problem}`);
    const count = `${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}`;
    const lines = error.source ? [`config: ${error.source}: ${count}`, ...problems] : problems;
    return { lines, problems, exitCode: EXIT_CODE.badInput };
  }
  if (error instanceof SynthValidationError) {
    const problems = error.problems.map((problem) => `validation: ${problem}`);
    return { lines: problems, problems, exitCode: EXIT_CODE.failed };
  }
  // A bug: its trace (V8 formats it on first read, so after beforeTrace).
  const bug = error instanceof Error ? error : new Error(String(error));
  beforeTrace();
  return {
    lines: [bug.stack ?? String(bug)],
    problems: [`${bug.name}: ${bug.message}`],
    exitCode: EXIT_CODE.failed,
  };
}
