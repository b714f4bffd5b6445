import { Text, type TextProps } from "@mantine/core";
import { formatMoney } from "./format";

/** A money amount from its decimal string, formatted for its currency, digits aligned. */
export function Amount({ value, currency, ...props }: { value: string; currency: string } & TextProps) {
  return (
    <Text component="span" inherit style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }} {...props}>
      {formatMoney(value, currency)}
    </Text>
  );
}
