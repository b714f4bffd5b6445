// API-client bearer tokens: 32 random bytes, shown once, stored as SHA-256. A token is long and
// random, so a fast hash is enough (no password stretching needed), and lookups stay indexed.
import { createHash, randomBytes } from "node:crypto";

const PREFIX = "pd_";

export function generateApiToken(): string {
  return `${PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The first characters, stored to let an admin recognise a token without revealing it. */
export function tokenPrefix(token: string): string {
  return token.slice(0, PREFIX.length + 6);
}
