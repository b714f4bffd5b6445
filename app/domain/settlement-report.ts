// A provider's settlement report (the CSV finance uploads, README "Settlement reports"): the
// reading of its text into records, and the rules of one line. Pure, so that the importer
// (app/services/reconciliation) streams a file of any size through it and the tests pin every
// refusal to its line and column.
import { containsCardNumber } from "./card-number";
import type { Say } from "./errors";
import { parseAmount, subtract, type Money } from "./money";

/** The columns, in this order, named by the report's first line. */
export const REPORT_COLUMNS = [
  "settlement_id",
  "booking_date",
  "type",
  "reference",
  "gross_amount",
  "fee",
  "net_amount",
  "currency",
] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

export const REPORT_LINE_TYPES = ["CAPTURE", "REFUND", "CHARGEBACK", "FEE"] as const;
export type ReportLineType = (typeof REPORT_LINE_TYPES)[number];

/** What a reconciliation finds that needs a person (db/schema.ts holds the same list). */
export const DIFFERENCE_KINDS = ["MISSING_IN_PAYDESK", "MISSING_AT_PROVIDER", "AMOUNT_DIFFERS"] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

/** How many imports the Reconciliation list shows (newest first). */
export const IMPORT_LIST_LIMIT = 50;
/** How many differences a settlement's screen lists at once. */
export const DIFFERENCE_LIST_LIMIT = 200;

/** A field longer than this is refused while it is read, so one bad line cannot fill memory. */
export const MAX_FIELD_LENGTH = 200;

export type ReportLine = {
  /** The line of the file it stands on (the header is line 1). */
  line: number;
  settlementId: string;
  bookingDate: string;
  type: ReportLineType;
  /** RRN or the provider's transaction id; null only on a FEE line. */
  reference: string | null;
  /** Signed as the merchant sees it: a capture adds, a refund or chargeback takes away. */
  gross: Money;
  fee: Money;
  net: Money;
  currency: string;
};

/**
 * Why a report is refused: the line (1 = header) and, where one is to blame, the column; `say` is
 * the message by its locale key (without it the screens show the English words).
 */
export type ReportProblem = { line: number; column: ReportColumn | null; message: string; say?: Say };

export class ReportRefused extends Error {
  /** The whole refusal (line, column and problem) by its locale key, for the staff screens. */
  readonly say: Say;

  constructor(readonly problem: ReportProblem) {
    super(describeProblem(problem));
    this.name = "ReportRefused";
    this.say = sayProblem(problem);
  }
}

/** A problem's message by its key under errors.report.problem (errors.form for the common ones). */
export const reportSays = (key: string, values?: Say["values"]): Say => ({
  key: key.includes(".") ? `errors.${key}` : `errors.report.problem.${key}`,
  values,
});

/** describeProblem by locale keys: the line and column numbers stay values of the sentence. */
function sayProblem({ line, column, message, say }: ReportProblem): Say {
  const problem: Say = say ?? { key: "errors.report.problem.asIs", values: { message } };
  if (!column) return { key: "errors.report.atLine", values: { line, problem } };
  return {
    key: "errors.report.atColumn",
    values: { line, column: REPORT_COLUMNS.indexOf(column) + 1, name: column, problem },
  };
}

/** "line 7, column 5 (gross_amount): must be …", as the screen shows it. */
export function describeProblem({ line, column, message }: ReportProblem): string {
  if (!column) return `line ${line}: ${message}`;
  return `line ${line}, column ${REPORT_COLUMNS.indexOf(column) + 1} (${column}): ${message}`;
}

export type CsvRecord = { line: number; fields: string[] };

/**
 * RFC 4180 records from text that arrives in pieces: `push` each decoded chunk, `end` after the
 * last. A quoted field may hold commas, doubled quotes and line breaks; `line` is where a record
 * starts. Holds at most one record between calls, whatever the file's size. Hand-written rather
 * than a library's so that a refusal names the physical line and the field.
 */
export class CsvRecordReader {
  private fields: string[] = [];
  private field = "";
  private quoted = false;
  /** Inside quotes; a quote seen there may be the closing one or the first of a doubled pair. */
  private inQuotes = false;
  private quoteSeen = false;
  private afterCarriageReturn = false;
  private line = 1;
  private recordLine = 1;
  private started = false;

  push(text: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (!this.started) {
        this.started = true;
        if (c === "\uFEFF") continue; // a byte-order mark is not part of the header
      }
      if (this.afterCarriageReturn) {
        this.afterCarriageReturn = false;
        if (c === "\n") continue;
      }
      if (this.inQuotes) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === '"') {
            this.append(c);
            continue;
          }
          this.inQuotes = false; // that quote closed the field; c is read below
        } else if (c === '"') {
          this.quoteSeen = true;
          continue;
        } else {
          if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) this.line += 1;
          this.append(c);
          continue;
        }
      }
      if (c === ",") {
        this.endField();
      } else if (c === "\n" || c === "\r") {
        if (c === "\r") this.afterCarriageReturn = true;
        this.endField();
        records.push({ line: this.recordLine, fields: this.fields });
        this.fields = [];
        this.line += 1;
        this.recordLine = this.line;
      } else if (c === '"') {
        if (this.field !== "" || this.quoted)
          this.refuse("a quote may only open a field or be doubled inside one", reportSays("quoteInside"));
        this.quoted = true;
        this.inQuotes = true;
      } else {
        if (this.quoted)
          this.refuse(
            "nothing may follow a quoted field's closing quote but a comma or a line end",
            reportSays("afterQuote"),
          );
        this.append(c);
      }
    }
    return records;
  }

  end(): CsvRecord[] {
    if (this.inQuotes && !this.quoteSeen) {
      throw new ReportRefused({
        line: this.recordLine,
        column: this.column(),
        message: "a quoted field is never closed",
        say: reportSays("quoteNotClosed"),
      });
    }
    this.inQuotes = false;
    this.quoteSeen = false;
    if (this.fields.length === 0 && this.field === "" && !this.quoted) return []; // the file ended with a line break
    this.endField();
    const record = { line: this.recordLine, fields: this.fields };
    this.fields = [];
    return [record];
  }

  private append(c: string): void {
    this.field += c;
    if (this.field.length > MAX_FIELD_LENGTH)
      this.refuse(
        `must be at most ${MAX_FIELD_LENGTH} characters`,
        reportSays("form.tooLong", { max: MAX_FIELD_LENGTH }),
      );
  }

  private endField(): void {
    if (this.fields.length >= REPORT_COLUMNS.length) {
      throw new ReportRefused({
        line: this.recordLine,
        column: null,
        message: `has more than the ${REPORT_COLUMNS.length} columns of the header`,
        say: reportSays("tooManyColumns", { count: REPORT_COLUMNS.length }),
      });
    }
    this.fields.push(this.field);
    this.field = "";
    this.quoted = false;
  }

  private column(): ReportColumn | null {
    return REPORT_COLUMNS[this.fields.length] ?? null;
  }

  private refuse(message: string, say: Say): never {
    throw new ReportRefused({ line: this.recordLine, column: this.column(), message, say });
  }
}

/** The first record must name the columns, in order. */
export function checkHeader(record: CsvRecord): void {
  const names = record.fields.map((name) => name.trim().toLowerCase());
  for (let i = 0; i < REPORT_COLUMNS.length; i++) {
    if (names[i] !== REPORT_COLUMNS[i]) {
      throw new ReportRefused({
        line: record.line,
        column: REPORT_COLUMNS[i],
        message: `the header must be ${REPORT_COLUMNS.join(",")}`,
        say: reportSays("header", { columns: REPORT_COLUMNS.join(",") }),
      });
    }
  }
}

const SETTLEMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const CURRENCY = /^[A-Z]{3}$/;

type Problem = { message: string; say: Say };

/** A signed decimal amount with a dot ("-12.50"); at most 2 decimals, as providers report them. */
function signedAmount(text: string): Money | Problem {
  const negative = text.startsWith("-");
  const digits = negative ? text.slice(1) : text;
  if (!/^[0-9]+(\.[0-9]{1,2})?$/.test(digits)) {
    return {
      message: 'must be a decimal amount with a dot and at most 2 decimals, e.g. "199.00" or "-49.50"',
      say: reportSays("amount"),
    };
  }
  const parsed = parseAmount(digits);
  if (!parsed.ok)
    return {
      message: "must be at most 13 digits before the dot, without leading zeros",
      say: reportSays("amountDigits"),
    };
  return (negative ? -parsed.value : parsed.value) as Money;
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** What sign `gross` must have on a line of `type`, in words, or null when it has it. */
function grossSignProblem(type: ReportLineType, gross: Money): Problem | null {
  switch (type) {
    case "CAPTURE":
      return gross > 0n
        ? null
        : { message: "must be greater than 0 on a CAPTURE line", say: reportSays("grossCapture") };
    case "REFUND":
    case "CHARGEBACK":
      return gross < 0n
        ? null
        : {
            message: `must be less than 0 on a ${type} line (money going back)`,
            say: reportSays("grossBack", { type }),
          };
    case "FEE":
      return gross === 0n
        ? null
        : { message: "must be 0 on a FEE line (the fee column carries it)", say: reportSays("grossFee") };
  }
}

/**
 * One record of the report's body as a line, or the problem of its first wrong column. Every
 * rule a finance person would check by eye: the type, the sign of the gross, net = gross − fee.
 */
export function parseReportLine(record: CsvRecord): ReportLine {
  const { line, fields } = record;
  const refuse = (column: ReportColumn | null, message: string, say: Say): never => {
    throw new ReportRefused({ line, column, message, say });
  };
  const refuseWith = (column: ReportColumn, { message, say }: Problem): never => refuse(column, message, say);
  if (fields.length < REPORT_COLUMNS.length) {
    if (fields.length === 1 && fields[0] === "") refuse(null, "is empty", reportSays("emptyLine"));
    refuse(
      REPORT_COLUMNS[fields.length],
      `is missing (the line has ${fields.length} of ${REPORT_COLUMNS.length} columns)`,
      reportSays("missingColumn", { count: fields.length, total: REPORT_COLUMNS.length }),
    );
  }
  const [settlementId, bookingDate, type, reference, grossText, feeText, netText, currency] = fields;
  if (!SETTLEMENT_ID.test(settlementId)) {
    refuse(
      "settlement_id",
      "must be 1–100 letters, digits or . _ : - (starting with a letter or digit)",
      reportSays("settlementId"),
    );
  }
  if (!isCalendarDate(bookingDate)) refuse("booking_date", "must be a date as YYYY-MM-DD", reportSays("bookingDate"));
  if (!(REPORT_LINE_TYPES as readonly string[]).includes(type)) {
    const types = REPORT_LINE_TYPES.join(", ");
    refuse("type", `must be one of ${types}`, reportSays("form.oneOf", { values: types }));
  }
  const lineType = type as ReportLineType;
  if (reference === "") {
    if (lineType !== "FEE")
      refuse(
        "reference",
        `is required on a ${lineType} line (an RRN or transaction id)`,
        reportSays("referenceRequired", { type: lineType }),
      );
  } else {
    if (!REFERENCE.test(reference))
      refuse("reference", "must be 1–100 letters, digits or . _ : / -", reportSays("reference"));
    // An RRN is 12 digits and may pass Luhn by chance; anything longer that looks like a card is refused.
    if (reference.length > 12 && containsCardNumber(reference))
      refuse("reference", "must not contain a card number", reportSays("form.cardNumber"));
  }
  const gross = signedAmount(grossText);
  if (typeof gross !== "bigint") return refuseWith("gross_amount", gross);
  const signProblem = grossSignProblem(lineType, gross);
  if (signProblem) refuseWith("gross_amount", signProblem);
  const fee = signedAmount(feeText);
  if (typeof fee !== "bigint") return refuseWith("fee", fee);
  if (fee < 0n) refuse("fee", "must not be negative", reportSays("feeNegative"));
  const net = signedAmount(netText);
  if (typeof net !== "bigint") return refuseWith("net_amount", net);
  if (net !== subtract(gross, fee)) refuse("net_amount", "must be gross_amount minus fee", reportSays("netMismatch"));
  if (!CURRENCY.test(currency)) refuse("currency", "must be an ISO 4217 code such as NOK", reportSays("currency"));
  return {
    line,
    settlementId,
    bookingDate,
    type: lineType,
    reference: reference === "" ? null : reference,
    gross,
    fee,
    net,
    currency,
  };
}
