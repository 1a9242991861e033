/**
 * Faults the plan check must catch, each injected into a copy of a rewritten stack: if Terraform
 * accepts one, a passing plan:offline says nothing about that kind of mistake.
 */
import { isRecord, record } from "../../cli/src/inventory/document";

/** Sets `attribute` of the first `resourceType` resource to `value`. */
export interface Fault {
  /** What the check must be able to detect, e.g. `a bad enum attribute value`. */
  readonly name: string;
  readonly resourceType: string;
  readonly attribute: string;
  readonly value: unknown;
  /** Text Terraform's error must contain, so a failure for another reason does not count. */
  readonly evidence: string;
}

const MISSING_ROLE = "aws_iam_role.plan_offline_missing";

export const FAULTS: readonly Fault[] = [
  {
    name: "a bad enum attribute value",
    resourceType: "aws_dynamodb_table",
    attribute: "billing_mode",
    value: "PAY_PER_LUNCH",
    evidence: "PAY_PER_LUNCH",
  },
  {
    name: "a reference to a resource that does not exist",
    resourceType: "aws_lambda_function",
    attribute: "role",
    value: `\${${MISSING_ROLE}.arn}`,
    evidence: MISSING_ROLE,
  },
];

export interface Injected {
  readonly doc: Record<string, unknown>;
  /** `aws_dynamodb_table.x.billing_mode = "PAY_PER_LUNCH"` */
  readonly where: string;
}

/** A copy of `doc` with the fault; undefined when `doc` has no resource of the fault's type. */
export function inject(fault: Fault, doc: Record<string, unknown>): Injected | undefined {
  const copy = structuredClone(doc);
  const [id, attrs] = Object.entries(record(record(copy.resource)[fault.resourceType]))[0] ?? [];
  if (id === undefined || !isRecord(attrs)) return undefined;
  attrs[fault.attribute] = fault.value;
  return {
    doc: copy,
    where: `${fault.resourceType}.${id}.${fault.attribute} = ${JSON.stringify(fault.value)}`,
  };
}
