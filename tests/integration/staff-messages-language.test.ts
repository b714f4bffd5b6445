// A staff action answers in the staff user's language (ADR 042, issue 13): the notification of a
// done action, zod's field errors, the forms' own words, amount refusals and the services' refusals
// are Norwegian for a Norwegian user and English for an English one, while the /v1 API keeps its
// English words whatever the language.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { staffUsers } from "../../db/schema";
import { REPORT_COLUMNS } from "../../app/domain/settlement-report";
import { parseSearchQuery } from "../../app/domain/search-filter";
import { hashPassword } from "../../app/auth/password.server";
import { filterErrorsIn } from "../../app/http/staff/list-query.server";
import { PAYMENT_SEARCH_FIELDS } from "../../app/services/queries/payment-search.server";
import { customers, payments, products } from "../../db/schema";
import { capturedCardPayment } from "../support/api";
import { useApiClient, useStaffSession, useTestServer, type StaffSession } from "../support/fixtures-http";
import { getPage, postForm, sessionCookieFrom } from "../support/staff";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 902 });
const norwegian = useStaffSession(server, "finance");
const english = useStaffSession(server, "finance");
const byCookie = useStaffSession(server, "finance");
const admin = useStaffSession(server, "admin");

type Captured = { paymentId: number; transactionId: number };

/** The payments list's route, whose data most of these tests read or post to. */
const PAYMENTS_LIST = "routes/_staff.payments._index";

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

/** The new-API-client form, filled in as an admin would, but for what a refusal row changes. */
const NEW_CLIENT = {
  intent: "create",
  name: "Norsk klient",
  organisation: "new",
  organisationId: "9021",
  organisationName: "Ny organisasjon",
  channels: "web",
};

/**
 * An admin form the services refuse: where it is posted, its fields (a function, since the admin's
 * own id and email are known only once the tests run), and the answer's status and words, said in
 * `fieldErrors[field]` or, without a field, in the message over the form.
 */
const ADMIN_REFUSALS: Array<{
  refusal: string;
  path: string;
  routeId: string;
  fields: () => Record<string, string>;
  status: number;
  field?: string;
  said: string;
}> = [
  {
    refusal: "disabling one's own staff account",
    path: "/users",
    routeId: "routes/_staff.users",
    fields: () => ({ intent: "disable", userId: admin.id, reason: "Leaving the company" }),
    status: 422,
    said: "Du kan ikke deaktivere din egen konto; en annen administrator kan",
  },
  {
    refusal: "a new staff user with a taken email",
    path: "/users",
    routeId: "routes/_staff.users",
    fields: () => ({ intent: "create", email: admin.email, name: "", role: "support", password: "" }),
    status: 400,
    field: "email",
    said: "det finnes allerede en ansatt med denne e-postadressen",
  },
  {
    refusal: "a new staff user with a common password",
    path: "/users",
    routeId: "routes/_staff.users",
    fields: () => ({
      intent: "create",
      email: "nb-common-password@paydesk.test",
      name: "",
      role: "support",
      password: "password1234",
    }),
    status: 400,
    field: "password",
    said: "står på en liste over vanlige passord som angripere prøver først; velg et annet",
  },
  {
    refusal: "an API client form's organisation id",
    path: "/api-clients",
    routeId: "routes/_staff.api-clients",
    fields: () => ({ ...NEW_CLIENT, organisationId: "12x" }),
    status: 400,
    field: "organisationId",
    said: "må være et heltall fra 1 til 2147483647, fikk «12x»",
  },
  {
    refusal: "an API client form's redirect prefix",
    path: "/api-clients",
    routeId: "routes/_staff.api-clients",
    fields: () => ({ ...NEW_CLIENT, allowedRedirectPrefixes: "ftp://files.example/" }),
    status: 400,
    field: "allowedRedirectPrefixes",
    said: "«ftp://files.example/» er ikke et http(s)-URL-prefiks som https://shop.example/",
  },
];

describe("the services' refusals on the admin and finance screens", () => {
  it.each(ADMIN_REFUSALS)("says $refusal in Norwegian", async ({ path, routeId, fields, status, field, said }) => {
    await setLanguage(admin, "nb");
    const answer = await post(admin, path, routeId, fields());
    expect(answer.status).toBe(status);
    expect(field ? answer.body.fieldErrors[field] : answer.body.message).toBe(said);
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

/** A screen's loader data as the browser fetches it (?_data=routeId). */
async function loaderData(staff: StaffSession, path: string, routeId: string) {
  const separator = path.includes("?") ? "&" : "?";
  const response = await fetch(`${server.url}${path}${separator}_data=${encodeURIComponent(routeId)}`, {
    headers: { Cookie: staff.cookie },
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe("the lists' filter problems", () => {
  it("says a bad filter in the reader's language on the payments and credits lists, and /v1 stays English", async () => {
    await setLanguage(norwegian, "nb");
    const payments = await loaderData(norwegian, "/payments?status=PAYED&paymentId=12.5", PAYMENTS_LIST);
    expect(payments.status).toBe(400);
    expect(payments.body.errors.filters.status).toMatch(/^må være en av .*CAPTURED.*, ikke «PAYED»$/);
    // What the user typed is quoted back as typed, not as a Norwegian number.
    expect(payments.body.errors.filters.paymentId).toBe("må være et heltall, ikke «12.5»");
    const range = await loaderData(norwegian, "/payments?from=2026-12-07&to=2026-12-01", PAYMENTS_LIST);
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
    const inEnglish = await loaderData(english, "/payments?status=PAYED", PAYMENTS_LIST);
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

describe("the other lists, their exports and views, in the reader's language", () => {
  it("says the payments list's volume filter, its problems and its chip in Norwegian", async () => {
    await setLanguage(norwegian, "nb");
    await setLanguage(english, "en");
    const path = "/payments?volume=refunded&volumeDay=2026-11-20";
    const nb = await loaderData(norwegian, path, PAYMENTS_LIST);
    expect(nb.status).toBe(400);
    expect(nb.body.errors.other).toEqual(["tallet i adressen (volume) må være et av captured, credited, moved"]);
    const stray = await loaderData(norwegian, "/payments?volumeDay=2026-11-20", PAYMENTS_LIST);
    expect(stray.body.errors.other).toEqual([
      "volumeDay i adressen trenger hvilket tall den gjelder (volume: captured, credited eller moved)",
    ]);
    const en = await loaderData(english, path, PAYMENTS_LIST);
    expect(en.body.errors.other).toEqual(["volume must be one of captured, credited, moved"]);

    const chip = await getPage(
      server,
      "/payments?volume=captured&volumeDay=2026-11-20&volumeSettlement=none",
      norwegian.cookie,
    );
    const html = await chip.text();
    expect(html).toContain("Belastet 20.11.2026 (UTC) · uten oppgjørs-id");
    expect(html).not.toContain("Captured on");
  });

  it.each([
    {
      list: "operation log",
      path: "/operation-log?from=2026-12-07&to=2026-12-01&paymentId=abc",
      routeId: "routes/_staff.operation-log",
      errors: {
        range: "perioden slutter (2026-12-01) før den begynner (2026-12-07)",
        filters: { paymentId: "må være et heltall, ikke «abc»" },
        other: [],
      },
    },
    {
      list: "callbacks",
      path: "/callbacks?from=2026-13-01&organisationId=x",
      routeId: "routes/_staff.callbacks._index",
      // The URL parameter (`from`) is named in Norwegian words.
      errors: {
        range: "fra-dagen må være en dag som ÅÅÅÅ-MM-DD, ikke «2026-13-01»",
        filters: { organisationId: "må være et heltall, ikke «x»" },
      },
    },
  ])("says the $list's filter and day-range problems in Norwegian", async ({ path, routeId, errors }) => {
    await setLanguage(norwegian, "nb");
    const answer = await loaderData(norwegian, path, routeId);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toMatchObject(errors);
  });

  it("says the audit log's, payment methods' and new credit's filter problems in Norwegian", async () => {
    await setLanguage(admin, "nb");
    const audit = await loaderData(admin, "/audit-log?createdAt=yesterday&colour=red", "routes/_staff.audit-log");
    expect(audit.body.filterErrors.createdAt).toBe("må være en ISO 8601-dato eller -tid, ikke «yesterday»");
    expect(audit.body.filterErrors.colour).toMatch(/^er ikke et søkefelt her; bruk et av: /);

    const methods = await loaderData(admin, "/payment-methods?enabled=maybe", "routes/_staff.payment-methods");
    expect(Object.values(methods.body.filterErrors).join()).toMatch(/ikke «maybe»/);
    const start = await loaderData(norwegian, "/credits/new?paymentId=12.5", "routes/_staff.credits.new");
    expect(start.body.errors.paymentId).toBe("må være et heltall, ikke «12.5»");
  });

  it("says a resend refused for the address's filter as one Norwegian sentence, without the form's field names", async () => {
    await setLanguage(admin, "nb");
    // `expected` is a hidden field of the resend form: its name must never reach the reader.
    const refused = await post(admin, "/callbacks?index&from=2026-13-01", "routes/_staff.callbacks._index", {
      intent: "resendFiltered",
      reason: "Kunden ba om det",
      expected: "1",
    });
    expect(refused.body.ok).toBe(false);
    expect(refused.body.message).toBe("Filteret i adressen er ikke gyldig: rett det og forhåndsvis på nytt");
    const noCount = await post(admin, "/callbacks?index", "routes/_staff.callbacks._index", {
      intent: "resendFiltered",
      reason: "Kunden ba om det",
    });
    expect(noCount.body.ok).toBe(false);
    expect(noCount.body.message).not.toMatch(/expected/);
    expect(noCount.body.message).toBe(Object.values(noCount.body.fieldErrors).join(" "));
  });

  it("says a CSV export's and a saved view's refusal in Norwegian", async () => {
    const exported = await getPage(server, "/operation-log/export.csv?from=2026-12-07&to=2026-12-01", norwegian.cookie);
    expect(exported.status).toBe(400);
    expect(await exported.text()).toBe(
      "Filtrene i eksporten er ikke gyldige:\nperioden slutter (2026-12-01) før den begynner (2026-12-07)\n",
    );
    const payments = await getPage(
      server,
      "/payments/export.csv?volume=refunded&volumeDay=2026-11-20",
      norwegian.cookie,
    );
    expect(await payments.text()).toContain("tallet i adressen (volume) må være et av captured, credited, moved");
    const credits = await getPage(server, "/credits/export.csv?totalCreditAmount=gte:1e3", norwegian.cookie);
    expect(await credits.text()).toContain("totalCreditAmount Skriv inn et beløp som 2 596,50");
    const audit = await getPage(server, "/audit-log/export.csv?createdAt=yesterday", admin.cookie);
    expect(await audit.text()).toContain("createdAt må være en ISO 8601-dato eller -tid, ikke «yesterday»");

    const view = await post(norwegian, "/operation-log", "routes/_staff.operation-log", {
      intent: "saveView",
      name: "Feil",
      query: "from=2026-12-07&to=2026-12-01",
    });
    expect(view.status).toBe(400);
    expect(view.body.fieldErrors.query).toBe("har filtre som siden ikke godtar");
    const unnamed = await post(norwegian, "/payments?index", PAYMENTS_LIST, {
      intent: "saveView",
      name: "",
      query: "",
    });
    expect(unnamed.body.fieldErrors.name).not.toMatch(/[Gg]ive the view/);
    const missing = await post(norwegian, "/credits?index", "routes/_staff.credits._index", {
      intent: "setDefaultView",
      viewId: "987654",
      isDefault: "on",
    });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/^Fant ikke /);
  });

  it("says an amount filter in staff words, never the API's grammar, while /v1 keeps it", async () => {
    const parsed = parseSearchQuery(new URLSearchParams("totalAmount=gte:1e3"), PAYMENT_SEARCH_FIELDS);
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    expect(errors[0].message).toMatch(/no sign, exponent or leading zeros/);
    expect(filterErrorsIn("nb", errors)).toEqual({ totalAmount: "Skriv inn et beløp som 2 596,50" });
    expect(filterErrorsIn("en", errors)).toEqual({ totalAmount: "Enter an amount like 2 596,50" });
    for (const staff of [norwegian, english]) {
      const list = await loaderData(staff, "/payments?totalAmount=gte:1e3", PAYMENTS_LIST);
      expect(list.body.errors.filters.totalAmount).not.toMatch(/decimal string|exponent/);
    }
    const api = await client.get("/v1/payments?totalAmount=gte:1e3");
    expect(api.status).toBe(400);
    expect(JSON.stringify(api.body)).toMatch(/no sign, exponent or leading zeros/);
    expect(JSON.stringify(api.body)).not.toMatch(/say|Skriv|Enter an amount/);
  });

  it("says a bulk credit's skipped payment in Norwegian, its smallest amount in Norwegian numbers", async () => {
    const a = await capturedCardPayment(client, "1.00");
    const preview = await post(norwegian, "/payments?index", PAYMENTS_LIST, {
      intent: "bulk-credit-preview",
      paymentId: String(a.paymentId),
      amount: "percentage",
      percentage: "0,5",
      reason: "Forsinket tog",
    });
    expect(preview.status).toBe(200);
    expect(preview.body.data.items).toEqual([
      {
        kind: "skip",
        paymentId: a.paymentId,
        reason: "Prosentandelen av det som kan krediteres er mindre enn 0,01",
      },
    ]);
    // Run, the skip is stored, and the run's report says it in Norwegian too (English keeps its words).
    const { runId, fingerprint } = preview.body.data;
    const run = await postForm(
      server,
      `/payments?index&_data=${encodeURIComponent(PAYMENTS_LIST)}`,
      {
        intent: "bulk-credit",
        paymentId: String(a.paymentId),
        amount: "percentage",
        percentage: "0,5",
        reason: "Forsinket tog",
        runId,
        fingerprint,
      },
      norwegian.cookie,
    );
    expect(run.status).toBe(204);
    const report = await loaderData(norwegian, `/credits/bulk/${runId}`, "routes/_staff.credits.bulk.$runId");
    expect(report.body.items).toEqual([
      expect.objectContaining({
        outcome: "skipped",
        message: "Prosentandelen av det som kan krediteres er mindre enn 0,01",
      }),
    ]);
    expect(JSON.stringify(report.body)).not.toMatch(/"say"/);
    const inEnglish = await loaderData(english, `/credits/bulk/${runId}`, "routes/_staff.credits.bulk.$runId");
    expect(inEnglish.body.items[0].message).toMatch(/less than 0.01/);
  });
});

describe("the dashboard's and settlements' ranges, and a customer's chargebacks, in Norwegian", () => {
  it("says a bad day range on the dashboard, the settlements and their export in Norwegian", async () => {
    await setLanguage(norwegian, "nb");
    const settlements = await loaderData(
      norwegian,
      "/settlements?from=2026-12-07&to=2026-12-01&currency=kr",
      "routes/_staff.settlements._index",
    );
    expect(settlements.body.errors).toHaveLength(2);
    expect(settlements.body.errors).toEqual(
      expect.arrayContaining([
        { field: "currency", message: "må være en valutakode på tre bokstaver, som NOK" },
        { field: "to", message: "må være samme dag som from eller senere" },
      ]),
    );
    const dashboard = await loaderData(norwegian, "/?range=forever&show=fees", "routes/_staff._index");
    expect(dashboard.body.errors).toEqual([
      { field: "range", message: expect.stringMatching(/^må være en av /) },
      { field: "show", message: expect.stringMatching(/^må være en av /) },
    ]);
    const exported = await getPage(server, "/settlements/export.csv?from=2026-12-07&to=2026-12-01", norwegian.cookie);
    expect(await exported.text()).toBe("Ingenting eksportert: to må være samme dag som from eller senere.\n");
  });

  it("lists a customer's chargebacks in a card, linked to their pages, or says there are none", async () => {
    await setLanguage(norwegian, "nb");
    const a = await capturedCardPayment(client, "300.00");
    // Only a privileged client names the customer; the test names it directly.
    const ofCustomer = (paymentId: number, customerNumber: string) =>
      server.database.db.update(payments).set({ customerNumber }).where(eq(payments.paymentId, paymentId));
    await ofCustomer(a.paymentId, "97002");
    const opened = await post(norwegian, `/payments/${a.paymentId}`, "routes/_staff.payments.$paymentId", {
      intent: "openChargeback",
      reason: "Scheme notice",
      transactionId: String(a.transactionId),
      reasonCode: "10.4",
      amount: "150,00",
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const chargebackId = opened.body.data.chargebackId;
    const html = await (await getPage(server, "/customers/97002", norwegian.cookie)).text();
    const at = html.indexOf('aria-label="Tilbakeføringer"');
    expect(at).toBeGreaterThan(-1);
    const card = html.slice(at);
    expect(card).toContain(`href="/chargebacks/${chargebackId}"`);
    expect(card).toContain(`href="/payments/${a.paymentId}"`);
    expect(card).toContain("ÅPEN");

    await ofCustomer((await capturedCardPayment(client, "10.00")).paymentId, "97003");
    const none = await (await getPage(server, "/customers/97003", norwegian.cookie)).text();
    expect(none.indexOf('aria-label="Tilbakeføringer"')).toBeGreaterThan(-1);
    expect(none.slice(none.indexOf('aria-label="Tilbakeføringer"'))).toContain(
      "Ingen tilbakeføringer på denne kundens betalinger.",
    );
  });
});

describe("a customer's refused Pay or Change on /account", () => {
  it("says why in the customer's language", async () => {
    const customerNumber = "NB-7001";
    const email = "nb-7001@self.test";
    await server.database.db.insert(customers).values({
      customerNumber,
      name: "Kari Nordmann",
      email,
      passwordHash: await hashPassword("a long secret 7001"),
      organisationId: client.organisationId,
    });
    await server.database.db.insert(products).values({
      productCode: "P7001",
      customerNumber,
      organisationId: client.organisationId,
      companyCode: "C7001",
      name: "Månedskort",
      currentPaymentMethod: "invoice",
    });
    const cookie = sessionCookieFrom(
      await postForm(server, "/account/login", { email, password: "a long secret 7001" }),
    );
    const submit = async (fields: Record<string, string>, language: "nb" | "en") => {
      const response = await postForm(server, "/account?index", fields, `${cookie}; paydesk_lang=${language}`);
      return { status: response.status, html: await response.text() };
    };
    const how = await submit({ intent: "pay", invoiceNumber: "F1", productCode: "P7001", paymentMethod: "x" }, "nb");
    expect(how.status).toBe(400);
    expect(how.html).toContain("Velg hvordan du vil betale.");
    const method = await submit({ intent: "change", productCode: "P7001", paymentMethod: "x" }, "nb");
    expect(method.html).toContain("Velg en betalingsmåte.");
    const payUnknownInvoice = {
      intent: "pay",
      invoiceNumber: "NOPE-1",
      productCode: "P7001",
      companyCode: "C7001",
      paymentMethod: "creditcardPayex",
    };
    const unknown = await submit(payUnknownInvoice, "nb");
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain("Fant ikke faktura NOPE-1");
    const inEnglish = await submit(payUnknownInvoice, "en");
    expect(inEnglish.html).toContain("Invoice NOPE-1 was not found");
  });
});
