import { describe, expect, it } from "vitest";
import { money } from "./money";
import {
  CsvRecordReader,
  MAX_FIELD_LENGTH,
  REPORT_COLUMNS,
  ReportRefused,
  checkHeader,
  describeProblem,
  parseReportLine,
  type CsvRecord,
} from "./settlement-report";

/** Every record of `text`, fed in pieces of `size` characters. */
function records(text: string, size = text.length): CsvRecord[] {
  const reader = new CsvRecordReader();
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...reader.push(text.slice(i, i + size)));
  out.push(...reader.end());
  return out;
}

/** The problem a refusal names, as the screen shows it. */
function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof ReportRefused) return error.message;
    throw error;
  }
  throw new Error("was not refused");
}

const line = (text: string, lineNo = 2) => parseReportLine({ line: lineNo, fields: records(`${text}\n`)[0].fields });

describe("CsvRecordReader", () => {
  it("reads records with their line numbers, whatever the chunking", () => {
    const text = '\uFEFFa,b\r\n"x,1","say ""hi"""\n"two\nlines",z\n';
    for (const size of [1, 2, 3, 7, text.length]) {
      expect(records(text, size)).toEqual([
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["x,1", 'say "hi"'] },
        { line: 3, fields: ["two\nlines", "z"] },
      ]);
    }
  });

  it("takes a last line without a line break", () => {
    expect(records("a,b\nc,d")).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["c", "d"] },
    ]);
  });

  it("refuses broken quoting, too many columns and overlong fields by line and column", () => {
    expect(refusal(() => records('a,b\nx,"open'))).toBe(
      "line 2, column 2 (booking_date): a quoted field is never closed",
    );
    expect(refusal(() => records('a\nx"y,1'))).toBe(
      "line 2, column 1 (settlement_id): a quote may only open a field or be doubled inside one",
    );
    expect(refusal(() => records('"x"y,1'))).toMatch(/^line 1, column 1 .*closing quote/);
    expect(refusal(() => records(`${"a,".repeat(8)}a\n`))).toBe("line 1: has more than the 8 columns of the header");
    expect(refusal(() => records(`h\nS,${"9".repeat(MAX_FIELD_LENGTH + 1)}\n`))).toBe(
      `line 2, column 2 (booking_date): must be at most ${MAX_FIELD_LENGTH} characters`,
    );
  });
});

describe("checkHeader", () => {
  it("wants the columns in order, in any case", () => {
    expect(() => checkHeader({ line: 1, fields: REPORT_COLUMNS.map((c) => c.toUpperCase()) })).not.toThrow();
    const swapped = [...REPORT_COLUMNS];
    [swapped[4], swapped[5]] = [swapped[5], swapped[4]];
    expect(refusal(() => checkHeader({ line: 1, fields: swapped }))).toMatch(/^line 1, column 5 \(gross_amount\)/);
  });
});

describe("parseReportLine", () => {
  it("reads a capture, a refund, a chargeback and a fee with exact signed amounts", () => {
    expect(line("S-1,2026-12-01,CAPTURE,612345678901,199.00,1.99,197.01,NOK")).toEqual({
      line: 2,
      settlementId: "S-1",
      bookingDate: "2026-12-01",
      type: "CAPTURE",
      reference: "612345678901",
      gross: money("199"),
      fee: money("1.99"),
      net: money("197.01"),
      currency: "NOK",
    });
    expect(line("S-1,2026-12-01,REFUND,VIPPS-abc,-50.5,0,-50.50,NOK").gross).toBe(money("-50.5"));
    expect(line("S-1,2026-12-01,CHARGEBACK,612345678901,-199.00,15.00,-214.00,NOK").net).toBe(money("-214"));
    expect(line("S-1,2026-12-01,FEE,,0.00,120.00,-120.00,NOK").reference).toBeNull();
  });

  it.each([
    ["S 1,2026-12-01,CAPTURE,r1,1.00,0,1.00,NOK", "column 1 (settlement_id)"],
    ["S-1,2026-02-30,CAPTURE,r1,1.00,0,1.00,NOK", "column 2 (booking_date): must be a date"],
    ["S-1,2026-12-01,SALE,r1,1.00,0,1.00,NOK", "column 3 (type): must be one of CAPTURE, REFUND, CHARGEBACK, FEE"],
    ["S-1,2026-12-01,CAPTURE,,1.00,0,1.00,NOK", "column 4 (reference): is required on a CAPTURE line"],
    ["S-1,2026-12-01,CAPTURE,4111111111111111,1.00,0,1.00,NOK", "column 4 (reference): must not contain a card number"],
    ["S-1,2026-12-01,CAPTURE,r1,1.5e2,0,150.00,NOK", "column 5 (gross_amount): must be a decimal amount"],
    ["S-1,2026-12-01,CAPTURE,r1,1.001,0,1.001,NOK", "column 5 (gross_amount): must be a decimal amount"],
    [
      "S-1,2026-12-01,CAPTURE,r1,-1.00,0,-1.00,NOK",
      "column 5 (gross_amount): must be greater than 0 on a CAPTURE line",
    ],
    ["S-1,2026-12-01,REFUND,r1,1.00,0,1.00,NOK", "column 5 (gross_amount): must be less than 0 on a REFUND line"],
    ["S-1,2026-12-01,FEE,,1.00,0,1.00,NOK", "column 5 (gross_amount): must be 0 on a FEE line"],
    ["S-1,2026-12-01,CAPTURE,r1,1.00,-0.10,1.10,NOK", "column 6 (fee): must not be negative"],
    ["S-1,2026-12-01,CAPTURE,r1,1.00,0.10,1.00,NOK", "column 7 (net_amount): must be gross_amount minus fee"],
    ["S-1,2026-12-01,CAPTURE,r1,1.00,0.10,0.90,nok", "column 8 (currency): must be an ISO 4217 code"],
    ["S-1,2026-12-01,CAPTURE,r1,1.00,0.10", "column 7 (net_amount): is missing (the line has 6 of 8 columns)"],
    ["", "line 9: is empty"],
  ])("refuses %j: %s", (text, expected) => {
    expect(refusal(() => line(text, 9))).toContain(expected);
  });

  it("says which line and column, counting columns from 1", () => {
    expect(describeProblem({ line: 12, column: "fee", message: "must not be negative" })).toBe(
      "line 12, column 6 (fee): must not be negative",
    );
  });
});
