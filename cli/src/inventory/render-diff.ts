import { KINDS, SECTIONS } from "./diff";
import { hanging, pack } from "./layout";
import { code, details, mdTable, text } from "./markdown";
import { DEFAULT_WIDTH } from "./render";
import type { Change, ChangeKind, ChangeSection, InventoryDiff } from "./types";

/** `text`: compact, every line at most `width` columns; `markdown`: for a pull-request comment; `json`: the diff object. */
export const DIFF_FORMATS = ["text", "markdown", "json"] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

const MARKERS: Readonly<Record<ChangeKind, string>> = {
  widened: "!",
  added: "+",
  removed: "-",
  changed: "~",
};

const TITLES: Readonly<Record<ChangeSection, string>> = {
  iam: "IAM",
  exposure: "Internet exposure",
  resources: "Resources",
  alarms: "Alarms",
  "event rules": "Event rules",
  findings: "Findings",
};

/** Changes above this many rows are collapsed in Markdown. */
const COLLAPSE_AFTER = 15;

/**
 * Renders a diff; `against` names the old document in the heading (its path).
 *
 * @example renderDiff(diffStacks(oldDoc, newDoc), "markdown", { against: "main/cdk.tf.json" })
 */
export function renderDiff(
  diff: InventoryDiff,
  format: DiffFormat,
  options: { readonly width?: number; readonly against?: string } = {},
): string {
  switch (format) {
    case "text":
      return diffText(diff, options.width ?? DEFAULT_WIDTH, options.against);
    case "markdown":
      return diffMarkdown(diff, options.against);
    case "json":
      return `${JSON.stringify(diff, null, 2)}\n`;
    default:
      throw new Error(`renderDiff: unknown format ${String(format)} (${DIFF_FORMATS.join(", ")})`);
  }
}

function countParts(diff: InventoryDiff): string[] {
  return KINDS.map((kind) => `${diff.counts[kind]} ${kind}`);
}

function stackLabel(diff: InventoryDiff): string {
  const name = diff.after || "(unnamed)";
  return diff.before && diff.before !== diff.after ? `${diff.before} → ${name}` : name;
}

/** Changes grouped by subject, in the diff's order. */
function bySubject(changes: readonly Change[]): Map<string, Change[]> {
  const groups = new Map<string, Change[]>();
  for (const change of changes) groups.set(change.subject, [...(groups.get(change.subject) ?? []), change]);
  return groups;
}

function diffText(diff: InventoryDiff, width: number, against: string | undefined): string {
  const [first, ...rest] = countParts(diff);
  const intro = `Changes to stack ${stackLabel(diff)}${against ? ` since ${against}` : ""}: ${first}`;
  const lines = pack([intro, ...rest], " · ", width);
  if (diff.changes.length === 0) {
    lines.push("No changes to resources, IAM, exposure, alarms, event rules or findings.");
    return `${lines.join("\n")}\n`;
  }
  lines.push(...pack(["! widened (review first)", "+ added", "- removed", "~ changed"], "   ", width));
  const widened = diff.changes.filter((change) => change.kind === "widened");
  const sections: Array<[string, Change[], boolean]> = [
    ["WIDENED", widened, true],
    ...SECTIONS.map((section): [string, Change[], boolean] => [
      TITLES[section].toUpperCase(),
      diff.changes.filter((change) => change.kind !== "widened" && change.section === section),
      false,
    ]),
  ];
  for (const [title, changes, labelled] of sections) {
    if (changes.length === 0) continue;
    const heading = `${title} (${changes.length})`;
    lines.push("", heading, "=".repeat(heading.length));
    for (const [subject, items] of bySubject(changes)) {
      const label = labelled ? `${items[0]!.section}: ${subject}` : subject;
      lines.push(...hanging("", label, width, 2));
      for (const change of items) {
        lines.push(...hanging(`  ${MARKERS[change.kind]} `, change.detail, width, 4));
        if (change.why) lines.push(...hanging("      why: ", change.why, width, 11));
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

function diffMarkdown(diff: InventoryDiff, against: string | undefined): string {
  const counts = countParts(diff).map((part, index) => (index === 0 && diff.widened ? `**${part}**` : part));
  const lines = [
    `## Inventory changes to ${code(stackLabel(diff))}`,
    "",
    `${counts.join(" · ")}${against ? ` (against ${code(against)})` : ""}`,
  ];
  if (diff.changes.length === 0) {
    lines.push("", "No changes to resources, IAM, exposure, alarms, event rules or findings.");
    return `${lines.join("\n")}\n`;
  }
  const widened = diff.changes.filter((change) => change.kind === "widened");
  if (widened.length > 0) {
    lines.push(
      "",
      "### Widened: review these",
      "",
      ...mdTable(
        ["Section", "Subject", "Change", "Why"],
        widened.map((change) => [
          change.section,
          code(change.subject),
          text(change.detail),
          text(change.why ?? ""),
        ]),
      ),
    );
  }
  for (const section of SECTIONS) {
    const changes = diff.changes.filter((change) => change.kind !== "widened" && change.section === section);
    if (changes.length === 0) continue;
    const table = mdTable(
      ["", "Subject", "Change"],
      changes.map((change) => [`\`${MARKERS[change.kind]}\``, code(change.subject), text(change.detail)]),
    );
    lines.push("", `### ${TITLES[section]}`, "");
    lines.push(...(changes.length > COLLAPSE_AFTER ? details(`${changes.length} changes`, table) : table));
  }
  return `${lines.join("\n")}\n`;
}
