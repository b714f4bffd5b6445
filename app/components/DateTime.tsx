import { Tooltip } from "@mantine/core";
import { formatUtc } from "./format";
import { useFormat } from "./use-format";

/**
 * An instant in the staff user's time zone; hovering (or focusing) shows the UTC ISO time,
 * which is what API clients and logs use.
 */
export function DateTime({ value, timeZone }: { value: string | Date; timeZone: string }) {
  const format = useFormat();
  const utc = formatUtc(value);
  return (
    <Tooltip label={`${utc} (UTC)`} openDelay={300} withArrow>
      <time dateTime={utc} tabIndex={0} style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>
        {format.dateTime(value, timeZone)}
      </time>
    </Tooltip>
  );
}
