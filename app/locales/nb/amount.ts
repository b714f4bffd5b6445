import type { amount as en } from "../en/amount";
import type { Messages } from "../types";

export const amount: Messages<typeof en> = {
  empty: "Skriv inn et beløp",
  sign: "Skriv inn beløpet uten fortegn, som {{example}}",
  shape: "Skriv inn et beløp som {{example}}",
  decimals: "Bruk høyst {{max}} desimaler",
  tooLarge: "Beløpet er for stort",
  notPositive: "Skriv inn et beløp større enn 0",
  tooMuch: "{{amount}} er mer enn {{what}} {{max}}",
  allowed: "tillatt beløp",
};
