import { formatCondition } from "./policies";
import {
  alarmCondition,
  publicAccessBlockText,
  SECTION_TITLES,
  summaryParts,
  throttleText,
  title,
} from "./render-common";
import { type Cell, table } from "./table";
import type { Inventory, PolicySource, Statement } from "./types";

/**
 * The exhaustive text view (`--full`): every resource with its address, every statement with its
 * SID, every route and rule in aligned columns, however wide that makes a line.
 */
export function renderFull(inventory: Inventory): string {
  return `${[
    title(inventory),
    summaryParts(inventory).join(" · "),
    ...resources(inventory),
    ...roles(inventory),
    ...resourcePolicies(inventory),
    ...invokers(inventory),
    ...exposure(inventory),
    ...alarms(inventory),
    ...eventRules(inventory),
    ...findings(inventory),
  ].join("\n")}\n`;
}

function section(title: string): string[] {
  return ["", title, "=".repeat(title.length)];
}

function resources(inventory: Inventory): string[] {
  const lines = section(SECTION_TITLES.resources);
  const groups = new Map<string, typeof inventory.resources>();
  for (const resource of inventory.resources) {
    groups.set(resource.group, [...(groups.get(resource.group) ?? []), resource]);
  }
  // One width for every group, so the columns line up down the whole section.
  const rows: Cell[][] = [["ADDRESS", "NAME", "PURPOSE"]];
  const groupStarts: Array<[number, string]> = [];
  for (const [group, members] of groups) {
    groupStarts.push([rows.length, `${group} (${members.length})`]);
    for (const resource of members) rows.push([resource.address, resource.name || "?", resource.purpose]);
  }
  const rendered = table(rows, "  ");
  let next = 0;
  rendered.forEach((line, index) => {
    if (groupStarts[next]?.[0] === index) {
      lines.push("", groupStarts[next]![1]);
      next++;
    }
    lines.push(line);
  });
  return lines;
}

function statementRows(statements: readonly Statement[], principals: boolean): Cell[][] {
  const head = ["SID", "EFFECT", ...(principals ? ["PRINCIPAL"] : []), "ACTIONS", "RESOURCES", "CONDITIONS"];
  return [
    head,
    ...statements.map((s) => [
      s.sid ?? "-",
      s.effect,
      ...(principals ? [s.principals.length > 0 ? [...s.principals] : ["-"]] : []),
      s.notActions ? ["all except:", ...s.actions] : [...s.actions],
      s.notResources ? ["all except:", ...s.resources] : s.resources.length > 0 ? [...s.resources] : ["-"],
      s.conditions.length > 0 ? conditionLines(s) : ["-"],
    ]),
  ];
}

function conditionLines(statement: Statement): string[] {
  return statement.conditions.flatMap((condition) =>
    condition.values.length <= 1
      ? [formatCondition(condition)]
      : [`${condition.operator} ${condition.key} in`, ...condition.values.map((value) => `  ${value}`)],
  );
}

function policyTitle(policy: PolicySource): string {
  return `${policy.kind} ${policy.address === policy.name ? policy.address : `${policy.address} (${policy.name})`}`;
}

function roles(inventory: Inventory): string[] {
  const lines = section(SECTION_TITLES.roles);
  if (inventory.iam.roles.length === 0) lines.push("(no IAM roles)");
  for (const role of inventory.iam.roles) {
    lines.push("", `${role.address} (${role.name})`);
    lines.push(
      ...table(
        [
          [
            "trusts",
            role.trust.length > 0
              ? role.trust.map(
                  (s) =>
                    `${s.effect} ${s.principals.join(", ")} ${s.actions.join(", ")}${s.conditions.length ? ` if ${s.conditions.map(formatCondition).join("; ")}` : ""}`,
                )
              : ["(no trust policy)"],
          ],
          ["used by", role.usedBy.length > 0 ? [...role.usedBy] : ["(nothing in this stack)"]],
        ],
        "  ",
      ),
    );
    for (const policy of role.policies) {
      lines.push(`  ${policyTitle(policy)}`);
      if (policy.unreadable) lines.push(`    (${policy.unreadable})`);
      else lines.push(...table(statementRows(policy.statements, false), "    "));
    }
    if (role.policies.length === 0) lines.push("  (no policies)");
  }
  return lines;
}

function resourcePolicies(inventory: Inventory): string[] {
  const lines = section(SECTION_TITLES.resourcePolicies);
  if (inventory.iam.resourcePolicies.length === 0) lines.push("(no resource policies)");
  for (const policy of inventory.iam.resourcePolicies) {
    lines.push("", `${policy.address} on ${policy.target}`);
    if (policy.unreadable) lines.push(`  (${policy.unreadable})`);
    else lines.push(...table(statementRows(policy.statements, true), "  "));
  }
  return lines;
}

function invokers(inventory: Inventory): string[] {
  const lines = section(SECTION_TITLES.invokers);
  if (inventory.iam.invokers.length === 0) lines.push("(no Lambda functions)");
  for (const fn of inventory.iam.invokers) {
    lines.push("", fn.function);
    if (fn.grants.length === 0)
      lines.push("  no Lambda permissions: nothing outside the account may invoke it");
    else {
      lines.push(
        ...table(
          [
            ["STATEMENT", "PRINCIPAL", "ACTION", "SOURCE"],
            ...fn.grants.map((grant) => [
              grant.statementId,
              grant.principal,
              grant.action,
              [
                grant.sourceArn ?? "(any source)",
                ...(grant.sourceAccount ? [`account ${grant.sourceAccount}`] : []),
                ...(grant.functionUrlAuthType ? [`function URL auth ${grant.functionUrlAuthType}`] : []),
              ],
            ]),
          ],
          "  ",
        ),
      );
    }
    for (const source of fn.eventSources) lines.push(`  event source mapping ${source}`);
  }
  return lines;
}

function exposure(inventory: Inventory): string[] {
  const lines = section(SECTION_TITLES.exposure);
  const { restApis, functionUrls, buckets, publicStatements, other } = inventory.exposure;
  if (restApis.length === 0) lines.push("", "REST APIs: none");
  for (const api of restApis) {
    lines.push(
      "",
      `REST API ${api.address} (${api.name})`,
      ...table(
        [
          [
            "endpoint",
            `${api.endpointTypes.join(", ")} (${api.internetFacing ? "internet-facing" : "VPC only"})`,
          ],
          ["execute-api URL", api.disableExecuteApiEndpoint ? "disabled" : "enabled"],
          ["API key source", api.apiKeySource ?? "HEADER (default)"],
          ["binary media", api.binaryMediaTypes.join(", ") || "none"],
          ["resource policy", api.resourcePolicy ? "yes (see resource policies)" : "none"],
        ],
        "  ",
      ),
    );
    for (const stage of api.stages) {
      lines.push(
        "",
        `  stage ${stage.name} (${stage.address})`,
        ...table(
          [
            ["throttling", throttleText(stage.throttle)],
            ...Object.entries(stage.methodThrottles).map(([path, t]) => [`  ${path}`, throttleText(t)]),
            ...stage.usagePlans.map((plan) => [
              "usage plan",
              `${plan.name}: quota ${plan.quota ?? "none"}, ${throttleText(plan.throttle)}, keys ${plan.apiKeys.join(", ") || "none"}`,
            ]),
            ["X-Ray", stage.xrayTracing ? "on" : "off"],
            ["access logs", stage.accessLogs ?? "none"],
            [
              "WAF",
              stage.webAcl
                ? `${stage.webAcl.address} (${stage.webAcl.name}), ${stage.webAcl.scope}, default ${stage.webAcl.defaultAction}, via ${stage.webAcl.association}`
                : "NONE: the stage is not behind a WAF",
            ],
            ...(stage.webAcl?.logging ? [["WAF logs", stage.webAcl.logging]] : []),
          ],
          "    ",
        ),
      );
      if (stage.webAcl && stage.webAcl.rules.length > 0) {
        lines.push(
          "",
          ...table(
            [
              ["PRIORITY", "WAF RULE", "ACTION", "MATCHES"],
              ...stage.webAcl.rules.map((rule) => [
                String(rule.priority),
                rule.name,
                rule.action.split("; ").flatMap((part, index) => (index === 0 ? [part] : part.split(", "))),
                rule.statement,
              ]),
            ],
            "    ",
          ),
        );
      }
    }
    lines.push(
      "",
      `  routes (${api.routes.length})`,
      ...table(
        [
          [
            "METHOD",
            "PATH",
            "AUTH",
            "API KEY",
            "REQUIRED HEADERS",
            "VALIDATOR",
            "BODY MODEL",
            "INTEGRATION",
            "PERMISSION",
          ],
          ...api.routes.map((route) => [
            route.method,
            route.path,
            route.authorization,
            route.apiKeyRequired ? "required" : "no",
            [...route.requiredHeaders, ...route.requiredQueryStrings.map((q) => `?${q}`)].length > 0
              ? [...route.requiredHeaders, ...route.requiredQueryStrings.map((q) => `?${q}`)]
              : ["-"],
            route.requestValidator ?? "-",
            route.bodyModels.join(", ") || "-",
            route.integration ?? "-",
            route.invokePermission ?? "MISSING",
          ]),
        ],
        "    ",
      ),
    );
  }

  lines.push("", `Lambda function URLs: ${functionUrls.length === 0 ? "none" : ""}`.trimEnd());
  if (functionUrls.length > 0) {
    lines.push(
      ...table(
        [
          ["URL", "FUNCTION", "AUTH"],
          ...functionUrls.map((url) => [url.address, url.function, url.authorizationType]),
        ],
        "  ",
      ),
    );
  }

  lines.push("", `S3 buckets: ${buckets.length === 0 ? "none" : ""}`.trimEnd());
  if (buckets.length > 0) {
    lines.push(
      ...table(
        [
          ["BUCKET", "PUBLIC ACCESS BLOCK", "OWNERSHIP", "ACL", "WEBSITE"],
          ...buckets.map((bucket) => {
            return [
              `${bucket.address} (${bucket.name})`,
              publicAccessBlockText(bucket),
              bucket.objectOwnership ?? "-",
              bucket.acl ?? "-",
              bucket.website ? "YES" : "no",
            ];
          }),
        ],
        "  ",
      ),
    );
  }

  const allows = publicStatements.filter((item) => item.exposure);
  const guards = publicStatements.filter((item) => !item.exposure);
  const publicRows = (items: typeof publicStatements): Cell[][] => [
    ["POLICY", "ON", "SID", "ACTIONS", "CONDITIONS"],
    ...items.map((item) => [
      item.policy,
      item.target,
      item.statement.sid ?? "-",
      [...item.statement.actions],
      item.statement.conditions.length > 0 ? conditionLines(item.statement) : ["(none)"],
    ]),
  ];
  lines.push(
    "",
    `Statements allowing everyone (Principal "*"): ${allows.length === 0 ? "none" : ""}`.trimEnd(),
  );
  if (allows.length > 0) lines.push(...table(publicRows(allows), "  "));
  lines.push(
    "",
    `Statements denying everyone (guards, not exposure): ${guards.length === 0 ? "none" : ""}`.trimEnd(),
  );
  if (guards.length > 0) lines.push(...table(publicRows(guards), "  "));

  lines.push("", `Other internet-facing resources: ${other.length === 0 ? "none" : ""}`.trimEnd());
  if (other.length > 0)
    lines.push(
      ...table(
        other.map((item) => [item.address, item.detail]),
        "  ",
      ),
    );
  return lines;
}

function alarms(inventory: Inventory): string[] {
  const lines = section(SECTION_TITLES.alarms);
  if (inventory.alarms.length === 0) return [...lines, "(no alarms)"];
  return [
    ...lines,
    ...table(
      [
        ["ALARM", "FIRES WHEN", "MISSING DATA", "ACTIONS", "METRIC"],
        ...inventory.alarms.map((alarm) => [
          alarm.name,
          alarmCondition(alarm),
          alarm.treatMissingData,
          [
            ...(alarm.actions.length > 0 ? alarm.actions : ["(none)"]),
            ...(alarm.actionsEnabled ? [] : ["(disabled)"]),
          ],
          alarm.metric,
        ]),
      ],
      "  ",
    ),
  ];
}

function eventRules(inventory: Inventory): string[] {
  const lines = section(SECTION_TITLES.eventRules);
  if (inventory.eventRules.length === 0) return [...lines, "(no event rules)"];
  for (const rule of inventory.eventRules) {
    lines.push(
      "",
      `${rule.address} (${rule.name}) on bus ${rule.bus}, ${rule.state}`,
      ...table(
        [
          ...(rule.eventPattern !== undefined ? [["pattern", rule.eventPattern]] : []),
          ...(rule.schedule !== undefined ? [["schedule", rule.schedule]] : []),
          ...rule.targets.map((target) => [
            "target",
            [
              `${target.id} → ${target.target}`,
              ...(target.deadLetter ? [`dead letters → ${target.deadLetter}`] : []),
              ...(target.role ? [`as role ${target.role}`] : []),
              ...(target.retry ? [`retry ${target.retry}`] : []),
            ],
          ]),
          ...(rule.targets.length === 0 ? [["target", "(none)"]] : []),
        ],
        "  ",
      ),
    );
  }
  return lines;
}

function findings(inventory: Inventory): string[] {
  const lines = section(SECTION_TITLES.findings);
  if (inventory.findings.length === 0) {
    lines.push(
      "none: no public exposure besides the API, no wildcard permissions, every resource identified",
    );
    return lines;
  }
  lines.push(
    ...table(
      inventory.findings.map((finding) => [
        finding.severity.toUpperCase(),
        finding.section,
        finding.subject,
        finding.message,
      ]),
    ),
  );
  return lines;
}
