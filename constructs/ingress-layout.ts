import { GENERIC_ENDPOINT_ID } from "@webhooks/shared";
import type { PlatformConfig } from "../stacks/config";
import type { PathRateLimit, WebAclStatementsProps } from "./web-acl-rules";

// What the configuration alone decides of the ingress's shape: its API paths and its WAF rules'
// inputs. Pure: the Ingress construct builds from these, and the configuration rules count
// resources and capacity from the same functions without loading cdktf.

/** Where webhooks arrive: `POST /webhooks/<provider>` for each provider (and its handshake's GET or HEAD). */
export const PROVIDER_PATH_PARENT = "webhooks";

/** A provider's endpoint path as segments: `["webhooks", "<id>"]`. */
export function providerPath(providerId: string): string[] {
  return [PROVIDER_PATH_PARENT, providerId];
}

/** Every endpoint path of the API: one per provider, then the generic route `/webhook`. */
export function endpointPaths(providers: PlatformConfig["providers"]): string[][] {
  return [...providers.map((provider) => providerPath(provider.id)), [GENERIC_ENDPOINT_ID]];
}

/**
 * The API Gateway resources endpoints at these paths need: the root `/`, and one per distinct path
 * and parent path (`/webhooks` once for every provider). What counts against the REST API's
 * "Resources per API" quota; a sender's GET or HEAD handshake is a method on its path's resource
 * and adds none.
 */
export function restApiResourceCount(paths: readonly (readonly string[])[]): number {
  const resources = new Set<string>();
  for (const path of paths) {
    for (let length = 1; length <= path.length; length++) resources.add(path.slice(0, length).join("/"));
  }
  return 1 + resources.size;
}

/** The inputs of the web ACL's rules: the default per-IP limit, the providers' own, the body size. */
export function webAclSettings(config: Pick<PlatformConfig, "providers" | "limits">): WebAclStatementsProps {
  const pathRateLimits: PathRateLimit[] = config.providers.flatMap((provider) =>
    provider.wafRateLimitPer5Min === undefined
      ? []
      : [{ path: `/${providerPath(provider.id).join("/")}`, limitPer5Min: provider.wafRateLimitPer5Min }],
  );
  return {
    rateLimitPer5Min: config.limits.wafRateLimitPer5Min,
    pathRateLimits,
    maxBodyBytes: config.limits.maxBodyBytes,
  };
}
