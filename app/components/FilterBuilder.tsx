// The operator filter builder of the staff lists: rows of field, operator and value, in the
// same grammar as the /v1 search API (`field=op:value`, repeatable; eq values OR-ed, other
// operators AND-ed). Its state is the URL: applying navigates, so a link reproduces the view
// and the server parses it with the same parser as the API (app/domain/search-filter.ts).
import { ActionIcon, Button, Group, Paper, Select, Stack, Text, TextInput } from "@mantine/core";
import { useNavigate, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useEffect, useRef, useState } from "react";
import { SubmitButton, usePendingNavigation } from "./SubmitButton";
import { conditionToParam, OPERATORS, type FieldType, type FilterField, type Operator } from "../domain/search-filter";

export type { FilterField };

export type FilterRow = { field: string; op: Operator; value: string };

const OPERATOR_LABELS: Record<Operator, string> = {
  eq: "=",
  ne: "≠",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
};

const UNORDERED: ReadonlySet<FieldType> = new Set(["enum", "boolean", "currency"]);

export function operatorsFor(type: FieldType): readonly Operator[] {
  return UNORDERED.has(type) ? ["eq", "ne"] : OPERATORS;
}

/** The filter rows a URL holds for these fields (values without a known `op:` prefix are eq). */
export function filterRowsOf(params: URLSearchParams, fields: readonly FilterField[]): FilterRow[] {
  const rows: FilterRow[] = [];
  for (const field of fields) {
    for (const raw of params.getAll(field.name)) {
      const match = /^([a-z]{2,3}):(.*)$/s.exec(raw);
      const op = match && (OPERATORS as readonly string[]).includes(match[1]) ? (match[1] as Operator) : null;
      rows.push(op ? { field: field.name, op, value: match![2] } : { field: field.name, op: "eq", value: raw });
    }
  }
  return rows;
}

/** The URL's parameters with the filters replaced by these rows, back on page 1. */
export function paramsWithFilters(params: URLSearchParams, fields: readonly FilterField[], rows: readonly FilterRow[]) {
  const next = new URLSearchParams(params);
  for (const field of fields) next.delete(field.name);
  next.delete("page");
  // Exact totals were asked for the previous search; a new one starts bounded again.
  next.delete("exactTotal");
  for (const row of rows) {
    const value = row.value.trim();
    if (value === "") continue;
    next.append(row.field, conditionToParam(row.op, value));
  }
  return next;
}

export function FilterBuilder({
  fields,
  errors = {},
  label,
}: {
  fields: readonly FilterField[];
  /** Server-side errors by field name (from the same parser as the API). */
  errors?: Record<string, string>;
  label?: string;
}) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const fromUrl = filterRowsOf(params, fields);
  const [rows, setRows] = useState<FilterRow[]>(fromUrl);
  // When the URL changes under us (back button, a link), show its filters.
  const urlKey = fromUrl.map((row) => `${row.field}\u0000${row.op}\u0000${row.value}`).join("\u0001");
  const [shownKey, setShownKey] = useState(urlKey);
  if (shownKey !== urlKey) {
    setShownKey(urlKey);
    setRows(fromUrl);
  }

  // "Add filter" puts the focus on the new row's field, where the keyboard continues: it would
  // otherwise stay on the button, below the row, with the row's controls behind it.
  const addedField = useRef<HTMLInputElement>(null);
  const [added, setAdded] = useState(0);
  useEffect(() => {
    if (added) addedField.current?.focus();
  }, [added]);

  const fieldOf = (name: string) => fields.find((field) => field.name === name) ?? fields[0];
  const update = (index: number, change: Partial<FilterRow>) =>
    setRows((current) =>
      current.map((row, i) => {
        if (i !== index) return row;
        const next = { ...row, ...change };
        if (change.field && change.field !== row.field) {
          next.value = "";
          if (!operatorsFor(fieldOf(change.field).type).includes(next.op)) next.op = "eq";
        }
        return next;
      }),
    );
  const applying = usePendingNavigation();
  const apply = (nextRows: FilterRow[]) => {
    applying.start();
    const search = paramsWithFilters(params, fields, nextRows).toString();
    navigate(search ? `?${search}` : ".", { preventScrollReset: true });
  };

  return (
    <Paper withBorder p="sm" component="section" aria-label={label ?? t("filters.label")}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          apply(rows);
        }}
      >
        <Stack gap="xs">
          {rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("filters.none")}
            </Text>
          ) : null}
          {rows.map((row, index) => {
            const field = fieldOf(row.field);
            const error = errors[row.field];
            return (
              <div key={index} className="filter-row" data-testid="filter-row">
                <Select
                  ref={index === rows.length - 1 ? addedField : undefined}
                  aria-label={t("filters.field")}
                  data={fields.map((f) => ({ value: f.name, label: f.label }))}
                  value={row.field}
                  onChange={(value) => value && update(index, { field: value })}
                  allowDeselect={false}
                  searchable
                />
                <Select
                  aria-label={t("filters.operator")}
                  data={operatorsFor(field.type).map((op) => ({ value: op, label: `${OPERATOR_LABELS[op]}  ${op}` }))}
                  value={row.op}
                  onChange={(value) => value && update(index, { op: value as Operator })}
                  allowDeselect={false}
                />
                {field.type === "enum" || field.type === "boolean" ? (
                  <Select
                    aria-label={t("filters.value")}
                    data={[...(field.type === "boolean" ? ["true", "false"] : (field.values ?? []))]}
                    value={row.value || null}
                    onChange={(value) => update(index, { value: value ?? "" })}
                    error={error}
                    searchable
                  />
                ) : (
                  <TextInput
                    aria-label={t("filters.value")}
                    value={row.value}
                    onChange={(event) => update(index, { value: event.currentTarget.value })}
                    placeholder={
                      field.placeholder ??
                      (field.type === "timestamp" ? t("filters.timestampPlaceholder") : placeholderFor(field.type))
                    }
                    error={error}
                    inputMode={field.type === "amount" ? "decimal" : undefined}
                  />
                )}
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="lg"
                  aria-label={t("filters.remove", { field: field.label })}
                  onClick={() => setRows((current) => current.filter((_, i) => i !== index))}
                >
                  ×
                </ActionIcon>
              </div>
            );
          })}
          <Group gap="xs">
            <Button
              variant="default"
              size="xs"
              onClick={() => {
                setRows((current) => [...current, { field: fields[0].name, op: "eq", value: "" }]);
                setAdded((count) => count + 1);
              }}
            >
              {t("filters.add")}
            </Button>
            <SubmitButton size="xs" pending={applying.pending}>
              {t("filters.apply")}
            </SubmitButton>
            {fromUrl.length > 0 ? (
              <Button variant="subtle" size="xs" onClick={() => apply([])}>
                {t("filters.clear")}
              </Button>
            ) : null}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function placeholderFor(type: FieldType): string {
  switch (type) {
    case "amount":
      return "2 596,50";
    case "timestamp":
      return "2026-11-01 or 2026-11-01T08:00:00Z";
    case "integer":
      return "123";
    case "currency":
      return "NOK";
    default:
      return "";
  }
}
