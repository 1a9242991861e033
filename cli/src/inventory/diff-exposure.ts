import { PUBLIC_ACLS } from "./exposure";
import { pair } from "./pair";
import { publicAccessBlockText, shortRefs, throttleText } from "./render-common";
import type {
  ApiRoute,
  ApiStage,
  BucketExposure,
  Change,
  ChangeKind,
  Inventory,
  RestApiExposure,
  Throttle,
  WafRule,
  WebAclSummary,
} from "./types";

/**
 * Exposure changes between two inventories: REST APIs, stages, WAF rules, routes, function URLs,
 * buckets and other internet-facing resources, keyed by name. `widened` is anything that lets more
 * of the internet in or protects less: an API that becomes internet-facing, a stage that loses its
 * WAF or throttling (or raises it), a WAF rule removed or weakened (block → count), a default
 * action that allows, a route that stops requiring an API key or authorization, a function URL,
 * a bucket that becomes public, another internet-facing resource. Public resource-policy
 * statements come from the IAM comparison.
 */
export function exposureChanges(before: Inventory, after: Inventory): Change[] {
  const changes: Change[] = [];
  const emit = (kind: ChangeKind, subject: string, detail: string, why?: string): void => {
    changes.push({ kind, section: "exposure", subject, detail, ...(why && { why }) });
  };
  pair(before.exposure.restApis, after.exposure.restApis, (api) => api.name, {
    added: (api) =>
      emit("added", `REST API ${api.name}`, `added, ${api.internetFacing ? "internet-facing" : "VPC only"}`),
    removed: (api) => emit("removed", `REST API ${api.name}`, "removed"),
    both: (old, now) => restApiChanges(old, now, emit),
  });
  pair(before.exposure.functionUrls, after.exposure.functionUrls, (url) => shortRefs(url.function), {
    added: (url) =>
      emit(
        "widened",
        `function URL of ${shortRefs(url.function)}`,
        `added, authorization ${url.authorizationType}`,
        "reachable from the internet, bypassing API Gateway and the WAF",
      ),
    removed: (url) => emit("removed", `function URL of ${shortRefs(url.function)}`, "removed"),
    both: (old, now) => {
      if (old.authorizationType === now.authorizationType) return;
      emit(
        now.authorizationType === "NONE" ? "widened" : "changed",
        `function URL of ${shortRefs(now.function)}`,
        `authorization ${old.authorizationType} → ${now.authorizationType}`,
        now.authorizationType === "NONE" ? "anyone may call it" : undefined,
      );
    },
  });
  pair(before.exposure.buckets, after.exposure.buckets, (bucket) => bucket.name, {
    added: (bucket) => {
      const open = bucketOpenings(undefined, bucket);
      if (open.length > 0)
        emit("widened", `bucket ${bucket.name}`, `added, ${bucketText(bucket)}`, open.join("; "));
    },
    removed: () => undefined,
    both: (old, now) => {
      const open = bucketOpenings(old, now);
      const before = bucketText(old);
      const after = bucketText(now);
      if (open.length > 0) emit("widened", `bucket ${now.name}`, `${before} → ${after}`, open.join("; "));
      else if (before !== after) emit("changed", `bucket ${now.name}`, `${before} → ${after}`);
    },
  });
  pair(before.exposure.other, after.exposure.other, (item) => `${item.type} ${item.address}`, {
    added: (item) => emit("widened", item.address, `added: ${item.detail}`, "internet-facing"),
    removed: (item) => emit("removed", item.address, `removed: ${item.detail}`),
    both: () => undefined,
  });
  return changes;
}

type Emit = (kind: ChangeKind, subject: string, detail: string, why?: string) => void;

function restApiChanges(old: RestApiExposure, now: RestApiExposure, emit: Emit): void {
  const subject = `REST API ${now.name}`;
  if (!old.internetFacing && now.internetFacing) {
    emit(
      "widened",
      subject,
      `endpoint ${old.endpointTypes.join(", ")} → ${now.endpointTypes.join(", ")}`,
      "now internet-facing",
    );
  } else if (old.endpointTypes.join() !== now.endpointTypes.join()) {
    emit("changed", subject, `endpoint ${old.endpointTypes.join(", ")} → ${now.endpointTypes.join(", ")}`);
  }
  if (old.disableExecuteApiEndpoint && !now.disableExecuteApiEndpoint) {
    emit("widened", subject, "execute-api URL enabled", "the default endpoint answers again");
  }
  if (old.resourcePolicy && !now.resourcePolicy) {
    emit("widened", subject, "resource policy removed", "nothing restricts who may call it besides auth");
  }
  pair(old.stages, now.stages, (stage) => stage.name, {
    added: (stage) =>
      emit(
        "added",
        `stage ${stage.name}`,
        `added to REST API ${now.name}${stage.webAcl ? "" : ", without a WAF"}`,
      ),
    removed: (stage) => emit("removed", `stage ${stage.name}`, `removed from REST API ${now.name}`),
    both: (a, b) => stageChanges(a, b, emit),
  });
  pair(old.routes, now.routes, (route) => `${route.method} ${route.path}`, {
    added: (route) => emit("added", `route ${route.method} ${route.path}`, `added: ${routeText(route)}`),
    removed: (route) => emit("removed", `route ${route.method} ${route.path}`, "removed"),
    both: (a, b) => routeChanges(a, b, emit),
  });
}

function stageChanges(old: ApiStage, now: ApiStage, emit: Emit): void {
  const subject = `stage ${now.name}`;
  const throttles: Array<[string, Throttle | undefined, Throttle | undefined]> = [
    ["throttle", old.throttle, now.throttle],
    ...[...new Set([...Object.keys(old.methodThrottles), ...Object.keys(now.methodThrottles)])].map(
      (path): [string, Throttle | undefined, Throttle | undefined] => [
        `throttle of ${path}`,
        old.methodThrottles[path],
        now.methodThrottles[path],
      ],
    ),
  ];
  for (const [label, a, b] of throttles) {
    if (throttleText(a) === throttleText(b)) continue;
    const looser =
      !b || (a !== undefined && (raised(a.rateLimit, b.rateLimit) || raised(a.burstLimit, b.burstLimit)));
    emit(
      looser ? "widened" : "changed",
      subject,
      `${label} ${throttleText(a)} → ${throttleText(b)}`,
      looser ? "more requests get through" : undefined,
    );
  }
  if (old.webAcl && !now.webAcl) {
    emit("widened", subject, `WAF ${old.webAcl.name} removed`, "the stage is no longer behind a WAF");
  } else if (!old.webAcl && now.webAcl) {
    emit("changed", subject, `now behind WAF ${now.webAcl.name}`);
  } else if (old.webAcl && now.webAcl) {
    webAclChanges(old.webAcl, now.webAcl, emit);
  }
  if (old.xrayTracing !== now.xrayTracing)
    emit("changed", subject, `X-Ray ${now.xrayTracing ? "on" : "off"}`);
  if (old.accessLogs !== now.accessLogs) {
    emit(
      "changed",
      subject,
      `access logs ${shortRefs(old.accessLogs ?? "none")} → ${shortRefs(now.accessLogs ?? "none")}`,
    );
  }
}

/** True when a limit was raised or removed. */
function raised(old: number | undefined, now: number | undefined): boolean {
  return old !== undefined && (now === undefined || now > old);
}

function webAclChanges(old: WebAclSummary, now: WebAclSummary, emit: Emit): void {
  const subject = `WAF ${now.name}`;
  if (old.name !== now.name) emit("changed", `WAF ${old.name}`, `replaced by WAF ${now.name}`);
  if (old.defaultAction !== now.defaultAction) {
    const looser = now.defaultAction === "allow";
    emit(
      looser ? "widened" : "changed",
      subject,
      `default action ${old.defaultAction} → ${now.defaultAction}`,
      looser ? "requests no rule matches are allowed" : undefined,
    );
  }
  pair(old.rules, now.rules, (rule) => rule.name, {
    added: (rule) =>
      emit("added", subject, `rule ${rule.name} added: ${rule.action}, ${shortRefs(rule.statement)}`),
    removed: (rule) =>
      emit("widened", subject, `rule ${rule.name} removed (was ${rule.action})`, "less filtering"),
    both: (a, b) => wafRuleChanges(subject, a, b, emit),
  });
}

/** How strictly a rule acts: block and challenges stop requests, count and allow let them through. */
function strictness(rule: WafRule): number {
  const base = rule.action.split("; ")[0]!;
  const kind = base.split(" ")[0]!;
  const rank =
    kind === "block"
      ? 4
      : kind === "captcha" || kind === "challenge"
        ? 3
        : base.startsWith("rule group actions")
          ? 3
          : kind === "count"
            ? 1
            : 0;
  const overridden = rule.action.includes("; ")
    ? rule.action
        .split("; ")[1]!
        .split(", ")
        .filter((item) => /→ (count|allow)$/.test(item)).length
    : 0;
  return rank * 1000 - overridden;
}

function wafRuleChanges(subject: string, old: WafRule, now: WafRule, emit: Emit): void {
  if (old.action !== now.action) {
    const weaker = strictness(now) < strictness(old);
    const [oldBase, ...oldRest] = old.action.split("; ");
    const [nowBase, ...nowRest] = now.action.split("; ");
    const oldOverrides = oldRest.join(", ").split(", ").filter(Boolean);
    const nowOverrides = nowRest.join(", ").split(", ").filter(Boolean);
    const parts = [
      oldBase !== nowBase && `${oldBase} → ${nowBase}`,
      ...nowOverrides.filter((item) => !oldOverrides.includes(item)).map((item) => `override ${item} added`),
      ...oldOverrides
        .filter((item) => !nowOverrides.includes(item))
        .map((item) => `override ${item} removed`),
    ].filter(Boolean);
    emit(
      weaker ? "widened" : "changed",
      subject,
      `rule ${now.name}: ${parts.join("; ")}`,
      weaker ? "the rule stops fewer requests" : undefined,
    );
  }
  if (old.statement !== now.statement) {
    emit(
      "changed",
      subject,
      `rule ${now.name} matches: ${shortRefs(old.statement)} → ${shortRefs(now.statement)}`,
    );
  }
  if (old.priority !== now.priority)
    emit("changed", subject, `rule ${now.name}: priority ${old.priority} → ${now.priority}`);
}

function routeText(route: ApiRoute): string {
  return [
    `auth ${route.authorization}`,
    route.apiKeyRequired ? "API key required" : "no API key",
    route.requiredHeaders.length > 0 ? `requires ${route.requiredHeaders.join(", ")}` : "no required headers",
    route.integration ? `→ ${shortRefs(route.integration)}` : "no integration",
  ].join(", ");
}

function routeChanges(old: ApiRoute, now: ApiRoute, emit: Emit): void {
  const subject = `route ${now.method} ${now.path}`;
  if (old.apiKeyRequired && !now.apiKeyRequired) {
    emit("widened", subject, "API key no longer required", "callers without a key get through");
  } else if (!old.apiKeyRequired && now.apiKeyRequired) {
    emit("changed", subject, "API key now required");
  }
  if (old.authorization !== now.authorization) {
    const opened = now.authorization === "NONE";
    emit(
      opened ? "widened" : "changed",
      subject,
      `authorization ${old.authorization} → ${now.authorization}`,
      opened ? "no authorization" : undefined,
    );
  }
  const headers = (route: ApiRoute) =>
    [...route.requiredHeaders, ...route.requiredQueryStrings.map((q) => `?${q}`)].join(", ") || "none";
  if (headers(old) !== headers(now))
    emit("changed", subject, `required headers ${headers(old)} → ${headers(now)}`);
  if (old.requestValidator !== now.requestValidator) {
    emit(
      "changed",
      subject,
      `validator ${old.requestValidator ?? "none"} → ${now.requestValidator ?? "none"}`,
    );
  }
  if (old.integration !== now.integration) {
    emit(
      "changed",
      subject,
      `integration ${shortRefs(old.integration ?? "none")} → ${shortRefs(now.integration ?? "none")}`,
    );
  }
  if (old.invokePermission && !now.invokePermission) emit("changed", subject, "invoke permission missing");
}

function bucketText(bucket: BucketExposure): string {
  return [
    `public access block ${publicAccessBlockText(bucket)}`,
    ...(bucket.acl ? [`ACL ${bucket.acl}`] : []),
    ...(bucket.website ? ["website"] : []),
  ].join(", ");
}

/** What makes a bucket more public than before (than a fully blocked bucket, when new). */
function bucketOpenings(old: BucketExposure | undefined, now: BucketExposure): string[] {
  const found = (Object.keys(now.blocks) as Array<keyof BucketExposure["blocks"]>)
    .filter((flag) => !now.blocks[flag] && (old === undefined || old.blocks[flag]))
    .map((flag) => `${flag} off`);
  if (now.acl && PUBLIC_ACLS.has(now.acl) && old?.acl !== now.acl) found.push(`public ACL ${now.acl}`);
  if (now.website && !old?.website) found.push("website endpoint");
  return found;
}
