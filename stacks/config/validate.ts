import { checkRules } from "./rules";
import { CONFIG_FILE } from "./schema";
import { Problems } from "./shape";
import type { PlatformConfig } from "./types";

/** A configuration that cannot be synthesized: one line per problem, each naming its field. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly problems: readonly string[],
    /** Where the configuration came from, e.g. `WEBHOOK_CONFIG=prod.json`; none when each problem names it. */
    readonly source?: string,
  ) {
    super(`Invalid platform configuration${source ? ` (${source})` : ""}:\n  ${problems.join("\n  ")}`);
  }
}

/**
 * Checks shape and types (unknown keys included), then the rules between fields, and throws
 * {@link ConfigError} listing every problem; returns the configuration when there is none.
 */
export function validateConfig(config: PlatformConfig): PlatformConfig {
  const problems = new Problems();
  CONFIG_FILE.check(config, "", problems);
  checkRules(config, problems);
  if (problems.list.length > 0) throw new ConfigError(problems.lines());
  return config;
}
