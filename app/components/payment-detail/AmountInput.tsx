// An amount field that checks in the browser what the server will check again: an amount as a
// person types it (`2 596,50`, `2596.50`; app/domain/typed-amount.ts), greater than 0 and, where
// there is one, not above the limit (the creditable amount). A refused value shows its error next to the field and blocks the form's submit
// (the input's custom validity), so an over-credit never leaves the browser by accident.
import { TextInput } from "@mantine/core";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { formatAmount, parsePositiveAmount, type Money } from "../../domain/money";
import { parseTypedPositiveAmount, TYPED_AMOUNT_EXAMPLE } from "../../domain/typed-amount";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useFormat, type Formats } from "../use-format";
import { formatAmountForInput } from "../format";

/** What is wrong with a typed amount, in the same words as the server's staff form path. */
export function amountError(
  text: string,
  limit: { max: string; what: string; currency: string } | null,
  t: TFunction,
  format: Formats,
): string | null {
  const parsed = parseTypedPositiveAmount(text);
  if (!parsed.ok) return t(`amount.${parsed.problem}`, { example: TYPED_AMOUNT_EXAMPLE, max: 5 });
  if (limit) {
    const max = parsePositiveAmount(limit.max);
    const ceiling = (max.ok ? max.value : 0n) as Money;
    if (parsed.value > ceiling) {
      return t("amount.tooMuch", {
        amount: format.money(formatAmount(parsed.value), limit.currency),
        what: limit.what,
        max: format.money(limit.max, limit.currency),
      });
    }
  }
  return null;
}

export function AmountInput({
  name,
  label,
  defaultValue,
  currency,
  max,
  maxLabel,
  serverError,
  description,
  testId,
}: {
  name: string;
  label: string;
  defaultValue: string;
  currency: string;
  /** Decimal string: the most this field may take. */
  max?: string;
  maxLabel?: string;
  serverError?: string;
  description?: ReactNode;
  testId?: string;
}) {
  const format = useFormat();
  // The field starts as the reader writes numbers (9,00 in Norwegian), like the amounts around it.
  const [value, setValue] = useState(() => formatAmountForInput(defaultValue, format.locale));
  const [touched, setTouched] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const { t } = useTranslation();
  const what = maxLabel ?? t("amount.allowed");
  const localError = amountError(value, max ? { max, what, currency } : null, t, format);
  useEffect(() => input.current?.setCustomValidity(localError ?? ""), [localError]);
  return (
    <TextInput
      ref={input}
      name={name}
      label={label}
      value={value}
      onChange={(event) => {
        setValue(event.currentTarget.value);
        setTouched(true);
      }}
      inputMode="decimal"
      autoComplete="off"
      required
      description={description}
      // The browser's own finding first (it is about what is typed now), then the server's.
      error={(touched && localError) || serverError}
      data-testid={testId}
      styles={{ input: { fontVariantNumeric: "tabular-nums" } }}
    />
  );
}
