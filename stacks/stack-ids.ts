import { type PlatformConfig, REGIONAL_ENVIRONMENT } from "./config";

/**
 * The environment stack's id (and `cdktf.out/stacks/<id>` folder) for a configuration. Kept apart
 * from the stacks, so the CLI can name a stack without loading cdktf and the provider.
 */
export function stackIdFor(config: Pick<PlatformConfig, "environment" | "environmentSuffix">): string {
  return ["webhooks", config.environment, config.environmentSuffix].filter((part) => part).join("-");
}

/** The regional stack's id: one per region, shared by every environment there. */
export function regionalStackIdFor(region: string): string {
  return `webhooks-${REGIONAL_ENVIRONMENT}-${region}`;
}
