import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NAME_RULES, type NameKind } from "../../constructs/naming";

/** The rows of docs/name-limits.md's "The limits" table, cells split on unescaped `|`. */
function limitRows(): Map<string, string[]> {
  const text = readFileSync(join(__dirname, "..", "..", "docs", "name-limits.md"), "utf8");
  const section = text.slice(text.indexOf("## The limits"));
  const rows = section
    .split("\n")
    .filter((line) => line.startsWith("| `aws_"))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replaceAll("\\|", "|")),
    );
  return new Map(rows.map((cells) => [cells[0]!.replaceAll("`", ""), cells]));
}

const rows = limitRows();
const UNIQUE_IN_TEXT = { account: "region appended", global: "account id and region appended" } as const;

test("the table has one row per naming rule, and no other", () => {
  expect([...rows.keys()].sort()).toEqual(Object.keys(NAME_RULES).sort());
});

test.each(Object.keys(NAME_RULES) as NameKind[])(
  "%s: limits, pattern and uniqueness as the naming module enforces them",
  (kind) => {
    const rule = NAME_RULES[kind] as {
      min: number;
      max: number;
      pattern: RegExp;
      uniqueIn?: "account" | "global";
    };
    const [, min, max, pattern, , uniqueIn] = rows.get(kind)!;
    expect([Number(min), Number(max), pattern]).toEqual([rule.min, rule.max, `\`${rule.pattern.source}\``]);
    if (rule.uniqueIn) expect(uniqueIn).toContain(UNIQUE_IN_TEXT[rule.uniqueIn]);
    else expect(uniqueIn).not.toMatch(/appended/);
  },
);
