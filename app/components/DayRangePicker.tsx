// Choosing a range of UTC days: preset links (today, 7, 30, 90 days) and a calendar for a custom
// range. Both only change the URL (`range`, or `from` and `to`); the loader reads it back with
// parseDayRange, so reloading or sharing the link shows the same range.
import { Button, Group } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { Link, useNavigate } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { RANGE_PRESETS, type DayRange } from "../domain/day-range";
import type { FieldError } from "../domain/errors";
import { useHrefWith } from "./url-state";

export function DayRangePicker({ range, today, errors }: { range: DayRange; today: string; errors: FieldError[] }) {
  const hrefWith = useHrefWith();
  const navigate = useNavigate();
  // The calendar holds a half-chosen range (first day clicked) until the second day is picked.
  const [value, setValue] = useState<[string | null, string | null]>([range.from, range.to]);
  useEffect(() => setValue([range.from, range.to]), [range.from, range.to]);
  const { t } = useTranslation();
  const pickerError = errors
    .filter((error) => error.field === "from" || error.field === "to" || error.field === "range")
    .map((error) => `${error.field} ${error.message}`)
    .join("; ");
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Button.Group aria-label={t("dashboard.presetRanges")}>
        {RANGE_PRESETS.map((preset) => {
          const active = range.preset === preset;
          return (
            <Button
              key={preset}
              component={Link}
              to={hrefWith({ range: preset, from: null, to: null, page: null })}
              variant={active ? "filled" : "default"}
              size="xs"
              aria-current={active ? "true" : undefined}
              preventScrollReset
            >
              {t(`dashboard.presetButtons.${preset}`)}
            </Button>
          );
        })}
      </Button.Group>
      <DatePickerInput
        type="range"
        size="xs"
        // A label for screen readers only: what shows is the range's days (its value), and a name
        // given by aria-label would have to contain them (WCAG 2.5.3).
        label={t("dashboard.customRangeLabel")}
        labelProps={{ className: "visually-hidden" }}
        placeholder={t("dashboard.customRange")}
        value={value}
        maxDate={today}
        allowSingleDateInRange
        valueFormat="D MMM YYYY"
        w={{ base: "100%", xs: 260 }}
        error={pickerError || undefined}
        onChange={([from, to]) => {
          setValue([from, to]);
          if (from && to) navigate(hrefWith({ from, to, range: null, page: null }), { preventScrollReset: true });
        }}
      />
    </Group>
  );
}
