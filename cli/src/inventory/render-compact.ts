import { compareText } from "./document";
import { elide, fitTable, hanging, pack } from "./layout";
import {
  alarmCondition,
  kindAndName,
  plural,
  publicAccessBlockText,
  roleActionCount,
  SECTION_TITLES,
  shortRefs,
  statementPhrase,
  summaryParts,
  throttleText,
  title,
} from "./render-common";
import type { Inventory, ResourceEntry, RestApiExposure, Statement } from "./types";

/**
 * The default text view: every line at most `width` columns. Resources are named by their physical
 * names instead of their Terraform addresses, each role is one line with its counts followed by its
 * statements, and long values wrap (or, in narrow columns, are elided with "…") instead of
 * stretching the line. `--full` has the exhaustive view.
 */
export function renderCompact(inventory: Inventory, width: number): string {
  return `${[
    ...pack([title(inventory)], " ", width),
    ...pack(summaryParts(inventory), " · ", width),
    ...resources(inventory, width),
    ...roles(inventory, width),
    ...resourcePolicies(inventory, width),
    ...invokers(inventory, width),
    ...exposure(inventory, width),
    ...alarms(inventory, width),
    ...eventRules(inventory, width),
    ...findings(inventory, width),
  ].join("\n")}\n`;
}

function section(name: string, width: number): string[] {
  const heading = elide(name, width);
  return ["", heading, "=".repeat(heading.length)];
}

/** A line of text wrapped to `width`, continuation lines indented two more than the first. */
function para(indent: number, text: string, width: number): string[] {
  return hanging(" ".repeat(indent), text, width, indent + 2);
}

/**
 * Per group, per type: a heading line, then one row per resource with its name and purpose (which
 * gets most of the width; the Terraform address is in `--full`).
 */
function resources(inventory: Inventory, width: number): string[] {
  const lines = section(`${SECTION_TITLES.resources} (${inventory.resources.length})`, width);
  const groups = new Map<string, Map<string, ResourceEntry[]>>();
  for (const resource of inventory.resources) {
    const type = `${resource.mode === "data" ? "data." : ""}${resource.type.replace(/^aws_/, "")}`;
    const types = groups.get(resource.group) ?? new Map<string, ResourceEntry[]>();
    types.set(type, [...(types.get(type) ?? []), resource]);
    groups.set(resource.group, types);
  }
  const rows: string[][] = [["NAME", "PURPOSE"]];
  const headings = new Map<number, string[]>();
  for (const [group, types] of groups) {
    const count = [...types.values()].reduce((sum, members) => sum + members.length, 0);
    headings.set(rows.length, ["", elide(`${group} (${count})`, width)]);
    for (const [type, members] of [...types].sort(([a], [b]) => compareText(a, b))) {
      headings.set(rows.length, [
        ...(headings.get(rows.length) ?? []),
        elide(`  ${type}${members.length > 1 ? ` (${members.length})` : ""}`, width),
      ]);
      for (const resource of members) rows.push([resource.name || "?", shortRefs(resource.purpose)]);
    }
  }
  fitTable(rows, width, "    ", [
    { overflow: "elide", max: Math.min(32, Math.floor(width * 0.3)) },
    { overflow: "wrap" },
  ]).forEach((row, index) => {
    lines.push(...(headings.get(index) ?? []), ...row);
  });
  return lines;
}

/** `allow`/`DENY` (upper case stands out) and the statement, wrapped under its verb. */
function statementLines(indent: number, statement: Statement, width: number, principals: boolean): string[] {
  const verb = statement.effect === "Deny" ? "DENY " : "allow";
  const who = principals ? `${statement.principals.map(principalText).join(", ") || "(no principal)"} ` : "";
  const head = `${" ".repeat(indent)}${verb} `;
  return hanging(head, shortRefs(`${who}${statementPhrase(statement)}`), width, head.length);
}

function principalText(principal: string): string {
  return principal === "*" ? "everyone (*)" : shortRefs(principal);
}

function roles(inventory: Inventory, width: number): string[] {
  const lines = section(SECTION_TITLES.roles, width);
  if (inventory.iam.roles.length === 0) lines.push("(no IAM roles)");
  for (const role of inventory.iam.roles) {
    const { actions, statements } = roleActionCount(role);
    const users = role.usedBy.map(kindAndName).join(", ") || "nothing in this stack";
    lines.push(
      "",
      ...pack(
        [
          `role ${role.name}`,
          `${plural(actions, "action")} in ${plural(statements, "statement")}`,
          `used by ${users}`,
        ],
        " · ",
        width,
        width - 2,
      ).map((line, index) => (index === 0 ? line : `  ${line}`)),
    );
    if (role.trust.length === 0) lines.push("  trust: (no trust policy)");
    for (const statement of role.trust) {
      lines.push(
        ...para(
          2,
          `trust: ${statement.principals.map(principalText).join(", ")} ${shortRefs(statementPhrase(statement))}`,
          width,
        ),
      );
    }
    if (role.policies.length === 0) lines.push("  (no policies)");
    for (const policy of role.policies) {
      lines.push(
        ...para(
          2,
          `${policy.kind} policy ${shortRefs(policy.name)}${policy.unreadable ? `: ${policy.unreadable}` : ""}`,
          width,
        ),
      );
      for (const statement of policy.statements) lines.push(...statementLines(4, statement, width, false));
    }
  }
  return lines;
}

function resourcePolicies(inventory: Inventory, width: number): string[] {
  const lines = section(SECTION_TITLES.resourcePolicies, width);
  if (inventory.iam.resourcePolicies.length === 0) lines.push("(no resource policies)");
  for (const policy of inventory.iam.resourcePolicies) {
    lines.push(...para(0, `${policy.type.replace(/^aws_/, "")} on ${shortRefs(policy.target)}`, width));
    if (policy.unreadable) lines.push(...para(2, `(${policy.unreadable})`, width));
    for (const statement of policy.statements) lines.push(...statementLines(2, statement, width, true));
  }
  return lines;
}

function invokers(inventory: Inventory, width: number): string[] {
  const lines = section(SECTION_TITLES.invokers, width);
  if (inventory.iam.invokers.length === 0) lines.push("(no Lambda functions)");
  for (const fn of inventory.iam.invokers) {
    const permissions =
      fn.grants.length === 0
        ? "no Lambda permissions: nothing outside the account may invoke it"
        : plural(fn.grants.length, "Lambda permission");
    lines.push(...para(0, `${shortRefs(fn.function)}: ${permissions}`, width));
    if (fn.grants.length > 0) {
      const rows = [
        ["STATEMENT", "PRINCIPAL", "SOURCE"],
        ...fn.grants.map((grant) => [
          grant.statementId,
          // Every Lambda permission grants InvokeFunction unless it says otherwise.
          grant.action === "lambda:InvokeFunction" ? grant.principal : `${grant.principal} ${grant.action}`,
          [
            grant.sourceArn ? shortRefs(grant.sourceArn) : "any source",
            ...(grant.sourceAccount ? [`account ${grant.sourceAccount}`] : []),
            ...(grant.functionUrlAuthType ? [`function URL auth ${grant.functionUrlAuthType}`] : []),
          ],
        ]),
      ];
      lines.push(
        ...fitTable(rows, width, "  ", [
          { overflow: "elide" },
          { overflow: "wrap" },
          { overflow: "wrap" },
        ]).flat(),
      );
    }
    for (const source of fn.eventSources)
      lines.push(...para(2, `event source mapping ${shortRefs(source)}`, width));
  }
  return lines;
}

function exposure(inventory: Inventory, width: number): string[] {
  const lines = section(SECTION_TITLES.exposure, width);
  const { restApis, functionUrls, buckets, publicStatements, other } = inventory.exposure;
  if (restApis.length === 0) lines.push("", "REST APIs: none");
  for (const api of restApis) lines.push(...restApi(api, width));

  lines.push("", `Lambda function URLs: ${functionUrls.length === 0 ? "none" : functionUrls.length}`);
  for (const url of functionUrls) {
    lines.push(...para(2, `${shortRefs(url.function)}: authorization ${url.authorizationType}`, width));
  }
  lines.push("", `S3 buckets: ${buckets.length === 0 ? "none" : buckets.length}`);
  for (const bucket of buckets) {
    lines.push(
      ...para(
        2,
        `${bucket.name}: public access block ${publicAccessBlockText(bucket)} · ownership ${bucket.objectOwnership ?? "-"} · ACL ${bucket.acl ?? "-"} · website ${bucket.website ? "YES" : "no"}`,
        width,
      ),
    );
  }
  const allows = publicStatements.filter((item) => item.exposure);
  const guards = publicStatements.length - allows.length;
  lines.push(
    "",
    `Statements allowing everyone (Principal "*"): ${allows.length === 0 ? "none" : allows.length}`,
  );
  for (const item of allows) {
    lines.push(
      ...para(
        2,
        `${shortRefs(item.target)}: ${shortRefs(statementPhrase(item.statement))} (${item.policy})`,
        width,
      ),
    );
  }
  lines.push(
    ...para(
      0,
      `Statements denying everyone (guards, not exposure): ${guards === 0 ? "none" : `${guards}, listed under resource policies`}`,
      width,
    ),
  );
  lines.push("", `Other internet-facing resources: ${other.length === 0 ? "none" : other.length}`);
  for (const item of other) lines.push(...para(2, `${item.detail}: ${item.address}`, width));
  return lines;
}

function restApi(api: RestApiExposure, width: number): string[] {
  const lines = [
    "",
    ...pack(
      [
        `REST API ${api.name}: ${api.endpointTypes.join(", ")} (${api.internetFacing ? "internet-facing" : "VPC only"})`,
        `execute-api URL ${api.disableExecuteApiEndpoint ? "disabled" : "enabled"}`,
        `API key source ${api.apiKeySource ?? "HEADER (default)"}`,
        `binary media ${api.binaryMediaTypes.join(", ") || "none"}`,
        `resource policy ${api.resourcePolicy ? "yes (see resource policies)" : "none"}`,
      ],
      " · ",
      width,
      width - 2,
    ).map((line, index) => (index === 0 ? line : `  ${line}`)),
  ];
  for (const stage of api.stages) {
    lines.push(
      ...para(
        2,
        `stage ${stage.name}: throttle ${throttleText(stage.throttle)} · X-Ray ${stage.xrayTracing ? "on" : "off"} · access logs ${shortRefs(stage.accessLogs ?? "none")}`,
        width,
      ),
    );
    for (const [path, throttle] of Object.entries(stage.methodThrottles)) {
      lines.push(...para(4, `${path}: throttle ${throttleText(throttle)}`, width));
    }
    for (const plan of stage.usagePlans) {
      lines.push(
        ...para(
          4,
          `usage plan ${plan.name}: quota ${plan.quota ?? "none"}, ${throttleText(plan.throttle)}, keys ${plan.apiKeys.map(shortRefs).join(", ") || "none"}`,
          width,
        ),
      );
    }
    const acl = stage.webAcl;
    if (!acl) {
      lines.push(...para(4, "WAF: NONE, the stage is not behind a WAF", width));
      continue;
    }
    lines.push(
      ...para(
        4,
        `WAF ${acl.name}: ${acl.scope}, default ${acl.defaultAction}, logs ${shortRefs(acl.logging ?? "none")}`,
        width,
      ),
    );
    if (acl.rules.length > 0) {
      const rows = [
        ["PRIORITY", "RULE", "ACTION", "MATCHES"],
        ...acl.rules.map((rule) => [
          String(rule.priority),
          rule.name,
          rule.action.split("; ").flatMap((part, index) => (index === 0 ? [part] : part.split(", "))),
          shortRefs(rule.statement),
        ]),
      ];
      lines.push(
        ...fitTable(rows, width, "      ", [
          { overflow: "elide" },
          { overflow: "elide", max: 24 },
          { overflow: "wrap" },
          { overflow: "wrap" },
        ]).flat(),
      );
    }
  }
  lines.push("", ...para(2, `routes of ${api.name} (${api.routes.length})`, width));
  const rows = [
    ["ROUTE", "AUTH", "API KEY", "REQUIRED HEADERS", "VALIDATES", "TARGET"],
    ...api.routes.map((route) => {
      const required = [...route.requiredHeaders, ...route.requiredQueryStrings.map((q) => `?${q}`)];
      const target = shortRefs(route.integration ?? "(no integration)").replace(/^AWS_PROXY → /, "");
      return [
        `${route.method} ${route.path}`,
        route.authorization,
        route.apiKeyRequired ? "yes" : "no",
        required.length > 0 ? required : ["-"],
        route.requestValidator ? (/\(([^()]*)\)$/.exec(route.requestValidator)?.[1] ?? "?") : "-",
        route.integration && !route.invokePermission ? [target, "NO INVOKE PERMISSION"] : target,
      ];
    }),
  ];
  lines.push(
    ...fitTable(rows, width, "  ", [
      { overflow: "wrap" },
      { overflow: "wrap" },
      { overflow: "elide" },
      { overflow: "wrap" },
      { overflow: "wrap" },
      { overflow: "wrap" },
    ]).flat(),
  );
  return lines;
}

function alarms(inventory: Inventory, width: number): string[] {
  const lines = section(`${SECTION_TITLES.alarms} (${inventory.alarms.length})`, width);
  if (inventory.alarms.length === 0) return [...lines, "(no alarms)"];
  const actionsOf = (alarm: Inventory["alarms"][number]): string =>
    `${alarm.actions.map(shortRefs).join(", ") || "nobody"}${alarm.actionsEnabled ? "" : " (actions disabled)"}`;
  const shared = new Set(inventory.alarms.map(actionsOf));
  const common = shared.size === 1 ? [...shared][0]! : undefined;
  if (common !== undefined) lines.push(...para(0, `Every alarm notifies ${common}.`, width));
  for (const alarm of inventory.alarms) {
    const notify = common === undefined ? `, notifies ${actionsOf(alarm)}` : "";
    lines.push(
      ...para(
        2,
        `${alarm.name}: ${alarmCondition(alarm)}, missing data ${alarm.treatMissingData}${notify}`,
        width,
      ),
      ...para(4, shortRefs(alarm.metric), width),
    );
  }
  return lines;
}

function eventRules(inventory: Inventory, width: number): string[] {
  const lines = section(`${SECTION_TITLES.eventRules} (${inventory.eventRules.length})`, width);
  if (inventory.eventRules.length === 0) return [...lines, "(no event rules)"];
  for (const rule of inventory.eventRules) {
    lines.push(...para(0, `${rule.name} on bus ${rule.bus}, ${rule.state}`, width));
    if (rule.eventPattern !== undefined) lines.push(...hanging("  pattern  ", rule.eventPattern, width, 11));
    if (rule.schedule !== undefined) lines.push(...hanging("  schedule ", rule.schedule, width, 11));
    for (const target of rule.targets) {
      const details = [
        target.deadLetter ? `dead letters → ${target.deadLetter}` : "no dead-letter queue",
        target.role && `as role ${target.role}`,
        target.retry && `retry ${target.retry}`,
      ].filter(Boolean);
      lines.push(...hanging("  target   ", `${target.target} (${details.join("; ")})`, width, 11));
    }
    if (rule.targets.length === 0) lines.push("  target   (none)");
  }
  return lines;
}

function findings(inventory: Inventory, width: number): string[] {
  const lines = section(SECTION_TITLES.findings, width);
  if (inventory.findings.length === 0) {
    return [
      ...lines,
      ...para(
        0,
        "none: no public exposure besides the API, no wildcard permissions, every resource identified",
        width,
      ),
    ];
  }
  for (const finding of inventory.findings) {
    const head = `${finding.severity.toUpperCase().padEnd(7)} `;
    lines.push(
      ...hanging(
        head,
        `${finding.section}: ${shortRefs(finding.message)} (${finding.subject})`,
        width,
        head.length + 2,
      ),
    );
  }
  return lines;
}
