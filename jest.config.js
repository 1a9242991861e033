/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // A worker per core: jest's default leaves one for itself, which on two cores runs the files one
  // after another while the parent mostly waits.
  maxWorkers: "100%",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // swc strips types without checking them; `npm run typecheck` is the type check.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2023" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  // cdktf's and constructs' creation-stack capture, without jest's per-frame source mapping.
  moduleNameMapper: {
    "^\\./(tokens/)?(private/)?stack-trace$": "<rootDir>/__tests__/support/creation-stack.ts",
  },
  reporters: ["default", "<rootDir>/__tests__/support/summary-reporter.js"],
};
