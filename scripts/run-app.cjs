#!/usr/bin/env node
"use strict";
// The cdktf app command (`cdktf.json`): runs main.ts, bundled and cached by run-bundled.cjs (tsx
// transpiled and resolved every module on every synth, most of a synth's time).
const { loadBundled } = require("./run-bundled.cjs");

loadBundled("main.ts").catch((error) => {
  // esbuild has printed what it could not compile (file, line, message).
  if (!error.errors) console.error(error);
  process.exitCode = 1;
});
