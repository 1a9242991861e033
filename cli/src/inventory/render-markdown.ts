import { code, details, html, lines, mdTable, text } from "./markdown";
import { formatCondition } from "./policies";
import {
  alarmCondition,
  kindAndName,
  plural,
  publicAccessBlockText,
  roleActionCount,
  shortRefs,
  summaryParts,
  throttleText,
  title,
} from "./render-common";
import type { Inventory, RestApiExposure, Statement } from "./types";

/**
 * GitHub-flavoured Markdown for a pull-request comment: findings and exposure first (what a
 * reviewer must see), then IAM, alarms, event rules and resources, long lists collapsed in
 * `<details>`. Resources are named by physical name; the order is the inventory's, so the same
 * document always gives the same comment.
 */
export function renderMarkdown(inventory: Inventory): string {
  return `${[
    `## ${text(title(inventory))}`,
    "",
    text(summaryParts(inventory).join(" · ")),
    ...findings(inventory),
    ...exposure(inventory),
    ...roles(inventory),
    ...resourcePolicies(inventory),
    ...invokers(inventory),
    ...alarms(inventory),
    ...eventRules(inventory),
    ...resources(inventory),
  ].join("\n")}\n`;
}

function heading(name: string): string[] {
  return ["", `### ${name}`, ""];
}

const codes = (values: readonly string[]): string[] => values.map((value) => code(shortRefs(value)));

function findings(inventory: Inventory): string[] {
  const out = heading("Findings");
  if (inventory.findings.length === 0) {
    return [
      ...out,
      "None: no public exposure besides the API, no wildcard permissions, every resource identified.",
    ];
  }
  return [
    ...out,
    ...mdTable(
      ["Severity", "Section", "Finding", "Subject"],
      inventory.findings.map((finding) => [
        finding.severity === "warning" ? "**warning**" : "note",
        finding.section,
        text(shortRefs(finding.message)),
        code(finding.subject),
      ]),
    ),
  ];
}

function exposure(inventory: Inventory): string[] {
  const out = heading("Internet exposure");
  const { restApis, functionUrls, buckets, publicStatements, other } = inventory.exposure;
  if (restApis.length === 0) out.push("No REST API.");
  for (const api of restApis) out.push(...restApi(api));
  const allows = publicStatements.filter((item) => item.exposure);
  out.push(
    "",
    `- Lambda function URLs: ${functionUrls.map((url) => `${code(shortRefs(url.function))} (auth ${url.authorizationType})`).join(", ") || "none"}`,
    `- S3 buckets: ${buckets.map((bucket) => `${code(bucket.name)} (public access block ${publicAccessBlockText(bucket)}${bucket.acl ? `, ACL ${bucket.acl}` : ""}${bucket.website ? ", **website**" : ""})`).join(", ") || "none"}`,
    `- Statements allowing everyone (Principal \`*\`): ${allows.map((item) => `${code(shortRefs(item.target))}: ${code(shortRefs(statementText(item.statement)))}`).join(", ") || "none"}`,
    `- Statements denying everyone (guards, not exposure): ${publicStatements.length - allows.length}`,
    `- Other internet-facing resources: ${other.map((item) => `${text(item.detail)} ${code(item.address)}`).join(", ") || "none"}`,
  );
  return out;
}

function restApi(api: RestApiExposure): string[] {
  const out = [
    `**REST API ${code(api.name)}**: ${api.endpointTypes.join(", ")} (${api.internetFacing ? "internet-facing" : "VPC only"}) · execute-api URL ${api.disableExecuteApiEndpoint ? "disabled" : "enabled"} · API key source ${api.apiKeySource ?? "HEADER (default)"} · binary media ${code(api.binaryMediaTypes.join(", ") || "none")} · resource policy ${api.resourcePolicy ? "yes" : "none"}`,
  ];
  for (const stage of api.stages) {
    const waf = stage.webAcl
      ? `WAF ${code(stage.webAcl.name)} (${stage.webAcl.scope}, default ${stage.webAcl.defaultAction}${stage.webAcl.logging ? `, logs ${code(shortRefs(stage.webAcl.logging))}` : ""})`
      : "**no WAF**";
    const plans = stage.usagePlans.map(
      (plan) =>
        `usage plan ${code(plan.name)}: quota ${plan.quota ?? "none"}, ${throttleText(plan.throttle)}`,
    );
    out.push(
      "",
      [
        `**Stage ${code(stage.name)}**: throttle ${throttleText(stage.throttle)}`,
        ...Object.entries(stage.methodThrottles).map(([path, t]) => `${code(path)} ${throttleText(t)}`),
        ...plans,
        `X-Ray ${stage.xrayTracing ? "on" : "off"}`,
        `access logs ${stage.accessLogs ? code(shortRefs(stage.accessLogs)) : "none"}`,
        waf,
      ].join(" · "),
    );
    if (stage.webAcl && stage.webAcl.rules.length > 0) {
      out.push(
        "",
        ...details(
          `WAF rules of <code>${html(stage.webAcl.name)}</code> (${stage.webAcl.rules.length})`,
          mdTable(
            ["Priority", "Rule", "Action", "Matches"],
            stage.webAcl.rules.map((rule) => [
              String(rule.priority),
              code(rule.name),
              lines(
                rule.action
                  .split("; ")
                  .flatMap((part, i) => (i === 0 ? [part] : part.split(", ")))
                  .map(text),
              ),
              text(shortRefs(rule.statement)),
            ]),
          ),
        ),
      );
    }
  }
  out.push(
    "",
    ...mdTable(
      ["Route", "Auth", "API key", "Required headers", "Validator", "Integration", "Invoke permission"],
      api.routes.map((route) => [
        code(`${route.method} ${route.path}`),
        route.authorization,
        route.apiKeyRequired ? "required" : "no",
        lines(codes([...route.requiredHeaders, ...route.requiredQueryStrings.map((q) => `?${q}`)])),
        route.requestValidator ? text(route.requestValidator) : "-",
        route.integration ? code(shortRefs(route.integration)) : "-",
        route.invokePermission ? code(route.invokePermission) : "**missing**",
      ]),
    ),
  );
  return out;
}

function statementText(statement: Statement): string {
  return `${statement.effect} ${statement.notActions ? "all except " : ""}${statement.actions.join(", ")}`;
}

function statementRow(statement: Statement): string[] {
  return [
    statement.effect === "Deny" ? "**Deny**" : "Allow",
    lines(codes(statement.actions), "-").replace(/^/, statement.notActions ? "all except<br>" : ""),
    lines(codes(statement.resources)).replace(/^/, statement.notResources ? "all except<br>" : ""),
    lines(statement.conditions.map((condition) => code(shortRefs(formatCondition(condition))))),
  ];
}

function roles(inventory: Inventory): string[] {
  const out = heading("IAM permissions by role");
  if (inventory.iam.roles.length === 0) return [...out, "No IAM roles."];
  for (const role of inventory.iam.roles) {
    const { actions, statements } = roleActionCount(role);
    const users = role.usedBy.map(kindAndName).join(", ") || "nothing in this stack";
    const trust = role.trust.map(
      (s) =>
        `${code(s.principals.join(", "))} ${code(shortRefs(s.actions.join(", ")))}${s.conditions.length ? ` if ${code(shortRefs(s.conditions.map(formatCondition).join("; ")))}` : ""}`,
    );
    const body = [`Trusts ${trust.join("; ") || "nobody (no trust policy)"}.`];
    for (const policy of role.policies) {
      body.push(
        "",
        `${policy.kind} policy ${code(shortRefs(policy.name))}${policy.unreadable ? `: ${text(policy.unreadable)}` : ""}`,
      );
      if (policy.statements.length > 0) {
        body.push(
          "",
          ...mdTable(["Effect", "Actions", "Resources", "Conditions"], policy.statements.map(statementRow)),
        );
      }
    }
    out.push(
      ...details(
        `<code>${html(role.name)}</code>: ${plural(actions, "action")} in ${plural(statements, "statement")}, used by ${html(users)}`,
        body,
      ),
    );
  }
  return out;
}

function resourcePolicies(inventory: Inventory): string[] {
  const out = heading("Resource policies");
  const policies = inventory.iam.resourcePolicies;
  if (policies.length === 0) return [...out, "No resource policies."];
  const rows = policies.flatMap((policy) =>
    policy.unreadable
      ? [[code(policy.type), code(shortRefs(policy.target)), "-", "-", text(policy.unreadable), "-", "-"]]
      : policy.statements.map((statement) => [
          code(policy.type),
          code(shortRefs(policy.target)),
          statement.principals.length > 0 ? lines(codes(statement.principals)) : "-",
          ...statementRow(statement),
        ]),
  );
  return [
    ...out,
    ...details(
      `${policies.length} resource policies`,
      mdTable(["Policy", "On", "Principal", "Effect", "Actions", "Resources", "Conditions"], rows),
    ),
  ];
}

function invokers(inventory: Inventory): string[] {
  const out = heading("Who may invoke each function");
  const rows = inventory.iam.invokers.flatMap((fn) => [
    ...fn.grants.map((grant) => [
      code(shortRefs(fn.function)),
      code(grant.principal),
      lines([
        grant.sourceArn ? code(shortRefs(grant.sourceArn)) : "**any source**",
        ...(grant.sourceAccount ? [`account ${code(grant.sourceAccount)}`] : []),
        ...(grant.functionUrlAuthType ? [`function URL auth ${grant.functionUrlAuthType}`] : []),
      ]),
      code(grant.statementId),
    ]),
    ...fn.eventSources.map((source) => [
      code(shortRefs(fn.function)),
      "event source mapping",
      code(shortRefs(source)),
      "-",
    ]),
    ...(fn.grants.length === 0 && fn.eventSources.length === 0
      ? [[code(shortRefs(fn.function)), "nobody outside the account", "-", "-"]]
      : []),
  ]);
  if (rows.length === 0) return [...out, "No Lambda functions."];
  return [...out, ...mdTable(["Function", "Principal", "Source", "Statement"], rows)];
}

function alarms(inventory: Inventory): string[] {
  const out = heading("Alarms");
  if (inventory.alarms.length === 0) return [...out, "No alarms."];
  return [
    ...out,
    ...details(
      `${inventory.alarms.length} alarms`,
      mdTable(
        ["Alarm", "Fires when", "Missing data", "Notifies", "Metric"],
        inventory.alarms.map((alarm) => [
          code(alarm.name),
          text(alarmCondition(alarm)),
          alarm.treatMissingData,
          `${lines(codes(alarm.actions), "**nobody**")}${alarm.actionsEnabled ? "" : " (**disabled**)"}`,
          code(shortRefs(alarm.metric)),
        ]),
      ),
    ),
  ];
}

function eventRules(inventory: Inventory): string[] {
  const out = heading("Event rules");
  if (inventory.eventRules.length === 0) return [...out, "No event rules."];
  return [
    ...out,
    ...mdTable(
      ["Rule", "Bus", "State", "Pattern", "Targets"],
      inventory.eventRules.map((rule) => [
        code(rule.name),
        code(rule.bus),
        rule.state,
        [rule.eventPattern && code(rule.eventPattern), rule.schedule && `schedule ${code(rule.schedule)}`]
          .filter(Boolean)
          .join("<br>") || "-",
        lines(
          rule.targets.map(
            (target) =>
              `${code(target.target)}${target.deadLetter ? `, dead letters → ${code(target.deadLetter)}` : ", **no dead-letter queue**"}${target.retry ? `, retry ${target.retry}` : ""}`,
          ),
          "**none**",
        ),
      ]),
    ),
  ];
}

function resources(inventory: Inventory): string[] {
  const groups = new Set(inventory.resources.map((resource) => resource.group));
  return [
    ...heading("Resources"),
    ...details(
      `${inventory.resources.length} resources in ${groups.size} groups`,
      mdTable(
        ["Group", "Type", "Name", "Purpose"],
        inventory.resources.map((resource) => [
          text(resource.group),
          code(`${resource.mode === "data" ? "data." : ""}${resource.type}`),
          code(resource.name || "?"),
          text(shortRefs(resource.purpose)),
        ]),
      ),
    ),
  ];
}
