import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_FILE } from "./schema";
import type { Docs, JsonSchema } from "./shape";

/** The committed JSON Schema of a configuration file, at the project root (`npm run schema` writes it). */
export const CONFIG_SCHEMA_FILE = "webhooks.config.schema.json";

/**
 * Where the types and their doc comments are: the schema's descriptions and defaults (a custom
 * scheme's knobs are documented where the engine defines them).
 */
const TYPES_FILES = [
  join(__dirname, "types.ts"),
  join(__dirname, "../../functions/shared/schemes/custom.ts"),
];
const TYPES_FILE = TYPES_FILES.join(" or ");

/** The JSON Schema of a configuration file, as committed: shapes from the table, words from the types' docs. */
export function configSchemaText(
  typesSource = TYPES_FILES.map((file) => readFileSync(file, "utf8")).join("\n"),
): string {
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Webhook platform configuration (the file WEBHOOK_CONFIG names)",
    ...CONFIG_FILE.jsonSchema(docsFrom(typesSource)),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * Reads the doc comment of every exported interface and type alias and of every field of an
 * interface. `@default <JSON>` becomes the field's `default`; `@default - <words>` (no literal
 * value) stays in the description. A field without a doc comment is an error.
 */
function docsFrom(source: string): Docs {
  const types = new Map<string, string>();
  for (const [, comment, name] of source.matchAll(
    /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export (?:interface|type) (\w+)/g,
  ))
    types.set(name!, comment!);
  const fields = new Map<string, string>();
  for (const [, name, body] of source.matchAll(/export interface (\w+)[^{]*\{([\s\S]*?)\n\}/g)) {
    for (const [, comment, field] of body!.matchAll(
      /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*readonly (\$?\w+)\??:/g,
    ))
      fields.set(`${name}.${field}`, comment!);
  }
  return {
    type: (name) => {
      const comment = types.get(name);
      if (comment === undefined) throw new Error(`${name} has no doc comment in ${TYPES_FILE}`);
      return fromComment(comment);
    },
    field: (typeNames, field) => {
      const comment = typeNames
        .map((name) => fields.get(`${name}.${field}`))
        .find((found) => found !== undefined);
      if (comment === undefined)
        throw new Error(`${typeNames.join(" / ")}.${field} has no doc comment in ${TYPES_FILE}`);
      return fromComment(comment);
    },
  };
}

function fromComment(comment: string): JsonSchema {
  const text = comment
    .split("\n")
    .map((line) => line.replace(/^\s*\*\s?/, ""))
    .join(" ")
    .replace(/\{@link ([\w.]+)\}/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
  const [description, defaultText] = text.split(/\s*@default\s+/) as [string, string | undefined];
  if (defaultText === undefined) return { description };
  if (defaultText.startsWith("- "))
    return { description: `${description} Default: ${defaultText.slice(2)}.` };
  const literal = defaultText.replace(/\s+\(.*\)$/, "");
  return { description: `${description} Default: ${defaultText}.`, default: JSON.parse(literal) };
}
