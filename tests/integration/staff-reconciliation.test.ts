// The settlement report upload over HTTP with a real finance session (docs/decisions/039): a
// client that goes away mid-file, or a body cut short, leaves nothing imported (not even the
// batches committed while it streamed) and the server goes on serving; the same file sent whole
// afterwards imports.
import http from "node:http";
import { count } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { settlementReportImports, settlementReportLines } from "../../db/schema";
import { REPORT_COLUMNS } from "../../app/domain/settlement-report";
import { useStaffSession, useTestServer } from "../support/fixtures-http";
import { getPage } from "../support/staff";

const server = useTestServer();
const finance = useStaffSession(server, "finance");

const UPLOAD = "/reconciliation?index&_data=routes%2F_staff.reconciliation._index";
const BOUNDARY = "----paydesk-test-boundary";

/** A valid report of `lines` capture lines nobody in Paydesk knows (each a difference, none wrong). */
function reportOf(settlementId: string, lines: number): string {
  const rows = Array.from(
    { length: lines },
    (_, i) => `${settlementId},2026-12-01,CAPTURE,CUT-${settlementId}-${i + 1},10.00,0.10,9.90,NOK`,
  );
  return `${REPORT_COLUMNS.join(",")}\n${rows.join("\n")}\n`;
}

const formHead = (token: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="uploadToken"\r\n\r\n${token}\r\n` +
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="report.csv"\r\nContent-Type: text/csv\r\n\r\n`;
const formTail = `\r\n--${BOUNDARY}--\r\n`;

/** A streamed (chunked) multipart upload the test writes by hand, as a browser would send it. */
function openUpload() {
  const request = http.request(`${server.url}${UPLOAD}`, {
    method: "POST",
    headers: {
      "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
      Cookie: finance.cookie,
      Origin: server.url,
    },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on("error", reject);
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
  });
  return { request, answer };
}

async function stored() {
  const db = server.database.db;
  const [{ imports }] = await db.select({ imports: count() }).from(settlementReportImports);
  const [{ lines }] = await db.select({ lines: count() }).from(settlementReportLines);
  return { imports, lines };
}

async function progressOf(token: string): Promise<{ status: string; linesRead: number }> {
  const response = await getPage(server, `/reconciliation/progress?token=${token}`, finance.cookie);
  return response.json();
}

/** The whole file as one ordinary multipart post. */
async function uploadWhole(content: string, token: string) {
  const { request, answer } = openUpload();
  request.end(`${formHead(token)}${content}${formTail}`);
  return answer;
}

describe("a settlement report upload that stops before the end of the file", () => {
  let serverErrors: string[];
  beforeEach(() => {
    // The server runs in this process: what it logs as an error (an unhandled one is a 500) shows here.
    serverErrors = [];
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = String(chunk);
      if (text.includes('"level":"error"')) serverErrors.push(text);
      return write(chunk, ...(rest as []));
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it("imports nothing when the client goes away mid-file, and the server still serves", async () => {
    // 12 000 lines: two batches of 5 000 are committed (RUNNING) before the cut.
    const content = reportOf("CUT-ABORT", 12_000);
    const token = "abort-mid-file-token-0001";
    const { request, answer } = openUpload();
    answer.catch(() => {}); // the socket is destroyed below: there is no answer to read
    request.write(formHead(token));
    request.write(content.slice(0, Math.floor(content.length * 0.9)));
    // Wait until the server has committed lines of it: a half-read file exists, as RUNNING.
    await expect.poll(async () => (await progressOf(token)).linesRead, { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await stored()).lines).toBeGreaterThan(0);
    request.destroy();

    // The import and every line it had committed are gone.
    await expect.poll(stored, { timeout: 30_000 }).toEqual({ imports: 0, lines: 0 });
    expect(await progressOf(token)).toMatchObject({ status: "WAITING", linesRead: 0 });
    expect(serverErrors).toEqual([]);

    // The server still serves: the screen, and the same file sent whole.
    const page = await getPage(server, "/reconciliation", finance.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("CUT-ABORT");
    const whole = await uploadWhole(content, "abort-mid-file-token-0002");
    expect(whole.status, whole.body).toBe(200);
    expect(JSON.parse(whole.body)).toMatchObject({ ok: true, message: expect.stringContaining("12000 lines") });
  });

  it("answers a body cut short with a 400 naming the file, not a 500, and imports nothing of it", async () => {
    const before = await stored();
    const content = reportOf("CUT-SHORT", 6_000);
    const { request, answer } = openUpload();
    // The body ends cleanly, but in the middle of the file: no closing boundary.
    request.end(`${formHead("cut-short-token-000001")}${content.slice(0, Math.floor(content.length / 2))}`);
    const cut = await answer;
    expect(cut.status, cut.body).toBe(400);
    expect(JSON.parse(cut.body)).toMatchObject({
      ok: false,
      fieldErrors: { file: expect.stringContaining("stopped before the end of the file") },
    });
    expect(await stored()).toEqual(before);
    expect(serverErrors).toEqual([]);
  });
});
