import { ConfigError } from "../../stacks/config";

/** The problem lines a failing call throws (ConfigError); none when it succeeds. */
export function problemsOf(call: () => unknown): string[] {
  try {
    call();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}
