/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // swc strips types without checking them; `npm run typecheck` is the type check.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2023" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  reporters: ["default", "<rootDir>/__tests__/support/summary-reporter.js"],
};
