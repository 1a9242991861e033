#!/usr/bin/env node
"use strict";
// The CLI is TypeScript run through tsx (a root devDependency), like `npm run synth`: registered
// here for this process only, so `npx webhooks` needs no build step.
require("tsx/cjs/api").register();
// `webhooks inventory | head`: a closed pipe ends the output, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main } = require("../src/main.ts");

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`webhooks: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
