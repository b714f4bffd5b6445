import {
  attemptsExhausted,
  attemptsLeft,
  awaitsTerminal,
  cardResponseCode,
  cardResultUrl,
  MAX_CARD_ATTEMPTS,
  pageResultUrl,
  TERMINAL_MINUTES,
  terminalExpiresAt,
  terminalState,
} from "./terminal";

const opened = new Date("2026-03-01T12:00:00Z");
const minutes = (n: number) => new Date(opened.getTime() + n * 60_000);

describe("terminal expiry", () => {
  it("lives 15 minutes", () => {
    expect(TERMINAL_MINUTES).toBe(15);
    expect(terminalExpiresAt(opened)).toEqual(minutes(15));
  });

  it("is open before its expiry and expired from that instant on", () => {
    const terminal = { completedAt: null, expiresAt: terminalExpiresAt(opened) };
    expect(terminalState(terminal, minutes(14.99))).toBe("open");
    expect(terminalState(terminal, minutes(15))).toBe("expired");
    expect(terminalState(terminal, minutes(60))).toBe("expired");
  });

  it("stays completed after its expiry (completed wins)", () => {
    const terminal = { completedAt: minutes(14), expiresAt: terminalExpiresAt(opened) };
    expect(terminalState(terminal, minutes(10))).toBe("completed");
    expect(terminalState(terminal, minutes(20))).toBe("completed");
  });
});

describe("awaitsTerminal", () => {
  it("needs an active payment and an INITIATED transaction", () => {
    expect(awaitsTerminal({ active: true }, { status: "INITIATED" })).toBe(true);
    expect(awaitsTerminal({ active: false }, { status: "INITIATED" })).toBe(false);
    for (const status of ["CREATED", "AUTHORIZED", "CAPTURED", "CANCELLED"])
      expect(awaitsTerminal({ active: true }, { status })).toBe(false);
  });
});

describe("card attempts", () => {
  it("closes the terminal after 10 declined cards", () => {
    expect(MAX_CARD_ATTEMPTS).toBe(10);
    expect(attemptsExhausted(9)).toBe(false);
    expect(attemptsExhausted(10)).toBe(true);
    expect(attemptsLeft(0)).toBe(10);
    expect(attemptsLeft(9)).toBe(1);
    expect(attemptsLeft(12)).toBe(0);
  });
});

describe("cardResponseCode", () => {
  it("reports EXPIRED, a completed terminal's outcome, and CANCELLED otherwise", () => {
    expect(cardResponseCode("expired", "OK")).toBe("EXPIRED");
    for (const outcome of ["OK", "REFUSED_BY_ISSUER"]) expect(cardResponseCode("completed", outcome)).toBe(outcome);
    const cancelled = [
      ["completed", "REPLACED"],
      ["completed", null],
      ["unavailable", "OK"],
      ["open", null],
    ] as const;
    for (const [state, outcome] of cancelled)
      expect(cardResponseCode(state, outcome), `${state} ${outcome}`).toBe("CANCELLED");
  });
});

describe("result URLs", () => {
  it("adds the card terminal's ids and responseCode, keeping the query", () => {
    expect(cardResultUrl("https://shop.example/back?order=7", { paymentId: 1, transactionId: 2 }, "OK")).toBe(
      "https://shop.example/back?order=7&paymentId=1&transactionId=2&responseCode=OK",
    );
    expect(cardResultUrl("https://shop.example/back", { recurringPaymentId: 5 }, "EXPIRED")).toBe(
      "https://shop.example/back?recurringPaymentId=5&responseCode=EXPIRED",
    );
  });

  it("adds a page's ids and result", () => {
    expect(pageResultUrl("https://shop.example/back?paymentId=9", 1, 2, "approved")).toBe(
      "https://shop.example/back?paymentId=1&transactionId=2&result=approved",
    );
  });
});
