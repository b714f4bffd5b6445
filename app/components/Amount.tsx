import { Text, type TextProps } from "@mantine/core";
import { useFormat } from "./use-format";

/** A money amount from its decimal string, formatted for its currency and the reader's language. */
export function Amount({ value, currency, ...props }: { value: string; currency: string } & TextProps) {
  const format = useFormat();
  return (
    <Text component="span" inherit style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }} {...props}>
      {format.money(value, currency)}
    </Text>
  );
}
