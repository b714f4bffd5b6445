// What an amount field says about what was typed (app/domain/typed-amount.ts). Both languages
// accept `2 596,50` and `2596.50`; the example is the Norwegian way, which the parser reads.
export const amount = {
  empty: "Enter an amount",
  sign: "Enter the amount without a sign, like {{example}}",
  shape: "Enter an amount like {{example}}",
  decimals: "Use at most {{max}} decimals",
  tooLarge: "The amount is too large",
  notPositive: "Enter an amount greater than 0",
  tooMuch: "{{amount}} is more than the {{what}} {{max}}",
  allowed: "allowed amount",
};
