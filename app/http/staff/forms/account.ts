// The forms of a staff user's own account page and of a password reset link. Passwords are taken
// exactly as typed; the services check the password rule (app/auth/password-policy.server.ts).
import { z } from "zod";
import { rawText, says } from "../fields";

const password = rawText(1000);

/** The new password twice: the second must match, or the error shows next to it. */
const newPasswordTwice = {
  newPassword: password,
  confirmPassword: password,
};

function matching<T extends { newPassword: string; confirmPassword: string }>(value: T, ctx: z.RefinementCtx) {
  if (value.newPassword !== value.confirmPassword)
    ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: says("passwordMismatch") });
}

export const ChangePasswordForm = z.object({ currentPassword: password, ...newPasswordTwice }).superRefine(matching);

export const ResetPasswordForm = z.object(newPasswordTwice).superRefine(matching);

/** The language of one's screens: English, Norwegian, or "" to follow the browser. */
export const SetLanguageForm = z.object({
  language: z.enum(["en", "nb", ""]).transform((value) => (value === "" ? null : value)),
});

/** Actions on one's own second factor confirm with the password. */
export const ConfirmWithPasswordForm = z.object({ currentPassword: password });
