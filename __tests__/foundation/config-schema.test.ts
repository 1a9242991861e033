import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CONFIG, DEFAULT_LIMITS, resolveConfig } from "../../stacks/config";
import { CONFIG_SCHEMA_FILE, configSchemaText } from "../../stacks/config/json-schema";

const ROOT = join(__dirname, "..", "..");
const committed = readFileSync(join(ROOT, CONFIG_SCHEMA_FILE), "utf8");

interface SchemaNode {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly properties?: Record<string, SchemaNode>;
  readonly additionalProperties?: unknown;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
}
const schema = JSON.parse(committed) as SchemaNode;

/** Every field a file can set, as the README names them: `providers`, `providers[].id`, `limits.maxBodyBytes`. */
function fieldNames(node: SchemaNode, prefix = ""): string[] {
  if (node.oneOf) return [...new Set(node.oneOf.flatMap((variant) => fieldNames(variant, prefix)))];
  if (node.properties) {
    return Object.entries(node.properties).flatMap(([key, child]) => {
      const name = prefix ? `${prefix}.${key}` : key;
      if (child.items?.properties) return [name, ...fieldNames(child.items, `${name}[]`)];
      return child.properties || child.oneOf ? fieldNames(child, name) : [name];
    });
  }
  return [];
}

/** Every object schema with fixed fields, with its place in the schema. */
function fixedObjects(node: SchemaNode, at = "(root)"): Array<[string, SchemaNode]> {
  const own: Array<[string, SchemaNode]> = node.properties ? [[at, node]] : [];
  const children = [
    ...Object.entries(node.properties ?? {}).map(([key, child]) => [`${at}.${key}`, child] as const),
    ...(node.items ? [[`${at}[]`, node.items] as const] : []),
    ...(node.oneOf ?? []).map((variant, index) => [`${at}|${index}`, variant] as const),
  ];
  return [...own, ...children.flatMap(([path, child]) => fixedObjects(child, path))];
}

function readmeSection(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Configuration\n");
  return readme.slice(start, readme.indexOf("\n## ", start + 1));
}

test(`the committed ${CONFIG_SCHEMA_FILE} is the one the types generate (npm run schema)`, () => {
  expect(schema).toEqual(JSON.parse(configSchemaText()));
});

test("every object with fixed fields allows no other key", () => {
  const open = fixedObjects(schema).filter(([, node]) => node.additionalProperties !== false);
  expect(open.map(([path]) => path)).toEqual([]);
});

test("every field has a description", () => {
  const bare = fixedObjects(schema).flatMap(([path, node]) =>
    Object.entries(node.properties!)
      .filter(([, child]) => !child.description)
      .map(([key]) => `${path}.${key}`),
  );
  expect(bare).toEqual([]);
});

test("the schema's defaults are the ones the loader applies", () => {
  const top = schema.properties!;
  for (const [key, value] of Object.entries(DEFAULT_CONFIG)) {
    if (top[key]?.default !== undefined) expect([key, top[key]!.default]).toEqual([key, value]);
  }
  const limits = top.limits!.properties!;
  expect(Object.fromEntries(Object.entries(limits).map(([key, node]) => [key, node.default]))).toEqual(
    DEFAULT_LIMITS,
  );
});

test("the README's field table lists exactly the fields of the schema", () => {
  const rows = [...readmeSection().matchAll(/^\| `([$\w.[\]]+)` \|/gm)].map(([, field]) => field!);
  const variables = rows.filter((row) => row.startsWith("WEBHOOK_"));
  expect(rows.filter((row) => !variables.includes(row))).toEqual(fieldNames(schema));
});

test("the README's example production file is a valid configuration", () => {
  const examples = [...readmeSection().matchAll(/```json\n([\s\S]*?)```/g)].map(([, json]) =>
    JSON.parse(json!),
  );
  expect(examples.length).toBeGreaterThan(0);
  for (const example of examples) expect(() => resolveConfig(example)).not.toThrow();
});
