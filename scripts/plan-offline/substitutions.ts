/**
 * Values the synthesized stacks may hold that an older hashicorp/aws provider (the offline mirror's)
 * rejects. Each row rewrites one resource attribute to the nearest value the older provider reads,
 * so `terraform validate` and `plan` check everything else; adding a case is adding a row.
 */

/** The attribute is deleted. */
export const REMOVE = Symbol("remove");

export interface Substitution {
  readonly resourceType: string;
  readonly attribute: string;
  /** Whether this attribute value needs the substitution. */
  readonly applies: (value: unknown) => boolean;
  readonly replacement: (value: unknown) => unknown | typeof REMOVE;
  /** How the report names the change, e.g. `nodejs24.x→nodejs22.x`. */
  readonly change: string;
  /**
   * The oldest provider release known to accept the value: the row applies to mirrors older than
   * it. 6.25.0 is the release the stacks are generated for; lower it when an older one is confirmed.
   */
  readonly acceptedSince: string;
  readonly why: string;
}

const NODEJS_24 = "nodejs24.x";
const NODEJS_22 = "nodejs22.x";
/** SQS's message size limit before August 2025, the most 5.x providers accept. */
const SQS_MAX_MESSAGE_SIZE_5X = 262_144;

export const SUBSTITUTIONS: readonly Substitution[] = [
  {
    resourceType: "aws_lambda_function",
    attribute: "runtime",
    applies: (value) => value === NODEJS_24,
    replacement: () => NODEJS_22,
    change: `${NODEJS_24}→${NODEJS_22}`,
    acceptedSince: "6.25.0",
    why: "5.x providers validate runtime against an enum without nodejs24.x",
  },
  {
    resourceType: "aws_lambda_layer_version",
    attribute: "compatible_runtimes",
    applies: (value) => Array.isArray(value) && value.includes(NODEJS_24),
    replacement: (value) =>
      (value as unknown[]).map((runtime) => (runtime === NODEJS_24 ? NODEJS_22 : runtime)),
    change: `${NODEJS_24}→${NODEJS_22}`,
    acceptedSince: "6.25.0",
    why: "5.x providers validate compatible_runtimes against an enum without nodejs24.x",
  },
  {
    resourceType: "aws_sqs_queue",
    attribute: "max_message_size",
    applies: (value) => typeof value === "number" && value > SQS_MAX_MESSAGE_SIZE_5X,
    replacement: () => SQS_MAX_MESSAGE_SIZE_5X,
    change: `>${SQS_MAX_MESSAGE_SIZE_5X}→${SQS_MAX_MESSAGE_SIZE_5X}`,
    acceptedSince: "6.25.0",
    why: "5.x providers cap max_message_size at 256 KiB; SQS accepts 1 MiB since August 2025",
  },
  {
    resourceType: "aws_cloudwatch_event_archive",
    attribute: "kms_key_identifier",
    applies: () => true,
    replacement: () => REMOVE,
    change: "removed",
    acceptedSince: "6.25.0",
    why: "5.x providers have no kms_key_identifier argument on event archives",
  },
];

/** The rows a provider of `version` needs: those whose value it is older than. */
export function substitutionsFor(
  version: string,
  table: readonly Substitution[] = SUBSTITUTIONS,
): Substitution[] {
  return table.filter((row) => compareVersions(version, row.acceptedSince) < 0);
}

/** Orders dotted release numbers numerically: 5.100.0 < 6.25.0, 5.99.0 < 5.100.0. */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** A row's name in reports: `aws_lambda_function.runtime nodejs24.x→nodejs22.x`. */
export function substitutionLabel(row: Substitution): string {
  return `${row.resourceType}.${row.attribute} ${row.change}`;
}
