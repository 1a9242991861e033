import {
  CUSTOM_PREFIX,
  customSignsUrl,
  type PRESET_IDS,
  PRESETS,
  type PresetDefinition,
  type ProviderRuntimeConfig,
  presetById,
  presetSignsUrl,
  type SchemeFamily,
  schemeFor,
  type WebhookScheme,
} from "@webhooks/shared";
import { customPreset } from "../../../functions/shared/schemes/custom";
import { signingMaterial } from "../signing-keys";
import {
  type CodeMark,
  handshake,
  identity,
  signatureLocation,
  timestampSummary,
  verifiedBy,
} from "./describe";

/** One sender as `webhooks providers` lists it. */
export interface PresetSummary {
  /** The preset id, or `custom:<name>`. */
  readonly id: string;
  readonly name: string;
  readonly family: SchemeFamily;
  /** Where the signature (or token) is: header names, or a place in the body. */
  readonly signature: readonly string[];
  /** The signed timestamp and its tolerance, or "none". */
  readonly timestamp: string;
  /** The documented retry horizon (hours), when the sender documents one. */
  readonly horizonHours?: number;
  /** How long delivery ids are remembered unless the provider sets a TTL (hours). */
  readonly ttlHours: number;
  readonly handshakes: readonly string[];
  /** What the secret document's `secrets` list holds. */
  readonly secret: string;
  /** The sender signs the URL it calls: its providers set `publicUrl`. */
  readonly signsUrl: boolean;
  /** With a stack: the providers that use it. */
  readonly providers?: readonly string[];
}

export interface SettingSummary {
  readonly name: string;
  readonly description: string;
  readonly pattern: string;
  readonly default?: string;
  readonly required: boolean;
}

/** One sender in full, for `webhooks providers <id>`. */
export interface PresetDetails extends PresetSummary {
  readonly verifiedBy: string;
  /** Delivery id → event type, as the sources are tried. */
  readonly identity: string;
  /** The header API Gateway requires on the provider's route, if any. */
  readonly gatewayHeader?: string;
  readonly handshakeAnswers: readonly string[];
  readonly settings: readonly SettingSummary[];
  /** Where the sender takes the endpoint URL and shows the secret. */
  readonly setup?: string;
  readonly notes?: string;
  /** A provider entry of the configuration file for it. */
  readonly configExample: string;
  /** A `webhooks sign` command line for it. */
  readonly signExample: string;
  /** The preset's data, as the engine compiles it. */
  readonly definition: PresetDefinition;
}

/** A sender of the catalogue, or a stack's custom scheme, with what describing it needs. */
interface Entry {
  readonly id: string;
  readonly preset: PresetDefinition;
  readonly scheme: WebhookScheme;
  readonly signsUrl: boolean;
}

export function presetEntry(id: (typeof PRESET_IDS)[number]): Entry {
  return { id, preset: PRESETS[id], scheme: presetById(id), signsUrl: presetSignsUrl(id) };
}

/** A stack's custom scheme, from the definition its providers carry. */
export function customEntry(provider: ProviderRuntimeConfig & { readonly custom: object }): Entry {
  const { custom } = provider;
  return {
    id: provider.scheme,
    preset: customPreset(provider.scheme.slice(CUSTOM_PREFIX.length), custom),
    scheme: schemeFor(provider.scheme, custom),
    signsUrl: customSignsUrl(custom),
  };
}

/** The stack's custom schemes, one entry each (several providers may share one). */
export function customEntries(providers: readonly ProviderRuntimeConfig[]): Entry[] {
  const seen = new Map<string, Entry>();
  for (const provider of providers) {
    if (provider.custom && !seen.has(provider.scheme))
      seen.set(provider.scheme, customEntry({ ...provider, custom: provider.custom }));
  }
  return [...seen.values()];
}

export function summarize(entry: Entry, providers?: readonly ProviderRuntimeConfig[]): PresetSummary {
  const { id, preset, scheme, signsUrl } = entry;
  const { horizonHours, ttlHours } = scheme.dedupe;
  return {
    id,
    name: preset.name,
    family: preset.family,
    signature: signatureLocation(preset, scheme),
    timestamp: timestampSummary(preset, scheme),
    ...(horizonHours === undefined ? {} : { horizonHours }),
    ttlHours,
    handshakes: [...new Set((preset.handshakes ?? []).map((kind) => kind.kind))],
    secret: preset.secretNote,
    signsUrl,
    ...(providers
      ? { providers: providers.filter((provider) => provider.scheme === id).map((provider) => provider.id) }
      : {}),
  };
}

export function detail(
  entry: Entry,
  code: CodeMark,
  providers?: readonly ProviderRuntimeConfig[],
): PresetDetails {
  const { id, preset, scheme, signsUrl } = entry;
  const gatewayHeader = scheme.requiredHeader();
  return {
    ...summarize(entry, providers),
    verifiedBy: verifiedBy(preset, code),
    identity: identity(preset, code),
    ...(gatewayHeader === undefined ? {} : { gatewayHeader }),
    handshakeAnswers: (preset.handshakes ?? []).map((kind) => handshake(kind, code)),
    settings: Object.entries(preset.settings ?? {}).map(([name, setting]) => ({
      name,
      description: setting.description,
      pattern: setting.pattern,
      ...(setting.default === undefined ? {} : { default: setting.default }),
      required: setting.required === true,
    })),
    ...(preset.setup === undefined ? {} : { setup: preset.setup }),
    ...(preset.notes === undefined ? {} : { notes: preset.notes }),
    configExample: JSON.stringify({
      id: id.startsWith(CUSTOM_PREFIX) ? id.slice(CUSTOM_PREFIX.length) : id,
      scheme: id,
      ...(signsUrl ? { publicUrl: `https://<api>/webhooks/${id.replace(CUSTOM_PREFIX, "")}` } : {}),
    }),
    signExample: signExample(id, preset, signsUrl),
    definition: preset,
  };
}

function signExample(id: string, preset: PresetDefinition, signsUrl: boolean): string {
  const keys = {
    secret: ["--secret <secret>"],
    "private-key": ["--private-key key.pem"],
    paypal: ["--secret <webhook id>", "--private-key cert-key.pem", "--key-id <PAYPAL-CERT-URL>"],
    plaid: ["--private-key key.pem", "--key-id <kid>"],
  }[signingMaterial(preset)];
  return [
    "webhooks sign",
    `--scheme ${id}`,
    ...keys,
    ...(signsUrl ? ["--public-url <url>"] : []),
    "--body event.json",
  ].join(" ");
}
