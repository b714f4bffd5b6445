// The forms of the admin screens (staff users, API clients, payment methods), one schema per
// intent (the reason is added by the staff action). The services check the rules they share
// with the CLI (email, password length, channel names, redirect prefixes); these schemas give
// them well-formed, bounded values.
import { z } from "zod";
import { ROLES } from "../../../auth/roles";
import { organisationIdProblem, splitList } from "../../../domain/api-clients";
import { checkbox, choice, id, optionalText, rawText, requiredText, says } from "../fields";

// ---------------------------------------------------------------- staff users

const userId = z.preprocess(
  (value) => (typeof value === "string" ? value.trim() : value),
  z.string({ error: says("staffUserId") }).regex(/^[0-9a-f]{1,64}$/, says("staffUserId")),
);
const role = choice(ROLES);

/** No password typed means one is generated and shown once. */
export const NewStaffUserForm = z.object({
  email: requiredText(254),
  name: optionalText(200),
  role,
  password: rawText(1000),
});
export const ChangeRoleForm = z.object({ userId, role });
export const StaffUserForm = z.object({ userId });

// ---------------------------------------------------------------- API clients

/** The form's choice of organisation that means "a new one, with this number and name". */
export const NEW_ORGANISATION = "new";

const clientId = requiredText(100, { missing: says("apiClientId") });
/** Channels and prefixes as the form sends them: comma- or newline-separated lists. */
const listText = optionalText(5000).transform((value) => splitList(value ?? ""));
const settings = { channels: listText, allowedRedirectPrefixes: listText };

/** The organisation chosen: an existing one, or a new one with its number and name. */
export const NewApiClientForm = z
  .object({
    name: requiredText(200),
    organisation: optionalText(20),
    organisationId: optionalText(20),
    organisationName: optionalText(200),
    ...settings,
    privileged: checkbox(),
    onBehalfOfAllowed: checkbox(),
  })
  .transform(({ organisation, organisationId, organisationName, ...rest }, ctx) => {
    if (organisation === NEW_ORGANISATION) {
      const problem = organisationIdProblem(organisationId ?? "");
      // Said by its key (with the typed value) so that the form speaks the admin's language.
      if (problem)
        ctx.addIssue({
          code: "custom",
          path: ["organisationId"],
          message: says("organisationId"),
          params: { value: organisationId ?? "" },
        });
      if (!organisationName)
        ctx.addIssue({ code: "custom", path: ["organisationName"], message: says("organisationNameRequired") });
      return { ...rest, organisationId: Number(organisationId), organisationName };
    }
    if (!organisation || organisationIdProblem(organisation)) {
      ctx.addIssue({ code: "custom", path: ["organisation"], message: says("chooseOrganisation") });
    }
    return { ...rest, organisationId: Number(organisation), organisationName: undefined };
  });
export const ApiClientForm = z.object({ clientId });
export const ApiClientSettingsForm = z.object({ clientId, ...settings });

// ---------------------------------------------------------------- payment methods

export const PaymentMethodForm = z.object({ methodId: id(says("paymentMethodId")) });
