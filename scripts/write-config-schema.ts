/**
 * Writes the configuration file's JSON Schema (`npm run schema`), formatted as `biome check` wants
 * it; a test fails while the committed one says something else.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_SCHEMA_FILE, configSchemaText } from "../stacks/config/json-schema";

const root = join(__dirname, "..");
writeFileSync(join(root, CONFIG_SCHEMA_FILE), configSchemaText());
execFileSync(join(root, "node_modules", ".bin", "biome"), ["format", "--write", CONFIG_SCHEMA_FILE], {
  cwd: root,
  stdio: "ignore",
});
console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
