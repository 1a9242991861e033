import {
  CUSTOM_PREFIX,
  customSchemeProblems,
  customSignsUrl,
  dedupeFloorHours,
  EVENT_SOURCE_PREFIX,
  GENERIC_ENDPOINT_ID,
  isPresetId,
  presetDefinition,
  presetSignsUrl,
  schemeFor,
} from "@webhooks/shared";
import { endpointPaths, restApiResourceCount, webAclSettings } from "../../constructs/ingress-layout";
import {
  EVENT_PATTERN_CHARACTERS,
  WAF_RATE_BASED_RULES,
  WAF_WEB_ACL_CAPACITY_UNITS,
} from "../../constructs/quotas";
import { routePattern, routeSourceProblems } from "../../constructs/route-pattern";
import { pathLimitGroups, webAclCapacity, webAclStatements } from "../../constructs/web-acl-rules";
import { REGIONAL_ENVIRONMENT } from "./defaults";
import { closestKey } from "./hints";
import type { Problems } from "./shape";
import type { PlatformConfig, ProviderConfig } from "./types";

/** A check between fields; runs only when every field it reads has the right shape. */
interface Rule {
  /** Top-level fields the rule reads. */
  readonly reads: readonly (keyof PlatformConfig)[];
  check(config: PlatformConfig, problem: (path: string, message: string) => void): void;
}

const RULES: readonly Rule[] = [
  {
    reads: ["environment"],
    check({ environment }, problem) {
      if (environment === REGIONAL_ENVIRONMENT)
        problem(
          "environment",
          `"${REGIONAL_ENVIRONMENT}" is reserved for the regional stack; choose another name`,
        );
    },
  },
  {
    reads: ["providers"],
    check({ providers }, problem) {
      duplicates(providers, "providers", problem);
      providers.forEach((provider, index) => {
        if (provider.id === GENERIC_ENDPOINT_ID)
          problem(
            `providers[${index}].id`,
            `"${GENERIC_ENDPOINT_ID}" is reserved for the generic route /${GENERIC_ENDPOINT_ID}; choose another id`,
          );
        if (provider.headerFamily !== undefined && provider.scheme !== "standard-webhooks")
          problem(
            `providers[${index}].headerFamily`,
            `applies to the standard-webhooks scheme only, not ${provider.scheme}`,
          );
      });
    },
  },
  {
    reads: ["providers", "customSchemes"],
    check({ providers, customSchemes }, problem) {
      providers.forEach((provider, index) => {
        schemeProblems(provider, customSchemes, (field, message) =>
          problem(`providers[${index}].${field}`, message),
        );
      });
    },
  },
  {
    reads: ["customSchemes"],
    check({ customSchemes }, problem) {
      for (const [name, definition] of Object.entries(customSchemes)) {
        for (const [field, message] of customSchemeProblems(definition))
          problem(`customSchemes.${name}.${field}`, message);
      }
    },
  },
  {
    reads: ["routes", "providers"],
    check({ routes, providers }, problem) {
      duplicates(routes, "routes", problem);
      const sources = providers.map((provider) => `${EVENT_SOURCE_PREFIX}.${provider.id}`);
      routes.forEach((route, index) => {
        const problems = routeSourceProblems(route.eventPattern, sources);
        for (const message of problems) problem(`routes[${index}].eventPattern.source`, message);
        if (problems.length > 0) return;
        const size = JSON.stringify(routePattern(route, sources)).length;
        if (size > EVENT_PATTERN_CHARACTERS)
          problem(
            `routes[${index}].eventPattern`,
            `is ${size} characters as the rule's pattern, over EventBridge's ${EVENT_PATTERN_CHARACTERS} (quota "Event pattern size", adjustable to 4096): match sources by prefix, or split the route`,
          );
      });
    },
  },
  // Quotas that grow with the providers (constructs/quotas.ts): one line each, before any synth.
  {
    reads: ["providers", "limits"],
    check({ providers, limits }, problem) {
      const resources = restApiResourceCount(endpointPaths(providers));
      if (resources > limits.restApiResourceQuota)
        problem(
          "providers",
          `${providers.length} providers need ${resources} API Gateway resources (/, /webhooks, /webhook and one per provider), over the REST API's quota of ${limits.restApiResourceQuota} "Resources per API"; remove providers, or raise the quota for the API in Service Quotas and declare it in limits.restApiResourceQuota`,
        );
    },
  },
  {
    reads: ["providers", "limits"],
    check(config, problem) {
      const settings = webAclSettings(config);
      const rules = pathLimitGroups(settings.rateLimitPer5Min, settings.pathRateLimits).length + 1;
      if (rules > WAF_RATE_BASED_RULES) {
        problem(
          "providers",
          `their wafRateLimitPer5Min take ${rules - 1} distinct values besides limits.wafRateLimitPer5Min: ${rules} rate-based rules with the default's, over WAF's ${WAF_RATE_BASED_RULES} per web ACL; use at most ${WAF_RATE_BASED_RULES - 1} distinct values`,
        );
        return;
      }
      const capacity = webAclCapacity(webAclStatements(settings));
      if (capacity > WAF_WEB_ACL_CAPACITY_UNITS)
        problem(
          "providers",
          `the web ACL's rules need ${capacity} WCUs, over WAF's ${WAF_WEB_ACL_CAPACITY_UNITS} per web ACL: each of the ${settings.pathRateLimits.length} providers with their own wafRateLimitPer5Min takes 24; give fewer providers a limit of their own`,
        );
    },
  },
  {
    reads: ["limits"],
    check({ limits }, problem) {
      if (limits.throttleBurstLimit > limits.throttleRateLimit * 10)
        problem(
          "limits.throttleBurstLimit",
          `${limits.throttleBurstLimit} is more than 10 × limits.throttleRateLimit (${limits.throttleRateLimit})`,
        );
      if (limits.validatorConcurrency * 20 < limits.throttleRateLimit)
        problem(
          "limits.validatorConcurrency",
          `${limits.validatorConcurrency} is below limits.throttleRateLimit / 20 (${Math.ceil(limits.throttleRateLimit / 20)}): the stage would admit more requests than the validator can run at 50 ms each, and the excess would get 5xx instead of the stage's 429`,
        );
    },
  },
];

/**
 * What a provider's scheme asks of it: a defined custom scheme, `publicUrl` exactly when the
 * sender signs its URL, the preset's settings, and a dedupe TTL no shorter than the sender's
 * retry horizon.
 */
function schemeProblems(
  provider: ProviderConfig,
  customSchemes: PlatformConfig["customSchemes"],
  problem: (field: string, message: string) => void,
): void {
  const { scheme } = provider;
  let signsUrl: boolean;
  let settings: NonNullable<ReturnType<typeof presetDefinition>["settings"]> = {};
  let compiled: ReturnType<typeof schemeFor>;
  if (scheme.startsWith(CUSTOM_PREFIX)) {
    const name = scheme.slice(CUSTOM_PREFIX.length);
    const definition = Object.hasOwn(customSchemes, name) ? customSchemes[name] : undefined;
    if (definition === undefined) {
      const closest = closestKey(name, Object.keys(customSchemes));
      problem(
        "scheme",
        `names ${scheme}, but customSchemes has no ${name}${closest ? `; did you mean custom:${closest}?` : ""}`,
      );
      return;
    }
    // A broken definition is reported under customSchemes, once.
    if (customSchemeProblems(definition).length > 0) return;
    signsUrl = customSignsUrl(definition);
    compiled = schemeFor(scheme, definition);
  } else if (isPresetId(scheme)) {
    signsUrl = presetSignsUrl(scheme);
    settings = presetDefinition(scheme).settings ?? {};
    compiled = schemeFor(scheme);
  } else {
    return;
  }
  if (signsUrl && provider.publicUrl === undefined)
    problem(
      "publicUrl",
      `missing; ${scheme} signs the URL it calls: set it exactly as configured at the sender`,
    );
  if (!signsUrl && provider.publicUrl !== undefined)
    problem("publicUrl", `applies to senders that sign the URL they call, not ${scheme}`);
  const names = Object.keys(settings);
  for (const [key, value] of Object.entries(provider.settings ?? {})) {
    const setting = Object.hasOwn(settings, key) ? settings[key] : undefined;
    if (setting === undefined)
      problem(
        `settings.${key}`,
        names.length > 0 ? `unknown setting; ${scheme} has ${names.join(", ")}` : `${scheme} has no settings`,
      );
    else if (!new RegExp(setting.pattern).test(value))
      problem(
        `settings.${key}`,
        `expected ${setting.description} (${setting.pattern}), got ${JSON.stringify(value)}`,
      );
  }
  for (const [key, setting] of Object.entries(settings)) {
    if (setting.required && provider.settings?.[key] === undefined)
      problem(`settings.${key}`, `missing; ${setting.description}`);
  }
  const floor = dedupeFloorHours(compiled);
  if (provider.dedupeTtlHours !== undefined && provider.dedupeTtlHours < floor) {
    const horizon = compiled.dedupe.horizonHours;
    problem(
      "dedupeTtlHours",
      horizon === undefined
        ? `${provider.dedupeTtlHours} is below ${floor}: ${scheme} documents no retry horizon, so a retry could outlive a shorter record and be delivered twice`
        : `${provider.dedupeTtlHours} is below ${scheme}'s retry horizon of ${horizon} hours: a retry after the record expired would be delivered twice`,
    );
  }
}

function duplicates(
  entries: readonly { readonly id: string }[],
  field: string,
  problem: (path: string, message: string) => void,
): void {
  const first = new Map<string, number>();
  entries.forEach(({ id }, index) => {
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else problem(`${field}[${index}].id`, `"${id}" is already the id of ${field}[${earlier}]`);
  });
}

/** Adds the problems between fields, skipping rules that read a field already found unusable. */
export function checkRules(config: PlatformConfig, problems: Problems): void {
  for (const rule of RULES) {
    if (!problems.blocks(rule.reads)) rule.check(config, (path, message) => problems.add(path, message));
  }
}
