import { type Analysis, analyze } from "./build";
import { exposureChanges } from "./diff-exposure";
import { iamChanges } from "./diff-iam";
import { alarmChanges, eventRuleChanges } from "./diff-monitoring";
import { compareText, isRecord } from "./document";
import { shortRefs } from "./render-common";
import type { Change, ChangeKind, ChangeSection, InventoryDiff } from "./types";

/**
 * What changes from one synthesized document to another: resources added, removed and changed,
 * IAM grants and internet exposure added, removed and widened, alarm thresholds and event patterns
 * changed, findings new and resolved. Resources are matched by type and physical name (so moving a
 * construct, which changes logical ids, is no change), else by address; references inside
 * attributes are compared by the names they point at. Pure, like the inventory.
 *
 * @example diffStacks(JSON.parse(readFileSync("old/cdk.tf.json", "utf8")), currentDocument).widened
 */
export function diffStacks(beforeDoc: unknown, afterDoc: unknown): InventoryDiff {
  const before = analyze(beforeDoc);
  const after = analyze(afterDoc);
  const changes = [
    ...resourceChanges(before, after),
    ...iamChanges(before.inventory, after.inventory),
    ...exposureChanges(before.inventory, after.inventory),
    ...alarmChanges(before.inventory.alarms, after.inventory.alarms),
    ...eventRuleChanges(before.inventory.eventRules, after.inventory.eventRules),
    ...findingChanges(before, after),
  ];
  const sorted = changes
    .map((change, index) => ({ change, index }))
    .sort(
      (a, b) =>
        Number(b.change.kind === "widened") - Number(a.change.kind === "widened") ||
        SECTIONS.indexOf(a.change.section) - SECTIONS.indexOf(b.change.section) ||
        compareText(a.change.subject, b.change.subject) ||
        KINDS.indexOf(a.change.kind) - KINDS.indexOf(b.change.kind) ||
        a.index - b.index,
    )
    .map(({ change }) => change);
  const counts = Object.fromEntries(
    KINDS.map((kind) => [kind, sorted.filter((change) => change.kind === kind).length]),
  ) as Record<ChangeKind, number>;
  return {
    before: before.inventory.stack,
    after: after.inventory.stack,
    widened: counts.widened > 0,
    counts,
    changes: sorted,
  };
}

export const SECTIONS: readonly ChangeSection[] = [
  "iam",
  "exposure",
  "resources",
  "alarms",
  "event rules",
  "findings",
];
export const KINDS: readonly ChangeKind[] = ["widened", "added", "removed", "changed"];

/** `sqs_queue`, `data.archive_file`. */
function typeLabel(entry: { mode: string; type: string }): string {
  return `${entry.mode === "data" ? "data." : ""}${entry.type.replace(/^aws_/, "")}`;
}

/** Each entry's identity across documents: type and physical name when that is unique, else its address. */
function identities(analysis: Analysis): Map<string, string> {
  const byIdentity = new Map<string, string[]>();
  for (const entry of analysis.model.doc.entries) {
    const name = analysis.model.name(entry.address);
    const identity = name ? `${typeLabel(entry)} ${name}` : entry.address;
    byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), entry.address]);
  }
  const result = new Map<string, string>();
  for (const [identity, addresses] of byIdentity) {
    for (const address of addresses) result.set(address, addresses.length === 1 ? identity : address);
  }
  return result;
}

function resourceChanges(before: Analysis, after: Analysis): Change[] {
  const oldIds = identities(before);
  const nowIds = identities(after);
  const oldByIdentity = new Map([...oldIds].map(([address, identity]) => [identity, address]));
  const matched = new Set<string>();
  const changes: Change[] = [];
  for (const entry of after.model.doc.entries) {
    const identity = nowIds.get(entry.address)!;
    const candidate =
      oldByIdentity.get(identity) ?? (before.model.doc.get(entry.address) ? entry.address : undefined);
    const old =
      candidate !== undefined && !matched.has(candidate) ? before.model.doc.get(candidate) : undefined;
    if (!old) {
      changes.push({ kind: "added", section: "resources", subject: identity, detail: "added" });
      continue;
    }
    matched.add(old.address);
    const attributes = [...new Set([...Object.keys(old.attrs), ...Object.keys(entry.attrs)])].sort();
    const differences = attributes.flatMap((attribute) => {
      const a = normalized(old.attrs[attribute], before);
      const b = normalized(entry.attrs[attribute], after);
      return stable(a) === stable(b) ? [] : [attributeChange(attribute, a, b)];
    });
    if (differences.length > 0) {
      changes.push({
        kind: "changed",
        section: "resources",
        subject: identity,
        detail: differences.join("; "),
      });
    }
  }
  for (const entry of before.model.doc.entries) {
    if (!matched.has(entry.address)) {
      changes.push({
        kind: "removed",
        section: "resources",
        subject: oldIds.get(entry.address)!,
        detail: "removed",
      });
    }
  }
  return changes;
}

/** The value with every reference made readable and shortened to the name it points at. */
function normalized(value: unknown, analysis: Analysis): unknown {
  if (typeof value === "string") return shortRefs(analysis.model.resolver.text(value));
  if (Array.isArray(value)) return value.map((item) => normalized(item, analysis));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalized(item, analysis)]));
  }
  return value;
}

/** JSON with object keys sorted: equal values, equal text. */
function stable(value: unknown): string {
  return (
    JSON.stringify(value, (_key, item: unknown) =>
      isRecord(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => compareText(a, b))) : item,
    ) ?? "undefined"
  );
}

/** `timeout 10 → 30`, `environment` (too long to show), `tags added`. */
function attributeChange(attribute: string, before: unknown, after: unknown): string {
  if (before === undefined) return `${attribute} added${short(after) ? ` (${short(after)})` : ""}`;
  if (after === undefined) return `${attribute} removed`;
  const a = short(before);
  const b = short(after);
  return a !== undefined && b !== undefined ? `${attribute} ${a} → ${b}` : attribute;
}

function short(value: unknown): string | undefined {
  if (typeof value === "object" && value !== null) return undefined;
  const text = JSON.stringify(value);
  return text.length <= 40 ? text : undefined;
}

function findingChanges(before: Analysis, after: Analysis): Change[] {
  const oldIds = identities(before);
  const nowIds = identities(after);
  const keyed = (analysis: Analysis, ids: Map<string, string>) =>
    new Map(
      analysis.inventory.findings.map((finding) => {
        const subject = ids.get(finding.subject) ?? shortRefs(finding.subject);
        const message = shortRefs(finding.message);
        return [
          `${finding.severity} ${finding.section} ${subject} ${message}`,
          { finding, subject, message },
        ];
      }),
    );
  const old = keyed(before, oldIds);
  const now = keyed(after, nowIds);
  return [
    ...[...now]
      .filter(([key]) => !old.has(key))
      .map(
        ([, item]): Change => ({
          kind: "added",
          section: "findings",
          subject: item.subject,
          detail: `new ${item.finding.severity}: ${item.message}`,
        }),
      ),
    ...[...old]
      .filter(([key]) => !now.has(key))
      .map(
        ([, item]): Change => ({
          kind: "removed",
          section: "findings",
          subject: item.subject,
          detail: `resolved ${item.finding.severity}: ${item.message}`,
        }),
      ),
  ];
}
