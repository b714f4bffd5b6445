// Customers: look a customer up by customer number. The customer's own screen is the child route
// (_staff.customers.$customerNumber.tsx), shown below the search box; without one, a few
// customers with recently changed stored cards are offered as a starting point.
import { Anchor, Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, Outlet, useLoaderData, useNavigation, useParams } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { staffCaller } from "../http/staff/action.server";
import { useTranslation } from "react-i18next";
import { translator } from "../i18n/i18n";
import { staffLanguage } from "../i18n/language.server";
import { metaTitle } from "../i18n/meta";
import { customersWithRecentCards } from "../services/queries/customer-overview.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

const CUSTOMER_NUMBER = /^[0-9]{1,20}$/;

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "shell.areas.customers");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "customer:read");
  const raw = new URL(request.url).searchParams.get("customerNumber");
  if (raw !== null) {
    const value = raw.trim();
    if (CUSTOMER_NUMBER.test(value)) throw redirect(`/customers/${value}`);
    const t = translator(staffLanguage(user, request));
    return json({
      query: raw,
      error: value ? t("customers.digitsOnly") : t("customers.enterNumber"),
      suggestions: [],
    });
  }
  // The child screen loads the customer; the suggestions are for the empty search only.
  const suggestions = params.customerNumber
    ? []
    : await customersWithRecentCards(staffCaller(user, request, context, null));
  return json({ query: null, error: null, suggestions });
}

export default function Customers() {
  const { query, error, suggestions } = useLoaderData<typeof loader>();
  const { customerNumber } = useParams();
  const navigation = useNavigation();
  const searching = navigation.state !== "idle" && navigation.location?.pathname.startsWith("/customers");
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={1} size="h2">
          {t("shell.areas.customers")}
        </Title>
        <Form method="get" action="/customers" role="search" key={customerNumber ?? "none"}>
          <Group align="flex-start" gap="sm" wrap="nowrap" maw={520}>
            <TextInput
              name="customerNumber"
              aria-label={t("payments.customerNumber")}
              placeholder={t("customers.placeholder")}
              defaultValue={query ?? customerNumber ?? ""}
              error={error}
              inputMode="numeric"
              autoComplete="off"
              style={{ flex: 1 }}
            />
            <Button type="submit" loading={searching}>
              {t("customers.lookUp")}
            </Button>
          </Group>
        </Form>
      </Stack>
      {customerNumber ? (
        <Outlet />
      ) : (
        <Paper withBorder p="lg" maw={720} bg="var(--paydesk-color-subtle)">
          <Stack gap="xs">
            <Text fw={500}>{t("customers.find")}</Text>
            <Text c="dimmed" size="sm">
              {t("shell.summaries.customers")}
            </Text>
            {suggestions.length ? (
              <Text size="sm">
                {t("customers.recentCards")}{" "}
                {suggestions.map((n, i) => (
                  <span key={n}>
                    {i ? ", " : ""}
                    <Anchor component={Link} to={`/customers/${n}`} size="sm">
                      {n}
                    </Anchor>
                  </span>
                ))}
              </Text>
            ) : null}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
