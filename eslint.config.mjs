// ESLint (flat config): typescript-eslint's recommended rules, plus the type-aware rules that catch
// what a type-checker alone lets through in an add-in full of promises and unions: exhaustive
// switches, promises that nobody awaits, promises passed where a plain callback is expected.
// Formatting is Prettier's (eslint-config-prettier turns off the rules that would disagree with it).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

export default tseslint.config(
  { ignores: ["lib/", "dist/", "node_modules/", "test-artifacts/", "coverage/", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      // The project removes control characters on purpose (terminal output, XML, iCalendar, formulas).
      "no-control-regex": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Code passed to page.evaluate runs in the browser, where the workbench's globals have no types.
    files: ["test/browser/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  prettier,
);
