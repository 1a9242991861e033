/**
 * A synthesized `cdk.tf.json` made plannable without an AWS account, the registry or the archive
 * provider: the aws provider pinned to the mirror's version with fake credentials, a local backend,
 * stand-in literals for the data sources that need AWS or the archive provider, and the
 * {@link SUBSTITUTIONS} the mirror's older provider needs. Everything else is left as synthesized.
 */
import { blocks, isRecord, record } from "../../cli/src/inventory/document";
import { interpolations, parseRef } from "../../cli/src/inventory/references";
import { STAND_INS, STOOD_IN_PROVIDERS } from "./stand-ins";
import { REMOVE, type Substitution, substitutionLabel, substitutionsFor } from "./substitutions";

export interface RewriteOptions {
  /** The mirrored hashicorp/aws version the document is pinned to. */
  readonly awsProviderVersion: string;
  /** @default the {@link SUBSTITUTIONS} rows that version needs */
  readonly substitutions?: readonly Substitution[];
}

export interface AppliedSubstitution {
  /** `aws_lambda_function.runtime nodejs24.x→nodejs22.x` */
  readonly label: string;
  /** How many resources it changed. */
  readonly count: number;
  readonly why: string;
}

export interface OfflineRewrite {
  readonly doc: Record<string, unknown>;
  readonly substitutions: readonly AppliedSubstitution[];
  /** Data sources without a stand-in, left as they are: they must read without AWS credentials. */
  readonly keptDataSources: readonly string[];
}

/** The document holds something the rewrite has no offline answer for. */
export class RewriteError extends Error {
  override readonly name = "RewriteError";
}

/** Credentials the provider accepts without calling AWS; the skips keep it from checking them. */
const OFFLINE_CREDENTIALS = {
  access_key: "AKIAPLANOFFLINE00000",
  secret_key: "plan-offline-fake-secret-key",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

/** Provider arguments that would send the provider looking for real credentials. */
const CREDENTIAL_SOURCES = [
  "profile",
  "shared_config_files",
  "shared_credentials_files",
  "token",
  "assume_role",
  "assume_role_with_web_identity",
];

const EMBEDDED_DATA_REF = /\bdata\.([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z_][A-Za-z0-9_]*))?/g;

/** Returns a rewritten copy; the synthesized document is not modified. */
export function rewriteForOfflinePlan(synthesized: unknown, options: RewriteOptions): OfflineRewrite {
  if (!isRecord(synthesized))
    throw new RewriteError("expected a parsed cdk.tf.json document (a JSON object)");
  const doc = structuredClone(synthesized);
  pinProviders(doc, options.awsProviderVersion);
  const { standIns, keptDataSources } = removeStoodInDataSources(doc);
  const rewritten = replaceStandInRefs(doc, standIns) as Record<string, unknown>;
  assertNoRefsLeft(rewritten, standIns);
  const rows = options.substitutions ?? substitutionsFor(options.awsProviderVersion);
  return {
    doc: rewritten,
    substitutions: applySubstitutions(rewritten, rows),
    keptDataSources,
  };
}

function pinProviders(doc: Record<string, unknown>, awsVersion: string): void {
  const terraform = record(doc.terraform);
  const required = record(terraform.required_providers);
  for (const name of Object.keys(required)) {
    if (name === "aws" || STOOD_IN_PROVIDERS.has(name)) continue;
    throw new RewriteError(
      `required provider "${name}" is neither mirrored nor stood in; plan:offline handles aws and ${[...STOOD_IN_PROVIDERS].join(", ")}`,
    );
  }
  doc.terraform = {
    ...terraform,
    required_providers: { aws: { source: "hashicorp/aws", version: awsVersion } },
    // The synthesized backend may be S3, which needs credentials; the work directory holds the state.
    backend: { local: { path: "terraform.tfstate" } },
  };
  const providers = { ...record(doc.provider) };
  for (const name of STOOD_IN_PROVIDERS) delete providers[name];
  if (providers.aws !== undefined) providers.aws = blocks(providers.aws).map(offlineAwsProvider);
  doc.provider = providers;
}

function offlineAwsProvider(block: Record<string, unknown>): Record<string, unknown> {
  const offline: Record<string, unknown> = { ...block, ...OFFLINE_CREDENTIALS };
  for (const argument of CREDENTIAL_SOURCES) delete offline[argument];
  return offline;
}

/** Literals by attribute, for each removed data source's address. */
type StandIns = Map<string, Readonly<Record<string, string>>>;

function removeStoodInDataSources(doc: Record<string, unknown>): {
  standIns: StandIns;
  keptDataSources: string[];
} {
  const standIns: StandIns = new Map();
  const keptDataSources: string[] = [];
  const data = { ...record(doc.data) };
  for (const [type, byId] of Object.entries(data)) {
    const standIn = Object.hasOwn(STAND_INS, type) ? STAND_INS[type] : undefined;
    for (const [id, attrs] of Object.entries(record(byId))) {
      const address = `data.${type}.${id}`;
      if (standIn) standIns.set(address, standIn(record(attrs), id));
      else keptDataSources.push(address);
    }
    if (standIn) delete data[type];
  }
  if (Object.keys(data).length > 0) doc.data = data;
  else delete doc.data;
  return { standIns, keptDataSources };
}

/** Every reference to a removed data source, whole or inside a longer string or expression, as its literal. */
function replaceStandInRefs(value: unknown, standIns: StandIns): unknown {
  if (typeof value === "string") return replaceInString(value, standIns);
  if (Array.isArray(value)) return value.map((item) => replaceStandInRefs(item, standIns));
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] =
      key === "depends_on" && Array.isArray(item)
        ? item.filter((address) => !standIns.has(String(address)))
        : replaceStandInRefs(item, standIns);
  }
  return copy;
}

function replaceInString(text: string, standIns: StandIns): string {
  let out = "";
  let last = 0;
  for (const { start, end, expression } of interpolations(text)) {
    out += text.slice(last, start);
    const whole = parseRef(expression);
    if (whole?.data && standIns.has(whole.address)) {
      out += escapeTemplate(literalFor(standIns, whole.address, whole.attribute));
    } else {
      const replaced = expression.replace(EMBEDDED_DATA_REF, (match, type, id, attribute = "") => {
        const address = `data.${type}.${id}`;
        return standIns.has(address) ? JSON.stringify(literalFor(standIns, address, attribute)) : match;
      });
      out += replaced === expression ? text.slice(start, end) : `\${${replaced}}`;
    }
    last = end;
  }
  return out + text.slice(last);
}

function literalFor(standIns: StandIns, address: string, attribute: string): string {
  const literal = standIns.get(address)?.[attribute];
  if (literal === undefined) {
    throw new RewriteError(
      `${address}.${attribute || "(whole object)"} has no offline stand-in; add the attribute to STAND_INS in scripts/plan-offline/stand-ins.ts`,
    );
  }
  return literal;
}

/** A literal placed in a Terraform string template, where `${` and `%{` would start an expression. */
function escapeTemplate(literal: string): string {
  return literal.replaceAll("${", "$${").replaceAll("%{", "%%{");
}

function assertNoRefsLeft(doc: Record<string, unknown>, standIns: StandIns): void {
  const text = JSON.stringify(doc);
  for (const address of standIns.keys()) {
    if (text.includes(address)) {
      throw new RewriteError(`${address} is still referred to where plan:offline cannot replace it`);
    }
  }
}

function applySubstitutions(
  doc: Record<string, unknown>,
  rows: readonly Substitution[],
): AppliedSubstitution[] {
  const resources = record(doc.resource);
  const applied: AppliedSubstitution[] = [];
  for (const row of rows) {
    let count = 0;
    for (const attrs of Object.values(record(resources[row.resourceType]))) {
      if (!isRecord(attrs) || !(row.attribute in attrs) || !row.applies(attrs[row.attribute])) continue;
      const replacement = row.replacement(attrs[row.attribute]);
      if (replacement === REMOVE) delete attrs[row.attribute];
      else attrs[row.attribute] = replacement;
      count++;
    }
    if (count > 0) applied.push({ label: substitutionLabel(row), count, why: row.why });
  }
  return applied;
}
