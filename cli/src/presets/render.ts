import type { SchemeFamily } from "@webhooks/shared";
import { elide, fitTable, hanging, pack } from "../inventory/layout";
import { cell, lines as cellLines, code, mdTable, text } from "../inventory/markdown";
import type { PresetDetails, PresetSummary } from "./catalogue";

const FAMILY_TITLES: Readonly<Record<SchemeFamily, string>> = {
  hmac: "HMAC",
  asymmetric: "asymmetric (the secret document holds the sender's public key)",
  token: "shared secret (the request carries the secret itself)",
  code: "code modules",
};
const FAMILIES: readonly SchemeFamily[] = ["hmac", "asymmetric", "token", "code"];
/** Marks a sender that signs the URL it calls. */
const URL_MARK = "⚓";

/** What a listing shows besides the catalogue: the stack's custom schemes and where they came from. */
export interface Listing {
  readonly presets: readonly PresetSummary[];
  readonly custom?: readonly PresetSummary[];
  /** The stack the providers came from, when one was read. */
  readonly stack?: string;
}

function dedupe(summary: PresetSummary): string {
  return `${summary.horizonHours ?? "?"} → ${summary.ttlHours} h`;
}

function countByFamily(presets: readonly PresetSummary[]): string {
  return FAMILIES.map((family) => `${presets.filter((p) => p.family === family).length} ${family}`).join(
    ", ",
  );
}

/**
 * The catalogue as a table fitted to `width`, one heading per family, custom schemes after it;
 * under each row, what its secret document holds.
 */
export function renderList(listing: Listing, width: number): string {
  const withStack = listing.stack !== undefined;
  const header = ["ID", "SENDER", "SIGNATURE", "TIMESTAMP", "RETRY → TTL", ...(withStack ? ["USED BY"] : [])];
  const groups: Array<[string, readonly PresetSummary[]]> = FAMILIES.map((family) => [
    FAMILY_TITLES[family],
    listing.presets.filter((preset) => preset.family === family),
  ]);
  if (listing.custom && listing.custom.length > 0)
    groups.push([`custom schemes of ${listing.stack}`, listing.custom]);
  const rows: string[][] = [header];
  const summaries: PresetSummary[] = [];
  const headings = new Map<number, string>();
  for (const [title, members] of groups) {
    if (members.length === 0) continue;
    headings.set(rows.length, `${title} (${members.length})`);
    for (const summary of members) {
      summaries[rows.length] = summary;
      rows.push([
        summary.id,
        `${summary.name}${summary.signsUrl ? ` ${URL_MARK}` : ""}`,
        summary.signature.join("\n"),
        summary.timestamp,
        dedupe(summary),
        ...(withStack ? [summary.providers?.join(", ") || "-"] : []),
      ]);
    }
  }
  const fitted = fitTable(rows, width, "", [
    { overflow: "elide", min: Math.max(...rows.map(([id]) => id!.length)) },
    { overflow: "wrap", max: 20 },
    { overflow: "wrap", max: 24 },
    { overflow: "wrap", max: 22 },
    { overflow: "wrap", max: 12 },
    ...(withStack ? [{ overflow: "wrap" as const }] : []),
  ]);
  // Under each row, aligned with its sender: the handshakes and what the secret document holds.
  const hang = fitted[0]![0]!.indexOf("SENDER");
  const out = pack(
    [
      `${listing.presets.length} presets (${countByFamily(listing.presets)}).`,
      `${URL_MARK} signs the URL it calls: its providers set publicUrl.`,
      "RETRY → TTL: the hours the sender may resend a delivery (? when it documents none) → the hours delivery ids are kept.",
      "'webhooks providers <id>' shows one: its setup steps, settings and notes.",
    ],
    " ",
    width,
  );
  out.push("");
  fitted.forEach((row, index) => {
    const heading = headings.get(index);
    if (heading !== undefined) out.push("", elide(heading, width));
    out.push(...row);
    const summary = summaries[index];
    if (!summary) return;
    const indent = " ".repeat(hang);
    if (summary.handshakes.length > 0)
      out.push(...hanging(`${indent}handshakes: `, summary.handshakes.join(", "), width, hang + 2));
    out.push(...hanging(`${indent}secret: `, summary.secret, width, hang + 2));
  });
  return `${out.join("\n")}\n`;
}

/** One sender's details, each field a hanging paragraph fitted to `width`. */
export function renderDetails(details: PresetDetails, width: number): string {
  const fields: Array<[string, string | undefined]> = [
    ["family", FAMILY_TITLES[details.family]],
    ["verified by", details.verifiedBy],
    [
      "gateway",
      details.gatewayHeader
        ? `API Gateway requires ${details.gatewayHeader} on the route`
        : "no header required by API Gateway: the validator alone authenticates",
    ],
    ["secret", details.secret],
    ["identity", details.identity],
    [
      "dedupe",
      `retry horizon ${details.horizonHours === undefined ? "undocumented" : `${details.horizonHours} h`}; delivery ids kept ${details.ttlHours} h unless the provider sets dedupeTtlHours`,
    ],
    ["handshakes", details.handshakeAnswers.join("; ") || "none"],
    [
      "public URL",
      details.signsUrl
        ? "signed: set the provider's publicUrl to the URL exactly as configured at the sender"
        : "not signed",
    ],
    ["settings", details.settings.map(settingText).join("; ") || "none"],
    ["setup", details.setup],
    ["notes", details.notes],
    ["used by", details.providers ? details.providers.join(", ") || "no provider of the stack" : undefined],
    ["configure", details.configExample],
    ["try it", details.signExample],
  ];
  const labelWidth = Math.max(...fields.map(([label]) => label.length));
  const hang = labelWidth + 4;
  const out = [elide(`${details.id}: ${details.name}`, width)];
  for (const [label, value] of fields) {
    if (value === undefined) continue;
    out.push(...hanging(`  ${label.padEnd(labelWidth)}  `, value, width, hang));
  }
  return `${out.join("\n")}\n`;
}

function settingText(setting: PresetDetails["settings"][number]): string {
  const rules = [
    ...(setting.default === undefined ? [] : [`default ${setting.default}`]),
    ...(setting.required ? ["required"] : []),
    setting.pattern,
  ];
  return `${setting.name}: ${setting.description} (${rules.join(", ")})`;
}

/** The catalogue as GitHub-flavoured Markdown: one table per family. */
export function renderListMarkdown(listing: Listing): string {
  const withStack = listing.stack !== undefined;
  const header = [
    "id",
    "sender",
    "signature",
    "timestamp",
    "retry → TTL",
    "handshakes",
    "the secret document holds",
    ...(withStack ? ["used by"] : []),
  ];
  const section = (title: string, members: readonly PresetSummary[]) => [
    `### ${text(title)}`,
    "",
    ...mdTable(
      header,
      members.map((summary) => [
        code(summary.id),
        `${text(summary.name)}${summary.signsUrl ? ` ${URL_MARK}` : ""}`,
        cellLines(summary.signature.map(code)),
        text(summary.timestamp),
        dedupe(summary),
        cellLines(summary.handshakes.map(code)),
        cell(summary.secret),
        ...(withStack ? [cellLines((summary.providers ?? []).map(code))] : []),
      ]),
    ),
    "",
  ];
  const out = [
    `${listing.presets.length} presets (${countByFamily(listing.presets)}); ${URL_MARK} signs the URL it calls (set \`publicUrl\`).`,
    "",
  ];
  for (const family of FAMILIES) {
    const members = listing.presets.filter((preset) => preset.family === family);
    if (members.length > 0) out.push(...section(FAMILY_TITLES[family], members));
  }
  if (listing.custom && listing.custom.length > 0)
    out.push(...section(`custom schemes of ${listing.stack}`, listing.custom));
  return `${out.join("\n")}`;
}

/** One sender's details as Markdown: a heading and a field table. */
export function renderDetailsMarkdown(details: PresetDetails): string {
  const rows: Array<[string, string | undefined]> = [
    ["family", text(FAMILY_TITLES[details.family])],
    ["verified by", cell(details.verifiedBy)],
    ["gateway requires", details.gatewayHeader ? code(details.gatewayHeader) : "nothing"],
    ["the secret document holds", cell(details.secret)],
    ["delivery id → event type", cell(details.identity)],
    ["retry horizon → TTL", dedupe(details)],
    ["handshakes", cellLines(details.handshakeAnswers.map(cell), "none")],
    ["public URL", details.signsUrl ? "signed: set `publicUrl`" : "not signed"],
    [
      "settings",
      cellLines(
        details.settings.map((setting) => text(settingText(setting))),
        "none",
      ),
    ],
    ["setup", details.setup === undefined ? undefined : cell(details.setup)],
    ["notes", details.notes === undefined ? undefined : cell(details.notes)],
    ["used by", details.providers ? cellLines(details.providers.map(code), "none") : undefined],
    ["configure", code(details.configExample)],
    ["try it", code(details.signExample)],
  ];
  return [
    `### ${code(details.id)} ${text(details.name)}`,
    "",
    ...mdTable(
      ["field", "value"],
      rows.filter((row): row is [string, string] => row[1] !== undefined),
    ),
    "",
  ].join("\n");
}
