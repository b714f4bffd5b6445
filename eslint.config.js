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
    // Screens already in both languages (ADR 042): text in their JSX must come from the locales,
    // so a new untranslated literal fails the lint. Extend the list as screens are translated.
    files: [
      "app/root.tsx",
      "app/routes/_staff.tsx",
      "app/routes/_staff._index.tsx",
      "app/routes/_staff.me.tsx",
      "app/routes/_staff.payments._index.tsx",
      "app/routes/_staff.payments.$paymentId/route.tsx",
      "app/routes/login.tsx",
      "app/routes/login_.code.tsx",
      "app/routes/login_.enrol.tsx",
      "app/routes/account.login.tsx",
      "app/components/payment-detail/PaymentOverview.tsx",
      "app/components/payment-detail/PaymentActions.tsx",
      "app/components/payment-detail/TransactionsTable.tsx",
      "app/components/payment-detail/TransactionLogs.tsx",
      "app/components/payment-detail/RawJson.tsx",
      "app/components/payment-detail/AmountInput.tsx",
      "app/components/ActionModal.tsx",
      "app/components/AuthCard.tsx",
      "app/components/AuthorizationOutcomes.tsx",
      "app/components/CustomerFrame.tsx",
      "app/components/DayFilterPicker.tsx",
      "app/components/DayRangePicker.tsx",
      "app/components/ErrorPanel.tsx",
      "app/components/FilterBuilder.tsx",
      "app/components/LanguageSwitch.tsx",
      "app/components/LoginForm.tsx",
      "app/components/OneTimeSecret.tsx",
      "app/components/PageLinks.tsx",
      "app/components/StatusBadge.tsx",
      "app/components/CreditStatusBadge.tsx",
      "app/components/VolumeCells.tsx",
      "app/components/list-parts.tsx",
    ],
    plugins: { i18next },
    rules: { "i18next/no-literal-string": ["error", { mode: "jsx-text-only" }] },
  },
  {
    // Translated screens, stricter: string literals in JSX attributes people read (labels,
    // titles, placeholders, aria-labels) and in attributes that hold JSX (a table's header cells, a
    // modal's fields), not only text between tags.
    files: [
      "app/routes/_staff.callbacks._index.tsx",
      "app/routes/_staff.callbacks.$callbackId.tsx",
      "app/routes/_staff.operation-log.tsx",
      "app/routes/_staff.chargebacks._index.tsx",
      "app/routes/_staff.chargebacks.$chargebackId.tsx",
      "app/routes/_staff.reconciliation._index.tsx",
      "app/routes/_staff.reconciliation.$settlementId.tsx",
      "app/routes/_staff.settlements._index.tsx",
      "app/routes/_staff.settlements.$settlementId.tsx",
      "app/components/callback-parts.tsx",
      "app/components/ChargebackParts.tsx",
      "app/components/OperationCells.tsx",
      "app/components/OperationIcon.tsx",
      "app/components/VolumeChart.tsx",
      "app/components/CsvExportButton.tsx",
      "app/components/SavedViews.tsx",
      "app/components/DataTable.tsx",
      "app/components/keyset-list.tsx",
      "app/components/DateTime.tsx",
      "app/components/Amount.tsx",
      "app/routes/_staff.api-clients.tsx",
      "app/routes/_staff.audit-log.tsx",
      "app/routes/_staff.users.tsx",
      "app/routes/_staff.payment-methods.tsx",
      "app/routes/_staff.search.tsx",
      "app/routes/reset-password.$token.tsx",
      "app/routes/account._index.tsx",
      "app/routes/account.authorize.tsx",
      "app/routes/payment.invoice.pay.tsx",
      "app/routes/paymentChange.tsx",
      "app/components/MethodSwitchPanel.tsx",
      "app/components/bulk-parts.tsx",
      "app/components/GlobalSearch.tsx",
      "app/components/ColorSchemeMenu.tsx",
      "app/components/UrlSelect.tsx",
      "app/components/NotBuiltYet.tsx",
      "app/components/Field.tsx",
      "app/components/SubmitButton.tsx",
      "app/routes/_staff.credits._index.tsx",
      "app/routes/_staff.credits.$creditId.tsx",
      "app/routes/_staff.credits.new.tsx",
      "app/routes/_staff.credits.bulk.$runId.tsx",
      "app/routes/_staff.work.tsx",
      "app/routes/_staff.customers.tsx",
      "app/routes/_staff.customers.$customerNumber.tsx",
      "app/components/BulkCreditPanel.tsx",
      "app/components/CreditRows.tsx",
      "app/components/CreatorName.tsx",
      "app/components/payment-detail/PaymentCredits.tsx",
    ],
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
          callees: { exclude: ["t", "userHasPermission", "useState", "useActionNotification", "Set", "Map"] },
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
