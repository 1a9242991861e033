import { EVENT_SOURCE_PREFIX, GENERIC_ENDPOINT_ID } from "@webhooks/shared";
import { routeSourceProblems } from "../../constructs/route-pattern";
import { REGIONAL_ENVIRONMENT } from "./defaults";
import type { Problems } from "./shape";
import type { PlatformConfig } from "./types";

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
    reads: ["routes", "providers"],
    check({ routes, providers }, problem) {
      duplicates(routes, "routes", problem);
      const sources = providers.map((provider) => `${EVENT_SOURCE_PREFIX}.${provider.id}`);
      routes.forEach((route, index) => {
        for (const message of routeSourceProblems(route.eventPattern, sources))
          problem(`routes[${index}].eventPattern.source`, message);
      });
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
