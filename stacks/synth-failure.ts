/**
 * The marker a failed synth leaves in the output directory (`<outdir>/synth-failed.json`, a
 * {@link SynthFailure}); the next successful synth deletes it. The CLI warns when it is newer than
 * the stack it reads: that stack is not what the current code and configuration synthesize.
 * (Its own module: the CLI reads it without loading cdktf.)
 */
export const SYNTH_FAILURE_FILE = "synth-failed.json";

/** What {@link SYNTH_FAILURE_FILE} holds. */
export interface SynthFailure {
  /** ISO 8601 time of the failure. */
  readonly at: string;
  /** The stack the synth was for, when the configuration got that far. */
  readonly stack?: string;
  /** One line per problem, e.g. `config: limits.dedupeTtlHours: expected an integer ≥ 72 …`. */
  readonly problems: readonly string[];
}
