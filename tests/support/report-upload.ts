// A settlement report upload as a browser sends it: one streamed (chunked) multipart body, the
// upload token's part first, then the file. The reconciliation test writes the file by hand (whole,
// in pieces or cut short); the reconciliation benchmark streams a large one from disk.
import http from "node:http";

/** The staff screen's upload target (the index route's action). */
export const REPORT_UPLOAD_PATH = "/reconciliation?index&_data=routes%2F_staff.reconciliation._index";

/**
 * Opens the upload as `cookie`'s staff user: the request with the token's part and the file part's
 * head already written; the caller writes the file (or part of it) and ends with `tail` to finish
 * it. `answer` is the server's status and body.
 */
export function openReportUpload(
  origin: string,
  options: { cookie: string; token: string; fileName?: string; headers?: http.OutgoingHttpHeaders },
) {
  const boundary = `----paydesk-upload-${process.pid}`;
  const request = http.request(`${origin}${REPORT_UPLOAD_PATH}`, {
    method: "POST",
    headers: {
      "Content-Type": `multipart/form-data; boundary=${boundary}`,
      Cookie: options.cookie,
      Origin: origin,
      ...options.headers,
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
  request.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="uploadToken"\r\n\r\n${options.token}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${options.fileName ?? "report.csv"}"\r\n` +
      `Content-Type: text/csv\r\n\r\n`,
  );
  return { request, answer, tail: `\r\n--${boundary}--\r\n` };
}
