import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const tauriOnlyInBackend = {
  paths: [
    {
      name: "@tauri-apps/api",
      message: "Every Tauri call goes through src/lib/backend.ts.",
    },
  ],
  patterns: [
    {
      group: ["@tauri-apps/*", "@tauri-apps/**"],
      message: "Every Tauri call goes through src/lib/backend.ts.",
    },
    {
      group: ["**/bindings", "**/bindings.ts"],
      message: "Import the generated bindings through src/lib/backend.ts only.",
    },
  ],
};

export default tseslint.config(
  { ignores: ["dist", "node_modules", "src/lib/bindings.ts"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-console": ["error", { allow: ["warn", "error"] }],
      "no-restricted-imports": ["error", tauriOnlyInBackend],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
    },
  },
  {
    // The one module that talks to Tauri.
    files: ["src/lib/backend.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Tests stand in for the backend with Tauri's own IPC mocks.
    files: ["src/**/*.test.{ts,tsx}", "src/test/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@tauri-apps/(?!api/mocks$)",
              message: "Tests mock IPC with @tauri-apps/api/mocks; calls go through backend.ts.",
            },
            {
              group: ["**/bindings", "**/bindings.ts"],
              message: "Import the generated bindings through src/lib/backend.ts only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["*.config.{js,ts}"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
