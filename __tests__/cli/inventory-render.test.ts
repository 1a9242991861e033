import { buildInventory, type Inventory, renderInventory } from "../../cli/src/inventory/index";
import { synthStack } from "../support/synth";
import { type Doc, LONG_ARN, richDocument } from "./support/inventory-fixtures";

/**
 * The compact text view fits a terminal, and the Markdown view is a well-formed pull-request
 * comment. GIVEN the default stack and a rich one (long names, a finding in every section), each
 * synthesized once.
 */
const defaultDoc: Doc = synthStack().doc;
const richDoc: Doc = richDocument();
const stacks: Array<[string, Inventory]> = [
  ["default", buildInventory(defaultDoc)],
  ["rich", buildInventory(richDoc)],
];
const [, defaultInventory] = stacks[0]!;
const [, richInventory] = stacks[1]!;
const lengths = (text: string) =>
  text
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => [...line].length);

describe("compact text (the default view)", () => {
  const cases = stacks.flatMap(([name, inventory]) =>
    [60, 80, 100, 120, 160].map((width) => [name, width, inventory] as const),
  );

  test.each(cases)("the %s stack: no line is wider than %i columns", (_name, width, inventory) => {
    const text = renderInventory(inventory, "text", { width });
    expect(Math.max(...lengths(text))).toBeLessThanOrEqual(width);
    expect(text.split("\n").every((line) => line === line.trimEnd())).toBe(true);
  });

  test("without a width it fits 100 columns", () => {
    expect(Math.max(...lengths(renderInventory(richInventory, "text")))).toBeLessThanOrEqual(100);
  });

  test("it is narrower than the full view, and names every role, route, alarm and event rule", () => {
    const text = renderInventory(defaultInventory, "text", { width: 100 });
    expect(Math.max(...lengths(renderInventory(defaultInventory, "full")))).toBeGreaterThan(120);
    const names = [
      ...defaultInventory.iam.roles.map((role) => `role ${role.name}`),
      ...defaultInventory.exposure.restApis.flatMap((api) => api.routes.map((r) => `${r.method} ${r.path}`)),
      ...defaultInventory.alarms.map((alarm) => `${alarm.name}:`),
      ...defaultInventory.eventRules.map((rule) => `${rule.name} on bus`),
    ];
    for (const name of names) expect(text).toContain(name);
  });

  test("each role is one line with its counts, followed by its trust and its statements", () => {
    const text = renderInventory(defaultInventory, "text", { width: 160 });
    for (const role of defaultInventory.iam.roles) {
      const statements = role.policies.flatMap((policy) => policy.statements);
      const actions = new Set(statements.flatMap((statement) => statement.actions)).size;
      expect(text).toMatch(
        new RegExp(
          `^role ${role.name} · ${actions} actions? in ${statements.length} statements? · used by `,
          "m",
        ),
      );
    }
    expect(text).toMatch(/^ {2}trust: Service:lambda\.amazonaws\.com sts:AssumeRole$/m);
    expect(text).toMatch(/^ {4}allow sqs:SendMessage on whk-dev-ingest$/m);
  });

  test("each Lambda permission is one row: statement, principal, source", () => {
    const text = renderInventory(defaultInventory, "text", { width: 100 });
    const validator = defaultInventory.iam.invokers.find((fn) =>
      fn.function.endsWith("(whk-dev-validator)"),
    )!;
    expect(validator.grants).toHaveLength(1);
    expect(text).toContain("whk-dev-validator: 1 Lambda permission\n  STATEMENT ");
    expect(text).toMatch(
      /^ {2}whk-dev-api-post +apigateway\.amazonaws\.com +whk-dev-live execution_arn\/POST\/webhook\*$/m,
    );
  });

  test("alarms show when they fire and what they watch; rules their pattern and target", () => {
    const text = renderInventory(defaultInventory, "text", { width: 120 });
    const alarm = defaultInventory.alarms.find((candidate) => candidate.name === "whk-dev-ingest-dlq-depth")!;
    expect(text).toContain(
      `  whk-dev-ingest-dlq-depth: > ${alarm.threshold} in ${alarm.datapointsToAlarm} of ${alarm.evaluationPeriods} periods of ${alarm.periodSeconds} s, missing data notBreaching\n    AWS/SQS ApproximateNumberOfMessagesVisible`,
    );
    const rule = defaultInventory.eventRules.find(
      (candidate) => candidate.name === "whk-dev-route-payments",
    )!;
    expect(text).toContain(
      `  pattern  ${rule.eventPattern}\n  target   whk-dev-route-payments (dead letters → `,
    );
  });

  test("a value longer than the line is cut with … marks: its pieces joined give it back", () => {
    const text = renderInventory(richInventory, "text", { width: 60 });
    expect(text).not.toContain(LONG_ARN);
    expect(text.replace(/…\n +…/g, "")).toContain(LONG_ARN);
  });

  test("names wider than their column are elided in the middle, keeping both ends", () => {
    const text = renderInventory(richInventory, "text", { width: 80 });
    const long = "an-extremely-long-bucket-name-for-exports-and-quarterly-reports-2025";
    expect(text).toMatch(/^ {4}an-extremely[^ ]*…[^ ]*-2025 +S3 bucket/m);
    expect(text).toContain(`  ${long}: public`);
  });
});

describe("Markdown", () => {
  const markdown = (inventory: Inventory) => renderInventory(inventory, "markdown");

  test("findings and exposure come first, then IAM, alarms, event rules and resources", () => {
    const headings = markdown(defaultInventory)
      .split("\n")
      .filter((line) => line.startsWith("#"));
    expect(headings[0]).toMatch(/^## Inventory of stack /);
    expect(headings.slice(1)).toEqual([
      "### Findings",
      "### Internet exposure",
      "### IAM permissions by role",
      "### Resource policies",
      "### Who may invoke each function",
      "### Alarms",
      "### Event rules",
      "### Resources",
    ]);
  });

  test.each(stacks)("%s stack: every table row has as many cells as its header", (_name, inventory) => {
    const cells = (row: string) => row.replace(/\\\|/g, "").split("|").length;
    let header: number | undefined;
    for (const line of markdown(inventory).split("\n")) {
      if (!line.startsWith("|")) {
        header = undefined;
        continue;
      }
      header ??= cells(line);
      expect({ line, cells: cells(line) }).toEqual({ line, cells: header });
    }
  });

  test.each(stacks)("%s stack: <details> blocks open and close in pairs", (_name, inventory) => {
    let depth = 0;
    for (const line of markdown(inventory).split("\n")) {
      if (line === "<details>") depth++;
      if (line === "</details>") depth--;
      expect(depth === 0 || depth === 1).toBe(true);
    }
    expect(depth).toBe(0);
  });

  test("values that look like Markdown or HTML stay literal: in code spans or escaped", () => {
    const text = markdown(defaultInventory);
    const outsideCode = text.replace(/`[^`]*`/g, "");
    expect(text).toContain("<account>");
    expect(outsideCode).not.toMatch(/(^|[^\\])<account>/m);
    expect(text).toContain("`s3:*`");
    expect(outsideCode).not.toMatch(/(^|[^\\])\*[a-z]/m);
  });

  test("the order does not depend on the document's key order", () => {
    const reversed = structuredClone(defaultDoc);
    for (const mode of ["resource", "data"]) {
      reversed[mode] = Object.fromEntries(
        Object.entries(reversed[mode])
          .reverse()
          .map(([type, byId]) => [type, Object.fromEntries(Object.entries(byId as object).reverse())]),
      );
    }
    expect(markdown(buildInventory(reversed))).toBe(markdown(defaultInventory));
  });
});
