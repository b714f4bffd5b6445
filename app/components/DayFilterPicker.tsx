// An optional day filter for a staff list, kept in the URL as `from` and `to` (YYYY-MM-DD, both
// inclusive, days in the staff user's time zone; the server turns them into UTC bounds with
// app/domain/zoned-day-range.ts). Choosing both ends, a preset or clearing navigates, back to page 1.
import { DatePickerInput } from "@mantine/dates";
import { useNavigate, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { dayIn, daysBefore } from "../domain/zoned-day-range";

type Range = [string | null, string | null];

export function DayFilterPicker({
  timeZone,
  error,
  label,
}: {
  timeZone: string;
  /** The server's message about the URL's from/to. */
  error?: string;
  label?: string;
}) {
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  // A range the server refused (error) is shown empty: the picker would roll 2026-13-01 over
  // into 2027; the message names the bad value.
  const fromUrl: Range = error ? [null, null] : [params.get("from") || null, params.get("to") || null];
  const urlKey = fromUrl.join("|");
  // Half a range (the first click) lives here until the second click completes it.
  const [picked, setPicked] = useState<{ key: string; value: Range }>({ key: urlKey, value: fromUrl });
  const value = picked.key === urlKey ? picked.value : fromUrl;

  const today = dayIn(new Date(), timeZone);
  const preset = (days: number, name: string) => ({
    value: [daysBefore(today, days - 1), today] as Range,
    label: name,
  });

  const apply = (range: Range) => {
    const next = new URLSearchParams(params);
    next.delete("page");
    // Exact totals were asked for the previous search; a new one starts bounded again.
    next.delete("exactTotal");
    for (const [name, day] of [
      ["from", range[0]],
      ["to", range[1]],
    ] as const) {
      if (day) next.set(name, day);
      else next.delete(name);
    }
    const search = next.toString();
    navigate(search ? `?${search}` : ".", { preventScrollReset: true });
  };

  return (
    <DatePickerInput
      type="range"
      label={label ?? t("filters.created")}
      placeholder={t("filters.anyDay")}
      description={t("filters.daysIn", { timeZone })}
      value={value}
      onChange={(range) => {
        const next: Range = [
          range[0] ? String(range[0]).slice(0, 10) : null,
          range[1] ? String(range[1]).slice(0, 10) : null,
        ];
        setPicked({ key: urlKey, value: next });
        if ((next[0] && next[1]) || (!next[0] && !next[1])) apply(next);
      }}
      allowSingleDateInRange
      clearable
      presets={[
        preset(1, t("filters.today")),
        preset(7, t("filters.last7")),
        preset(30, t("filters.last30")),
        preset(90, t("filters.last90")),
      ]}
      valueFormat="YYYY-MM-DD"
      error={error}
      maxDate={today}
      w={{ base: "100%", xs: 250 }}
      popoverProps={{ withinPortal: true }}
    />
  );
}
