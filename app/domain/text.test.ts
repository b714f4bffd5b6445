import { isCleanText } from "./text";

describe("isCleanText", () => {
  it("accepts ordinary text, Unicode letters and emoji", () => {
    expect(isCleanText("")).toBe(true);
    expect(isCleanText("Kari Nordmann <kari@example.no>")).toBe(true);
    expect(isCleanText("Ærlig, øl og å 🚆")).toBe(true);
  });

  it("accepts tab, line feed and carriage return", () => {
    expect(isCleanText("a\tb")).toBe(true);
    expect(isCleanText("line one\nline two\r\n")).toBe(true);
  });

  it("refuses NUL and the other C0 control characters", () => {
    for (const code of [0x00, 0x01, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f]) {
      expect(isCleanText(`a${String.fromCharCode(code)}b`)).toBe(false);
    }
  });

  it("refuses DEL", () => {
    expect(isCleanText("a\u007fb")).toBe(false);
  });

  it("refuses a lone surrogate (broken UTF-16) but accepts a whole pair", () => {
    expect(isCleanText("a\ud83db")).toBe(false);
    expect(isCleanText("a\ude86")).toBe(false);
    expect(isCleanText("\ud83d\ude86")).toBe(true);
  });
});
