import { formatCondition } from "./policies";
import type { AlarmEntry, BucketExposure, Inventory, RoleEntry, Statement, Throttle } from "./types";

/** What every rendering shares: section titles, the summary line, and short readable forms. */

export const SECTION_TITLES = {
  resources: "RESOURCES",
  roles: "IAM PERMISSIONS BY ROLE",
  resourcePolicies: "RESOURCE POLICIES",
  invokers: "WHO MAY INVOKE EACH FUNCTION",
  exposure: "INTERNET EXPOSURE",
  alarms: "ALARMS",
  eventRules: "EVENT RULES",
  findings: "FINDINGS",
} as const;

/** `1 statement`, `7 statements`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export function title(inventory: Inventory): string {
  return `Inventory of stack ${inventory.stack || "(unnamed)"}${inventory.region ? ` (region ${inventory.region})` : ""}`;
}

/** The counts under the title: `154 resources + 6 data sources`, `5 IAM roles`, … */
export function summaryParts(inventory: Inventory): string[] {
  const warnings = inventory.findings.filter((f) => f.severity === "warning").length;
  const notes = inventory.findings.length - warnings;
  const routes = inventory.exposure.restApis.reduce((sum, api) => sum + api.routes.length, 0);
  const data = inventory.resources.filter((r) => r.mode === "data").length;
  return [
    `${plural(inventory.resources.length - data, "resource")} + ${plural(data, "data source")}`,
    plural(inventory.iam.roles.length, "IAM role"),
    plural(inventory.iam.resourcePolicies.length, "resource policy").replace(/policys$/, "policies"),
    plural(routes, "public API route"),
    plural(inventory.alarms.length, "alarm"),
    plural(inventory.eventRules.length, "event rule"),
    `${plural(warnings, "warning")}, ${plural(notes, "note")}`,
  ];
}

/** A Terraform address followed by the resource's name: `aws_sqs_queue.ingest_queue_D9C6414A (whk-dev-ingest)`. */
const ADDRESS_WITH_NAME = /\b(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+ \(([^()]+)\)/g;

/**
 * Readable text with each `address (name)` shortened to the name: what the compact and Markdown
 * views print, and what a diff compares (logical ids change when constructs move; names do not).
 *
 * @example shortRefs("aws_s3_bucket.payloads_bucket_ACCC7F92 (whk-dev-payloads)/payloads/*") // "whk-dev-payloads/payloads/*"
 */
export function shortRefs(text: string): string {
  return text.replace(ADDRESS_WITH_NAME, "$1");
}

/** `lambda_function whk-dev-validator` for `aws_lambda_function.x (whk-dev-validator)`. */
export function kindAndName(readable: string): string {
  const match = /^(?:data\.)?(?:aws_)?([a-z][a-z0-9_]*)\.[A-Za-z0-9_-]+ \(([^()]+)\)$/.exec(readable);
  return match ? `${match[1]} ${match[2]}` : readable;
}

export function throttleText(throttle: Throttle | undefined): string {
  if (!throttle) return "account defaults";
  return [
    throttle.rateLimit !== undefined && `${throttle.rateLimit} req/s`,
    throttle.burstLimit !== undefined && `burst ${throttle.burstLimit}`,
  ]
    .filter(Boolean)
    .join(", ");
}

/** When the alarm fires: `> 0 in 2 of 3 periods of 300 s`; `composite rule` for composite alarms. */
export function alarmCondition(alarm: AlarmEntry): string {
  if (alarm.comparison === undefined) return "composite rule";
  const threshold = alarm.threshold === undefined ? "band" : String(alarm.threshold);
  const periods = alarm.evaluationPeriods ?? 1;
  const of = `${alarm.datapointsToAlarm ?? periods} of ${periods}`;
  const period = alarm.periodSeconds === undefined ? "periods" : `periods of ${alarm.periodSeconds} s`;
  return `${alarm.comparison} ${threshold} in ${of} ${period}`;
}

/** The actions, resources and conditions of a statement as one phrase: `sqs:SendMessage on q if …`. */
export function statementPhrase(statement: Statement): string {
  const actions = `${statement.notActions ? "every action except " : ""}${statement.actions.join(", ")}`;
  const resources =
    statement.resources.length === 0
      ? ""
      : ` on ${statement.notResources ? "everything except " : ""}${statement.resources.join(", ")}`;
  const conditions =
    statement.conditions.length === 0 ? "" : ` if ${statement.conditions.map(formatCondition).join("; ")}`;
  return `${actions}${resources}${conditions}`;
}

/** Distinct actions a role's policies allow or deny (trust excluded). */
export function roleActionCount(role: RoleEntry): { actions: number; statements: number } {
  const statements = role.policies.flatMap((policy) => policy.statements);
  return {
    actions: new Set(statements.flatMap((statement) => statement.actions)).size,
    statements: statements.length,
  };
}

/** `all four on`, `off: restrictPublicBuckets`, `account-level block only`, or `NONE`. */
export function publicAccessBlockText(bucket: BucketExposure): string {
  const off = Object.entries(bucket.blocks)
    .filter(([, on]) => !on)
    .map(([flag]) => flag);
  if (!bucket.publicAccessBlock) return off.length === 0 ? "account-level block only" : "NONE";
  return off.length === 0 ? "all four on" : `off: ${off.join(", ")}`;
}
