#!/usr/bin/env node
"use strict";
// The CLI is TypeScript, loaded bundled (esbuild, cached under .cache/ and rebuilt when a source
// changes; see scripts/run-bundled.cjs), so `npx webhooks` needs no build step and starts fast.
const { loadBundled } = require("../../scripts/run-bundled.cjs");

// `webhooks inventory | head`: a closed pipe ends the output, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

loadBundled("cli/src/main.ts")
  .then(({ main }) => main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      // esbuild has printed what it could not compile (file, line, message).
      if (!error.errors)
        process.stderr.write(`webhooks: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
