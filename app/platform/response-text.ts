// The text of a Response that the app made from a string, kept beside it so that the server can
// send it as it is (server/remix-handler.ts) instead of piping it through a web ReadableStream
// into Node's response. Every /v1 answer is a short JSON string; on the money path that stream
// plumbing (and reading a JSON body through one) was several percent of the server's CPU. A
// Response not made here is sent by streaming, as before.
const texts = new WeakMap<Response, string>();

/** A Response whose body is `text`, remembered for the server's direct send. */
export function textResponse(text: string, init: ResponseInit): Response {
  const response = new Response(text, init);
  texts.set(response, text);
  return response;
}

/** The text a Response was made from by textResponse, while its body has not been read. */
export function responseText(response: Response): string | undefined {
  return response.bodyUsed ? undefined : texts.get(response);
}
