// A staff action answers in the staff user's language (ADR 042, issue 13): the notification of a
// done action, zod's field errors, the forms' own words, amount refusals and the services' refusals
// are Norwegian for a Norwegian user and English for an English one, while the /v1 API keeps its
// English words whatever the language.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { staffUsers } from "../../db/schema";
import { REPORT_COLUMNS } from "../../app/domain/settlement-report";
import { capturedCardPayment } from "../support/api";
import { useApiClient, useStaffSession, useTestServer, type StaffSession } from "../support/fixtures-http";
import { postForm } from "../support/staff";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 902 });
const norwegian = useStaffSession(server, "finance");
const english = useStaffSession(server, "finance");
const byCookie = useStaffSession(server, "finance");
const admin = useStaffSession(server, "admin");

type Captured = { paymentId: number; transactionId: number };

async function setLanguage(staff: StaffSession, language: "en" | "nb") {
  await server.database.db.update(staffUsers).set({ language }).where(eq(staffUsers.id, staff.id));
}

/** The new-credit form as the browser posts it, with the JSON answer (?_data). */
async function createCredit(
  staff: StaffSession,
  lines: Array<[Captured, string]>,
  { reason = "Customer complaint 4711", cookie = "" }: { reason?: string; cookie?: string } = {},
) {
  const form = new URLSearchParams({ intent: "create", reason });
  for (const [t, amount] of lines) {
    form.append("line", `${t.paymentId}:${t.transactionId}`);
    form.set(`amount-${t.transactionId}`, amount);
  }
  const response = await fetch(`${server.url}/credits/new?_data=${encodeURIComponent("routes/_staff.credits.new")}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: server.url,
      Cookie: `${staff.cookie}${cookie}`,
    },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe("staff action messages", () => {
  it("says a done action in the user's language", async () => {
    await setLanguage(norwegian, "nb");
    await setLanguage(english, "en");
    const a = await capturedCardPayment(client, "3000.00");
    const nb = await createCredit(norwegian, [[a, "1 250,5"]]);
    expect(nb.status).toBe(200);
    expect(nb.body.message).toBe(
      `Kreditering ${nb.body.data.creditId} på 1\u00a0250,50\u00a0kr er opprettet; den holder av beløpene til den er utført.`,
    );
    const en = await createCredit(english, [[a, "1250.50"]]);
    expect(en.body.message).toBe(
      `Credit ${en.body.data.creditId} of NOK\u00a01,250.50 is created; it reserves the amounts until it is executed.`,
    );
  });

  it("says zod's checks, the forms' words and amount refusals in the user's language", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const longReason = "x".repeat(501);
    const nb = await createCredit(norwegian, [[a, "12,345678"]], { reason: longReason });
    expect(nb.status).toBe(400);
    expect(nb.body.fieldErrors).toEqual({
      reason: "kan ha høyst 500 tegn",
      [`amount-${a.transactionId}`]: "Bruk høyst 5 desimaler",
    });
    // The alert over the form lists the fields' errors in the same language.
    expect(nb.body.message).toContain("kan ha høyst 500 tegn");
    const en = await createCredit(english, [[a, "12,345678"]], { reason: longReason });
    expect(en.body.fieldErrors).toEqual({
      reason: "must be at most 500 characters",
      [`amount-${a.transactionId}`]: "Use at most 5 decimals",
    });

    expect((await createCredit(norwegian, [[a, "abc"]], { reason: "" })).body.fieldErrors).toEqual({
      reason: "må fylles ut: si hvorfor, det går til revisjonsloggen",
      [`amount-${a.transactionId}`]: "Skriv inn et beløp som 2 596,50",
    });
    expect((await createCredit(norwegian, [])).body.fieldErrors.lines).toBe(
      "velg minst én belastet transaksjon og beløpet som skal krediteres",
    );
    expect((await createCredit(english, [])).body.fieldErrors.lines).toBe(
      "choose at least one captured transaction and the amount to credit",
    );
  });

  it("says a service's refusal in the user's language, with amounts in its number format", async () => {
    const a = await capturedCardPayment(client, "1500.00");
    const nb = await createCredit(norwegian, [[a, "1600,00"]]);
    expect(nb.status).toBe(422);
    expect(nb.body.fieldErrors[`amount-${a.transactionId}`]).toBe(
      `1\u00a0600,00 er mer enn beløpet 1\u00a0500,00 som kan krediteres på transaksjon ${a.transactionId}`,
    );
    const en = await createCredit(english, [[a, "1600.00"]]);
    expect(en.body.fieldErrors[`amount-${a.transactionId}`]).toBe(
      `1,600.00 exceeds the creditable amount 1,500.00 of transaction ${a.transactionId}`,
    );
    // Unknown: the 404 of the service, said by its key.
    const unknown = await createCredit(norwegian, [[{ paymentId: a.paymentId, transactionId: 987654321 }, "1,00"]]);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe("Fant ikke transaksjon 987654321");
  });

  it("follows the language cookie for a user who has chosen none, and the API stays English", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const nb = await createCredit(byCookie, [[a, ""]], { cookie: "; paydesk_lang=nb" });
    expect(nb.body.fieldErrors[`amount-${a.transactionId}`]).toBe("Skriv inn et beløp");
    const en = await createCredit(byCookie, [[a, ""]], { cookie: "; paydesk_lang=en" });
    expect(en.body.fieldErrors[`amount-${a.transactionId}`]).toBe("Enter an amount");

    const over = await client.post(`/v1/payments/${a.paymentId}/transactions/${a.transactionId}/credit`, {
      amount: "200.00",
    });
    expect(over.status).toBe(422);
    expect(JSON.stringify(over.body)).toMatch(/exceeds the creditable amount 100.00/);
    expect(JSON.stringify(over.body)).not.toMatch(/say|errors\.credit/);
  });
});

/** A staff form posted as the browser does, with its JSON answer (?_data=routeId). */
async function post(staff: StaffSession, path: string, routeId: string, fields: Record<string, string>) {
  const separator = path.includes("?") ? "&" : "?";
  const response = await postForm(
    server,
    `${path}${separator}_data=${encodeURIComponent(routeId)}`,
    fields,
    staff.cookie,
  );
  return { status: response.status, body: (await response.json()) as any };
}

describe("the services' refusals on the admin and finance screens", () => {
  it("says the staff user services' refusals in Norwegian", async () => {
    await setLanguage(admin, "nb");
    const own = await post(admin, "/users", "routes/_staff.users", {
      intent: "disable",
      userId: admin.id,
      reason: "Leaving the company",
    });
    expect(own.status).toBe(422);
    expect(own.body.message).toBe("Du kan ikke deaktivere din egen konto; en annen administrator kan");

    const taken = await post(admin, "/users", "routes/_staff.users", {
      intent: "create",
      email: admin.email,
      name: "",
      role: "support",
      password: "",
    });
    expect(taken.status).toBe(400);
    expect(taken.body.fieldErrors.email).toBe("det finnes allerede en ansatt med denne e-postadressen");

    const common = await post(admin, "/users", "routes/_staff.users", {
      intent: "create",
      email: "nb-common-password@paydesk.test",
      name: "",
      role: "support",
      password: "password1234",
    });
    expect(common.body.fieldErrors.password).toBe(
      "står på en liste over vanlige passord som angripere prøver først; velg et annet",
    );
  });

  it("says an API client form's organisation id problem in Norwegian", async () => {
    const answer = await post(admin, "/api-clients", "routes/_staff.api-clients", {
      intent: "create",
      name: "Norsk klient",
      organisation: "new",
      organisationId: "12x",
      organisationName: "Ny organisasjon",
      channels: "web",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.fieldErrors.organisationId).toBe("må være et heltall fra 1 til 2147483647, fikk «12x»");

    const prefix = await post(admin, "/api-clients", "routes/_staff.api-clients", {
      intent: "create",
      name: "Norsk klient",
      organisation: "new",
      organisationId: "9021",
      organisationName: "Ny organisasjon",
      channels: "web",
      allowedRedirectPrefixes: "ftp://files.example/",
    });
    expect(prefix.status).toBe(400);
    expect(prefix.body.fieldErrors.allowedRedirectPrefixes).toBe(
      "«ftp://files.example/» er ikke et http(s)-URL-prefiks som https://shop.example/",
    );
  });

  it("says a settlement report's refusal in Norwegian, keeping its line and column", async () => {
    await setLanguage(norwegian, "nb");
    const boundary = "----paydesk-language-boundary";
    const report = `${REPORT_COLUMNS.join(",")}\nS-NB-1,2026-12-01,CAPTURE,NB-REF-1,12.345,0.10,12.24,NOK\n`;
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="uploadToken"\r\n\r\nlanguage-report-token-0001\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="report.csv"\r\nContent-Type: text/csv\r\n\r\n` +
      `${report}\r\n--${boundary}--\r\n`;
    const response = await fetch(`${server.url}/reconciliation?index&_data=routes%2F_staff.reconciliation._index`, {
      method: "POST",
      headers: {
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
        Cookie: norwegian.cookie,
        Origin: server.url,
      },
      body,
    });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as any;
    expect(answer.fieldErrors.file).toBe(
      "linje 2, kolonne 5 (gross_amount): må være et desimalbeløp med punktum og høyst 2 desimaler, f.eks. «199.00» eller «-49.50»",
    );
  });
});

describe("the lists' filter problems", () => {
  const loaderData = async (staff: StaffSession, path: string, routeId: string) => {
    const separator = path.includes("?") ? "&" : "?";
    const response = await fetch(`${server.url}${path}${separator}_data=${encodeURIComponent(routeId)}`, {
      headers: { Cookie: staff.cookie },
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it("says a bad filter in the reader's language on the payments and credits lists, and /v1 stays English", async () => {
    await setLanguage(norwegian, "nb");
    const payments = await loaderData(
      norwegian,
      "/payments?status=PAYED&paymentId=12.5",
      "routes/_staff.payments._index",
    );
    expect(payments.status).toBe(400);
    expect(payments.body.errors.filters.status).toMatch(/^må være en av .*CAPTURED.*, ikke «PAYED»$/);
    // What the user typed is quoted back as typed, not as a Norwegian number.
    expect(payments.body.errors.filters.paymentId).toBe("må være et heltall, ikke «12.5»");
    const range = await loaderData(
      norwegian,
      "/payments?from=2026-12-07&to=2026-12-01",
      "routes/_staff.payments._index",
    );
    expect(range.body.errors.range).toBe("perioden slutter (2026-12-01) før den begynner (2026-12-07)");

    const credits = await loaderData(
      norwegian,
      "/credits?creditId=abc&totalCreditAmount=gte:1,2,3",
      "routes/_staff.credits._index",
    );
    expect(credits.body.errors).toEqual({
      creditId: "må være et heltall, ikke «abc»",
      totalCreditAmount: "Skriv inn et beløp som 2 596,50",
    });

    await setLanguage(english, "en");
    const inEnglish = await loaderData(english, "/payments?status=PAYED", "routes/_staff.payments._index");
    expect(inEnglish.body.errors.filters.status).toMatch(/^must be one of .*CAPTURED.*, not "PAYED"$/);

    const api = await client.get("/v1/payments?status=PAYED");
    expect(api.status).toBe(400);
    expect(JSON.stringify(api.body)).toMatch(/must be one of .*CAPTURED.*, not \\"PAYED\\"/);
    expect(JSON.stringify(api.body)).not.toMatch(/ikke|say|errors\.filter/);
  });
});

describe("a customer page's refused link", () => {
  const page = async (path: string, headers: Record<string, string>) => {
    const response = await fetch(`${server.url}${path}`, { headers, redirect: "manual" });
    return { status: response.status, html: await response.text() };
  };
  const norwegianBrowser = { "Accept-Language": "nb-NO,nb;q=0.9,en;q=0.5" };

  it("says why in the customer's language, by their browser or their choice", async () => {
    const unknown = new URLSearchParams({
      clientId: "no-such-client",
      returnUrl: "https://shop.example/back",
      errorUrl: "https://shop.example/error",
    });
    for (const path of [
      `/payment/invoice/pay?${unknown}&transactionId=1`,
      `/paymentChange?${unknown}&paymentChangeId=1`,
    ]) {
      const nb = await page(path, norwegianBrowser);
      expect(nb.status).toBe(400);
      expect(nb.html).toContain("Lenken peker ikke på noen klient Paydesk kjenner (clientId).");
      const en = await page(path, { ...norwegianBrowser, Cookie: "paydesk_lang=en" });
      expect(en.html).toContain("The link names no client that Paydesk knows (clientId).");
    }

    const foreign = new URLSearchParams({ clientId: client.clientId, redirectUri: "https://attacker.example/" });
    const authorize = await page(`/account/authorize?${foreign}`, norwegianBrowser);
    expect(authorize.status).toBe(400);
    expect(authorize.html).toMatch(
      /redirectUri i denne lenken er ikke en adresse som Test client \d+ har registrert hos Paydesk\./,
    );
    const missing = await page(`/account/authorize?clientId=${client.clientId}`, { Cookie: "paydesk_lang=nb" });
    expect(missing.html).toContain("Lenken mangler redirectUri.");
  });
});
