/** Jest runs the TypeScript sources directly; `npm test` type-checks the whole project first with tsc. */
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }] };
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      roots: ["<rootDir>/test"],
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/test/browser/"],
      // Every package a unit test writes is checked against the OPC rules (test/setup).
      setupFilesAfterEnv: ["<rootDir>/test/setup/package-invariants.ts"],
      transform,
      moduleFileExtensions: ["ts", "js", "json"],
    },
    {
      displayName: "browser",
      testEnvironment: "node",
      roots: ["<rootDir>/test"],
      testMatch: ["**/test/browser/**/*.test.ts"],
      transform,
      moduleFileExtensions: ["ts", "js", "json"],
    },
  ],
  testTimeout: 120000,
};
