// The end customer's login ("the user needs to be logged in"), apart from the staff
// login: its own session and cookie (app/auth/customer-session.server.ts), argon2id passwords,
// failed attempts throttled per account and per address. `redirectTo` brings the customer back
// to the page that sent them here (same-site paths only).
import { useTranslation } from "react-i18next";
import { translator } from "../i18n/i18n";
import { matchedLanguage } from "../i18n/meta";
import { Text } from "@mantine/core";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useSearchParams } from "@remix-run/react";
import { customerLogin, getCustomerSession } from "../auth/customer-session.server";
import { loginAction, type LoginActionData } from "../auth/login-action.server";
import { safeRedirect } from "../auth/safe-redirect";
import { CustomerFrame } from "../components/CustomerFrame";
import { LoginForm } from "../components/LoginForm";

export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction = ({ matches }) => {
  const t = translator(matchedLanguage(matches));
  return [{ title: t("customer.loginMetaTitle") }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getCustomerSession(request)) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/account"));
  }
  return null;
}

export function action({ request, context }: ActionFunctionArgs) {
  return loginAction(request, (credentials) => customerLogin(request, credentials, context), "/account");
}

export default function CustomerLoginPage() {
  const data = useActionData<LoginActionData>();
  const [params] = useSearchParams();
  const continuing = (params.get("redirectTo") ?? "").length > 0;
  const { t } = useTranslation();
  return (
    <CustomerFrame
      title={t("customer.mySubscriptions")}
      subtitle={continuing ? t("customer.logInToContinue") : t("customer.logInToSee")}
    >
      <LoginForm errors={data} />
      <Text c="dimmed" size="xs" ta="center">
        {t("customer.forCustomers")}
      </Text>
    </CustomerFrame>
  );
}
