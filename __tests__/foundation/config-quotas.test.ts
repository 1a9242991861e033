import { EVERY_PLATFORM_SOURCE } from "../../constructs/route-pattern";
import {
  DEFAULT_CONFIG,
  DEFAULT_LIMITS,
  type PlatformConfig,
  type ProviderConfig,
  validateConfig,
} from "../../stacks/config";
import { problemsOf } from "../support/config-problems";

/**
 * The quotas a configuration's providers and routes count against, checked with the rest of the
 * configuration (one line per problem, before any synth): each passes at its limit and fails one
 * past it. Counting needs no synth, so these run on configurations of hundreds of providers.
 */

const providers = (count: number, extra: (index: number) => Partial<ProviderConfig> = () => ({})) =>
  Array.from({ length: count }, (_, index) => ({
    id: `p${index}`,
    scheme: "generic" as const,
    ...extra(index),
  }));

const problems = (overrides: Partial<PlatformConfig>) =>
  problemsOf(() => validateConfig({ ...DEFAULT_CONFIG, routes: [], ...overrides }));

describe("API Gateway resources per REST API", () => {
  test("297 providers fit the default quota of 300: /, /webhooks, /webhook and one each", () => {
    expect(problems({ providers: providers(297) })).toEqual([]);
  });

  test("one more fails, naming the count, the quota and how to raise it", () => {
    expect(problems({ providers: providers(298) })).toEqual([
      'providers: 298 providers need 301 API Gateway resources (/, /webhooks, /webhook and one per provider), over the REST API\'s quota of 300 "Resources per API"; remove providers, or raise the quota for the API in Service Quotas and declare it in limits.restApiResourceQuota',
    ]);
  });

  test("a raised quota declared in limits.restApiResourceQuota admits them", () => {
    const limits = { ...DEFAULT_LIMITS, restApiResourceQuota: 301 };
    expect(problems({ providers: providers(298), limits })).toEqual([]);
  });

  test("a declared quota below API Gateway's default is refused", () => {
    const limits = { ...DEFAULT_LIMITS, restApiResourceQuota: 299 };
    expect(problems({ limits })).toEqual([
      "limits.restApiResourceQuota: expected an integer ≥ 300 (API Gateway's default), got 299",
    ]);
  });
});

describe("WAF rate-based rules per web ACL", () => {
  const distinctLimits = (count: number) =>
    providers(count, (index) => ({ wafRateLimitPer5Min: 1_000 + index }));

  test("nine distinct provider limits and the default's make ten rules: at the quota", () => {
    expect(problems({ providers: distinctLimits(9) })).toEqual([]);
  });

  test("a tenth distinct limit fails naming the count and the quota", () => {
    expect(problems({ providers: distinctLimits(10) })).toEqual([
      "providers: their wafRateLimitPer5Min take 10 distinct values besides limits.wafRateLimitPer5Min: 11 rate-based rules with the default's, over WAF's 10 per web ACL; use at most 9 distinct values",
    ]);
  });

  test("any number of providers may share a limit: one rule per distinct value", () => {
    expect(problems({ providers: providers(100, () => ({ wafRateLimitPer5Min: 90_000 })) })).toEqual([]);
  });
});

describe("WAF capacity units per web ACL", () => {
  // Nine distinct limits and the default: 10 rate-based rules at 62 WCUs, the body regex 3, the
  // managed groups 900; then 24 WCUs per provider with a limit of its own.
  const ownLimits = (count: number) =>
    providers(count, (index) => ({ wafRateLimitPer5Min: 1_000 + (index % 9) }));

  test("144 providers with their own limits take 4979 of the 5000 WCUs", () => {
    expect(problems({ providers: ownLimits(144) })).toEqual([]);
  });

  test("145 fail naming the WCUs, the limit and what costs them", () => {
    expect(problems({ providers: ownLimits(145) })).toEqual([
      "providers: the web ACL's rules need 5003 WCUs, over WAF's 5000 per web ACL: each of the 145 providers with their own wafRateLimitPer5Min takes 24; give fewer providers a limit of their own",
    ]);
  });

  test("providers on the default limit cost nothing: 297 of them fit", () => {
    expect(problems({ providers: providers(297) })).toEqual([]);
  });
});

describe("EventBridge event pattern size", () => {
  const routeOf = (eventPattern: Record<string, unknown>) => ({ id: "audit", eventPattern });
  // The rule's pattern is the route's with `source` defaulted: measure that, less the padding.
  const fixed = JSON.stringify({ source: [EVERY_PLATFORM_SOURCE], "detail-type": [""] }).length;
  const padded = (length: number) => routeOf({ "detail-type": ["x".repeat(length - fixed)] });

  test("a pattern of 2048 characters is at the quota", () => {
    expect(problems({ routes: [padded(2048)] })).toEqual([]);
  });

  test("2049 characters fail naming the size, the quota and the remedy", () => {
    expect(problems({ routes: [padded(2049)] })).toEqual([
      "routes[0].eventPattern: is 2049 characters as the rule's pattern, over EventBridge's 2048 (quota \"Event pattern size\", adjustable to 4096): match sources by prefix, or split the route",
    ]);
  });

  test("a route listing 150 providers' sources is over; without source it matches them all by prefix", () => {
    const many = providers(150, () => ({}));
    const sources = many.map((provider) => `webhooks.${provider.id}`);
    expect(problems({ providers: many, routes: [routeOf({ source: sources })] })).toEqual([
      expect.stringMatching(/^routes\[0\]\.eventPattern: is \d{4} characters as the rule's pattern/),
    ]);
    expect(problems({ providers: many, routes: [routeOf({ "detail-type": ["push"] })] })).toEqual([]);
  });
});
