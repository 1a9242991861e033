import { elide, fitTable, hanging, pack, wrap } from "../../cli/src/inventory/layout";

/** Text fitted to a width: nothing wider than asked, nothing lost without a "…" saying so. */

const widest = (lines: readonly string[]) => Math.max(...lines.map((line) => line.length));

describe("elide", () => {
  test.each([
    ["short", 10, "short"],
    ["aws_s3_bucket_server_side_encryption_configuration", 24, "aws_s3_bucke…nfiguration"],
    ["dist/layer-1C4DD3869D2C2E14C9404D04EDD41428.zip", 20, "dist/layer…41428.zip"],
  ])("%s in %i columns → %s", (text, width, expected) => {
    expect(elide(text, width)).toBe(expected);
    expect(elide(text, width).length).toBeLessThanOrEqual(width);
  });
});

describe("wrap", () => {
  test("breaks at spaces, never past the width", () => {
    expect(wrap("allow s3:GetObject, s3:PutObject on whk-dev-payloads/payloads/*", 34)).toEqual([
      "allow s3:GetObject, s3:PutObject",
      "on whk-dev-payloads/payloads/*",
    ]);
  });

  test("newlines and tabs are white space like any other: no line breaks out of its indent", () => {
    expect(wrap("first line\n\tsecond", 40)).toEqual(["first line second"]);
  });

  test("the first line and the rest may have different widths", () => {
    const lines = wrap("one two three four five six seven", 9, 15);
    expect(lines[0]!.length).toBeLessThanOrEqual(9);
    expect(widest(lines.slice(1))).toBeLessThanOrEqual(15);
    expect(lines.join(" ")).toBe("one two three four five six seven");
  });

  test("a word longer than a line is cut after a separator, each cut marked with …", () => {
    const arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/whk-dev-validator:*";
    const lines = wrap(arn, 30);
    expect(widest(lines)).toBeLessThanOrEqual(30);
    expect(lines.slice(0, -1).every((line) => line.endsWith("…"))).toBe(true);
    expect(lines.slice(1).every((line) => line.startsWith("…"))).toBe(true);
    expect(lines.map((line) => line.replace(/^…|…$/g, "")).join("")).toBe(arn);
    expect(lines[0]).toMatch(/[:/]…$/);
  });
});

describe("pack", () => {
  test("breaks only between items, keeping the separator's visible part at the line end", () => {
    expect(pack(["154 resources", "5 IAM roles", "18 resource policies", "0 warnings"], " · ", 32)).toEqual([
      "154 resources · 5 IAM roles ·",
      "18 resource policies ·",
      "0 warnings",
    ]);
  });

  test("an item longer than a line falls back to wrapping its words", () => {
    const lines = pack(["short", "a much longer item than the line holds"], ", ", 16);
    expect(widest(lines)).toBeLessThanOrEqual(16);
    expect(lines.join(" ")).toBe("short, a much longer item than the line holds");
  });
});

test("hanging: continuation lines are indented under the text", () => {
  expect(hanging("  allow ", "logs:CreateLogStream, logs:PutLogEvents on /aws/lambda/x:*", 40, 8)).toEqual([
    "  allow logs:CreateLogStream,",
    "        logs:PutLogEvents on",
    "        /aws/lambda/x:*",
  ]);
});

describe("fitTable", () => {
  const rows = [
    ["TYPE", "NAME", "PURPOSE"],
    [
      "s3_bucket_server_side_encryption_configuration",
      "whk-dev-payloads-us-east-1",
      "default encryption aws:kms of bucket whk-dev-payloads-us-east-1",
    ],
    ["sqs_queue", "whk-dev-ingest", "SQS ingest queue (whk-dev-validator → whk-dev-router)"],
  ];

  const columns = [{ overflow: "elide" }, { overflow: "elide" }, { overflow: "wrap" }] as const;

  test.each([30, 40, 60, 100])("fits %i columns, one entry per row", (width) => {
    const table = fitTable(rows, width, "  ", columns);
    expect(widest(table.flat())).toBeLessThanOrEqual(width);
    expect(table).toHaveLength(rows.length);
  });

  test.each([60, 100])("in %i columns the wrapped column keeps every word whole", (width) => {
    const text = fitTable(rows, width, "  ", columns).flat().join(" ");
    for (const word of rows[2]![2]!.split(" ")) expect(text).toContain(word);
  });

  test("a column never grows past its max, even with room to spare", () => {
    const [header, first] = fitTable(rows, 200, "", [
      { overflow: "elide", max: 12 },
      { overflow: "elide" },
      { overflow: "wrap" },
    ]);
    expect(first![0]!.slice(0, 12)).toBe(elide(rows[1]![0]!, 12));
    expect(header![0]!.indexOf("NAME")).toBe(14);
  });
});
