// Lint: TypeScript's recommended rules, the rules of hooks, and the layer rules of the
// architecture (docs/decisions/017-layers.md). Dependencies point down only:
//
//   routes → http → services (use-cases, queries) → platform, providers, auth → domain
//   components → domain                                  db ← platform     (db imports nothing from app)
//
// `import-x/no-restricted-paths` refuses an import that points up or sideways across a
// boundary, and `import-x/no-cycle` refuses any import loop, so the picture cannot drift.
import js from "@eslint/js";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";
import i18next from "eslint-plugin-i18next";

const layer = (target, from, message) => ({ target, from, message });

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "data/**", "migrations/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "import-x": importX, "react-hooks": reactHooks },
    settings: {
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".tsx", ".js", ".json"] })],
      // Which files the import rules parse to follow their imports. Without this the plugin reads
      // only .js files, and `no-cycle` never walked past the first .ts import: a loop through three
      // .server.ts modules passed the lint.
      "import-x/extensions": [".ts", ".tsx", ".js", ".jsx"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
    },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            layer(
              "./app/domain",
              ["./app/!(domain)/**/*", "./db/**/*", "./server/**/*"],
              "app/domain is pure: it imports only app/domain.",
            ),
            // The schema, the client and the migrations runner are the bottom of the house. The demo seed
            // and the CLI are entry points like server/: they call use-cases.
            layer(["./db/schema.ts", "./db/client.ts", "./db/migrate.ts"], ["./app"], "db/ imports nothing from app/."),
            layer(
              "./app/services",
              ["./app/http", "./app/routes", "./app/components"],
              "Services never import the web layer (http, routes, components).",
            ),
            layer(
              "./app/platform",
              ["./app/services", "./app/http", "./app/routes", "./app/components"],
              "app/platform is below the use-cases: it imports no service and no web code.",
            ),
            layer(
              "./app/providers",
              ["./app/services", "./app/http", "./app/routes", "./app/components"],
              "Providers are below the use-cases.",
            ),
            layer(
              "./app/auth",
              ["./app/services", "./app/http", "./app/routes", "./app/components"],
              "app/auth is below the use-cases.",
            ),
            layer("./app/http", ["./app/routes", "./app/components"], "app/http is below the routes."),
            layer(
              "./app/routes",
              ["./db", "./app/platform"],
              "Routes call a use-case or a query (app/services) through app/http; they never hold the database.",
            ),
            layer(
              "./app/components",
              [
                "./db/**/*",
                "./app/platform/**/*",
                "./app/services/!(queries)/**/*",
                "./app/http/**/*",
                "./app/routes/**/*",
                "./app/auth/*.server.ts",
              ],
              "Components render what a loader gives them (read-model types from app/services/queries); they import no server code.",
            ),
          ],
        },
      ],
      // Input checks refuse control characters on purpose (NUL, escapes in free text).
      "no-control-regex": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    // Every staff and customer screen is in both languages (ADR 042): string literals in their JSX
    // text and in the JSX attributes people read (labels, titles, placeholders, aria-labels) or
    // that hold JSX (a table's header cells, a modal's fields) must come from the locales, so a new
    // untranslated word fails the lint. The sandbox PSP's pages are the provider's, in its words.
    files: ["app/root.tsx", "app/routes/**/*.tsx", "app/components/**/*.tsx"],
    ignores: ["app/routes/sandbox.*.tsx"],
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          // Only the attributes people read or hear: Mantine's many props (size, color, variant),
          // test ids, routes and form field names are code, and would drown the rule in false alarms.
          "jsx-attributes": {
            include: [
              "label",
              "title",
              "description",
              "placeholder",
              "aria-label",
              "confirmLabel",
              "deniedLabel",
              "empty",
              "noun",
              "invalid",
              "what",
              "listName",
              "alt",
              "head",
              "fields",
              "rightSection",
              "leftSection",
              "errorElement",
              "fallback",
              "subtitle",
              "allLabel",
              "legend",
              "note",
              "onward",
              "dismissLabel",
              "header",
            ],
          },
          callees: {
            exclude: ["t", "translate", "userHasPermission", "useState", "useActionNotification", "Set", "Map"],
          },
          "object-properties": { exclude: [".*"] },
        },
      ],
    },
  },
  {
    // Tests and scripts may reach into any layer to set up and inspect.
    files: ["tests/**", "scripts/**", "**/*.test.ts"],
    // (`useTestDatabase()` is a vitest set-up helper, not a React hook.)
    rules: {
      "import-x/no-restricted-paths": "off",
      "@typescript-eslint/no-explicit-any": "off",
      "react-hooks/rules-of-hooks": "off",
    },
  },
);
