// The search for everything: the header's search box asks this loader as the user types (a
// fetcher), and Enter without a chosen result opens it as a page. Each group is searched only
// for a user whose role may read it, checked here on the server.
import { Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Permission } from "../auth/roles";
import { userHasPermission } from "../auth/roles";
import { requireStaffUser } from "../auth/session.server";
import { SearchResults } from "../components/GlobalSearch";
import { metaTitle } from "../i18n/meta";
import { recogniseStaffSearch, SEARCH_GROUPS, type SearchGroup } from "../domain/staff-search";
import { staffCaller } from "../http/staff/action.server";
import { searchEverything } from "../services/queries/staff-search.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "search.metaTitle");

const GROUP_PERMISSION: Record<SearchGroup, Permission> = {
  payments: "payment:read",
  credits: "credit:read",
  customers: "customer:read",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireStaffUser(request);
  const groups = SEARCH_GROUPS.filter((group) => userHasPermission(user, GROUP_PERMISSION[group]));
  if (groups.length === 0) throw new Response("Your role may not search", { status: 403 });
  const text = new URL(request.url).searchParams.get("q");
  const recognised = recogniseStaffSearch(text);
  if (!recognised.ok) return json({ text: text ?? "", error: recognised.message, result: null }, { status: 400 });
  if (!recognised.search) return json({ text: "", error: null, result: null });
  const result = await searchEverything(staffCaller(user, request, context, null), {
    search: recognised.search,
    groups,
  });
  return json({ text: recognised.search.text, error: null, result });
}

export type SearchLoader = typeof loader;

export default function SearchPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <Stack gap="md" maw={760}>
      <Title order={1} size="h2">
        {data.text ? t("search.titleFor", { text: data.text }) : t("search.title")}
      </Title>
      {data.error ? (
        <Text c="red" role="alert">
          {t("search.errorSentence", { error: data.error })}
        </Text>
      ) : (
        <SearchResults data={data} />
      )}
    </Stack>
  );
}
