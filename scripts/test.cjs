#!/usr/bin/env node
"use strict";
/**
 * `npm test`: the type check, the lint and jest at once, since jest alone leaves a core idle
 * while it waits on child processes and timers. jest's output streams as it comes; the type
 * check's and the lint's follow it, each under its own heading. Exits 1 when any of them failed,
 * after all three have finished.
 */
const { spawn } = require("node:child_process");

/** Runs an npm script; `buffered` keeps its output for later instead of streaming it. */
function run(script, buffered) {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", script], {
      stdio: buffered ? ["ignore", "pipe", "pipe"] : "inherit",
      shell: process.platform === "win32",
    });
    const output = [];
    if (buffered)
      for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => output.push(chunk));
    child.on("close", (code, signal) => resolve({ script, ok: code === 0, code: code ?? signal, output }));
  });
}

(async () => {
  const results = await Promise.all([run("jest", false), run("typecheck", true), run("lint", true)]);
  for (const { script, ok, code, output } of results.slice(1)) {
    process.stdout.write(`\n${script}: ${ok ? "ok" : `failed (${code})`}\n`);
    if (!ok || output.length > 0) process.stdout.write(Buffer.concat(output));
  }
  const failed = results.filter((result) => !result.ok).map((result) => result.script);
  if (failed.length > 0) process.stdout.write(`\nnpm test: ${failed.join(", ")} failed\n`);
  process.exitCode = failed.length > 0 ? 1 : 0;
})();
