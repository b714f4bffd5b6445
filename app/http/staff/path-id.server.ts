// The id in a staff detail screen's URL. Anything but a positive whole number is answered like an
// unknown id (a 404), so a hand-edited URL learns nothing and never reaches a query; an id that
// a query does not find is answered the same way.
import { DomainError } from "../../domain/errors";

/** A path or form id, or null when it cannot be one. */
export function idOf(raw: string | null | undefined): number | null {
  if (!raw || !/^[1-9][0-9]{0,15}$/.test(raw) || Number(raw) > Number.MAX_SAFE_INTEGER) return null;
  return Number(raw);
}

/** The 404 a detail screen throws for an id that names nothing; `message` is what the page says. */
export function notFound(message: string): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

/** The id of the URL, or a 404 with `message` when it cannot be one. */
export function idOr404(raw: string | undefined, message: string): number {
  const id = idOf(raw);
  if (id === null) throw notFound(message);
  return id;
}

/** What `query` finds, or a 404 with `message()` when it says the id names nothing. */
export async function foundOr404<T>(query: Promise<T>, message: () => string): Promise<T> {
  try {
    return await query;
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") throw notFound(message());
    throw error;
  }
}
