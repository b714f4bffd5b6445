// The staff login, its first step: email and password. A user with a second factor (or whose
// role requires one) goes on to /login/code (or /login/enrol) with a pending session.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Alert } from "@mantine/core";
import { useActionData, useSearchParams } from "@remix-run/react";
import { loginAction, type LoginActionData } from "../auth/login-action.server";
import { safeRedirect } from "../auth/safe-redirect";
import { getStaffUser, login, stepPath } from "../auth/session.server";
import { AuthCard } from "../components/AuthCard";
import { LoginForm } from "../components/LoginForm";
import { useTranslation } from "react-i18next";
import { metaTitle } from "../i18n/meta";

// Document POSTs take their headers from here (Retry-After on a throttled login).
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "auth.login.title");

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getStaffUser(request)) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  }
  return null;
}

export function action({ request, context }: ActionFunctionArgs) {
  return loginAction(request, async (credentials, redirectTo) => {
    const result = await login(request, credentials, context);
    return result.ok && result.step ? { ...result, location: stepPath(result.step, redirectTo) } : result;
  });
}

export default function LoginPage() {
  const data = useActionData<LoginActionData>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  return (
    <AuthCard title={t("common.appName")} subtitle={t("auth.login.subtitle")} footer={t("auth.login.footer")}>
      {params.get("again") === "codes" && !data ? (
        <Alert color="orange" role="status">
          {t("auth.login.tooManyCodes")}
        </Alert>
      ) : null}
      <LoginForm errors={data} />
    </AuthCard>
  );
}
