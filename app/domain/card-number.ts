// Card numbers (PANs) in free text. Paydesk never stores or logs one (DESIGN.md: only the last 4
// digits and the masked PAN exist anywhere), so every free-text input refuses text that carries
// one, and what is recorded without being validated (log lines, recorded headers) masks it.
// This module is the one place that decides what counts (docs/decisions/025-card-numbers-in-text.md).
//
// A card number is 12 to 19 digits that pass the Luhn check, written as people copy them from a
// card or a receipt:
//   - all together ("4111111111111111"), standing on its own: not part of a longer digit run,
//     though letters may touch it ("ORD4111111111111111" counts);
//   - in groups separated by one space or dash, the way cards print them: groups of 4 with a
//     last group of 1–4 ("4111 1111 1111 1111", "4111-1111-1111-1111-123") or AMEX/Diners'
//     4-6-5 and 4-6-4 ("3782 822463 10005").
// Other groupings are not card numbers, so that ordinary text keeps working: dates
// ("2026-11-21"), settlement ids with dates ("EJ-1234-2026-11-21"), lists of ids
// ("payments 100234 100235"), phone numbers, amounts ("1234.50"). A canonical UUID is an id,
// never a card number, whatever digits its groups happen to hold.

/** The Luhn (mod 10) check of a string of digits. */
export function passesLuhn(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export const MIN_CARD_DIGITS = 12;
export const MAX_CARD_DIGITS = 19;

/** What a refused field is told (it never repeats the value). */
export const CARD_NUMBER_MESSAGE = "must not contain a card number";

/**
 * A retrieval reference number (ISO 8583 field 37) is 12 digits, and one in ten of them passes
 * Luhn by chance; in the field made for it (the import's rrn) such a value is an RRN. A field opts
 * in by naming this format. (Only 12 digits: a longer bare run there is checked like any text.)
 */
export const RRN_FORMAT = /^[0-9]{12}$/;

/** Whether a field's value carries a card number, unless the whole value is the field's own `format`. */
export function refusesAsCardNumber(value: string, format?: RegExp): boolean {
  if (format?.test(value)) return false;
  return containsCardNumber(value);
}

/** Where a card number sits in a text: [start, end) in UTF-16 units. */
export type CardNumberSpan = { start: number; end: number };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Digit groups joined by single spaces or dashes: the candidates, split into groups below. */
const DIGIT_GROUPS = /[0-9]+(?:[ -][0-9]+)*/g;

type Group = { start: number; end: number; digits: string };

/** Whether digit groups (two or more) are laid out the way a card prints its number. */
function printedLikeACard(lengths: number[]): boolean {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total < MIN_CARD_DIGITS || total > MAX_CARD_DIGITS) return false;
  const last = lengths[lengths.length - 1];
  if (lengths.slice(0, -1).every((n) => n === 4) && last >= 1 && last <= 4) return true;
  return lengths.length === 3 && lengths[0] === 4 && lengths[1] === 6 && (last === 5 || last === 4);
}

/** Every card number in `text`, in order; overlapping readings are all listed. */
export function findCardNumbers(text: string): CardNumberSpan[] {
  // UUIDs are blanked out (same length, no digits), so their groups never join a candidate.
  const scanned = text.replace(UUID, (uuid) => "u".repeat(uuid.length));
  const found: CardNumberSpan[] = [];
  for (const match of scanned.matchAll(DIGIT_GROUPS)) {
    const groups: Group[] = [];
    for (const group of match[0].matchAll(/[0-9]+/g)) {
      const start = match.index + group.index;
      groups.push({ start, end: start + group[0].length, digits: group[0] });
    }
    for (let first = 0; first < groups.length; first++) {
      let digits = "";
      for (let last = first; last < groups.length; last++) {
        digits += groups[last].digits;
        if (digits.length > MAX_CARD_DIGITS) break;
        const lengths = groups.slice(first, last + 1).map((g) => g.digits.length);
        const cardLike = first === last ? digits.length >= MIN_CARD_DIGITS : printedLikeACard(lengths);
        if (cardLike && passesLuhn(digits)) found.push({ start: groups[first].start, end: groups[last].end });
      }
    }
  }
  return found;
}

/** Whether `text` carries a card number anywhere. */
export function containsCardNumber(text: string): boolean {
  return findCardNumbers(text).length > 0;
}

/**
 * The text with every digit of each card number but its last 4 replaced by `*` (separators
 * kept): "4111 1111 1111 1111" → "**** **** **** 1111". For what is recorded without being
 * refused: log lines, headers kept for the record.
 */
export function maskCardNumbers(text: string): string {
  const spans = findCardNumbers(text);
  if (!spans.length) return text;
  const chars = text.split("");
  for (const { start, end } of spans) {
    let keep = 4;
    for (let i = end - 1; i >= start; i--) {
      if (chars[i] < "0" || chars[i] > "9") continue;
      if (keep > 0) keep -= 1;
      else chars[i] = "*";
    }
  }
  return chars.join("");
}
