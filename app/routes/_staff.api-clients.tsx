// API clients: an admin creates one (its token shown once), rotates its token (the old one stops
// working at once, the new one is shown once), disables or enables it, and edits its channels
// and allowed redirect prefixes. Tokens never reach the audit log; their prefix may.
import {
  Badge,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../auth/session.server";
import { DataTable, HeaderCells } from "../components/DataTable";
import { ActionModal, EnableDisableAction } from "../components/ActionModal";
import { ActiveOrDisabled, PageHeader, SearchedList } from "../components/list-parts";
import { OneTimeSecret, showSecretIn, type Secret } from "../components/OneTimeSecret";
import { useStaffUser } from "../components/staff-user";
import { metaTitle } from "../i18n/meta";
import { intent, staffAction, staffCaller, switchIntents } from "../http/staff/action.server";
import { ApiClientForm, ApiClientSettingsForm, NEW_ORGANISATION, NewApiClientForm } from "../http/staff/forms/admin";
import {
  createApiClient,
  listApiClients,
  listOrganisations,
  rotateApiClientToken,
  setApiClientDisabled,
  updateApiClientSettings,
} from "../services/admin/api-clients.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "shell.areas.apiClients");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "client:manage");
  const caller = staffCaller(user, request, context, null);
  const q = new URL(request.url).searchParams.get("q");
  const [clients, organisations] = await Promise.all([listApiClients(caller, { q }), listOrganisations(caller)]);
  return json({ clients, organisations });
}

export const action = (args: ActionFunctionArgs) =>
  staffAction(args, {
    create: intent({
      permission: "client:manage",
      reason: "optional",
      schema: NewApiClientForm,
      run: async ({ input, caller, t }) => {
        const created = await createApiClient(caller, input);
        return {
          message: t("toasts.apiClients.created", { clientId: created.clientId }),
          data: { clientId: created.clientId, token: created.token },
        };
      },
    }),
    "rotate-token": intent({
      permission: "client:manage",
      reason: "optional",
      schema: ApiClientForm,
      run: async ({ input: { clientId }, caller, t }) => {
        const rotated = await rotateApiClientToken(caller, { clientId });
        return { message: t("toasts.apiClients.rotated", { clientId: rotated.clientId }), data: rotated };
      },
    }),
    update: intent({
      permission: "client:manage",
      reason: "optional",
      schema: ApiClientSettingsForm,
      run: async ({ input: { clientId, ...settings }, caller, t }) => {
        await updateApiClientSettings(caller, { clientId, ...settings });
        return { message: t("toasts.apiClients.saved", { clientId }) };
      },
    }),
    ...switchIntents({
      permission: "client:manage",
      schema: ApiClientForm,
      run: async ({ input: { clientId }, caller, enabled, t }) => {
        await setApiClientDisabled(caller, { clientId, disabled: !enabled });
        return {
          message: enabled
            ? t("toasts.apiClients.enabled", { clientId })
            : t("toasts.apiClients.disabled", { clientId }),
        };
      },
    }),
  });

const KNOWN_CHANNELS = ["web", "app", "ticket-machine", "customer-service"];

type Client = ReturnType<typeof useLoaderData<typeof loader>>["clients"][number];
type Organisation = ReturnType<typeof useLoaderData<typeof loader>>["organisations"][number];

export default function ApiClients() {
  const { clients, organisations } = useLoaderData<typeof loader>();
  const me = useStaffUser();
  const [params] = useSearchParams();
  const q = params.get("q") ?? "";
  const [secret, setSecret] = useState<Secret | null>(null);
  const { t } = useTranslation();
  const channelSuggestions = [...new Set([...KNOWN_CHANNELS, ...clients.flatMap((client) => client.channels)])];
  const showToken = (title: string) =>
    showSecretIn("token", setSecret, (data) => ({
      title,
      label: t("admin.apiClients.tokenOf", { clientId: String(data.clientId) }),
      note: t("admin.apiClients.tokenNote"),
    }));

  return (
    <Stack gap="md">
      <PageHeader
        title={t("shell.areas.apiClients")}
        description={
          q ? t("admin.matching", { count: clients.length, q }) : t("admin.apiClients.count", { count: clients.length })
        }
      >
        <ActionModal
          label={t("admin.apiClients.newClient")}
          intent="create"
          reason="optional"
          confirmLabel={t("admin.apiClients.create")}
          buttonProps={{ "data-testid": "new-client" }}
          fields={(errors) => (
            <NewClientFields errors={errors} organisations={organisations} channelSuggestions={channelSuggestions} />
          )}
          onSuccess={showToken(t("admin.apiClients.newToken"))}
        />
      </PageHeader>

      <SearchedList q={q} area="apiClients" empty={clients.length === 0}>
        <DataTable
          label={t("admin.apiClients.tableLabel")}
          actions
          minWidth={1100}
          alignTop
          head={
            <HeaderCells
              columns={["client", "organisation", "channels", "redirectPrefixes", "token", "access", "status"] as const}
              label={(column) => t(`admin.apiClients.${column}`)}
              props={{ access: { miw: 150 }, status: { miw: 120 } }}
            />
          }
        >
          {clients.map((client) => (
            <Table.Tr key={client.clientId} data-testid={`client-${client.clientId}`}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {client.name}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {client.clientId}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{client.organisationName}</Text>
                <Text size="xs" c="dimmed">
                  {t("admin.apiClients.organisationNo", { id: client.organisationId })}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} maw={200}>
                  {client.channels.map((channel) => (
                    <Badge key={channel} variant="outline" color="gray" size="sm" radius="sm" tt="none">
                      {channel}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                {client.allowedRedirectPrefixes.length === 0 ? (
                  <Text size="xs" c="dimmed">
                    {t("admin.apiClients.noPrefixes")}
                  </Text>
                ) : (
                  <Stack gap={0}>
                    {client.allowedRedirectPrefixes.map((prefix) => (
                      <Text key={prefix} size="xs" ff="monospace" style={{ whiteSpace: "nowrap" }}>
                        {prefix}
                      </Text>
                    ))}
                  </Stack>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" data-testid="token-prefix" style={{ whiteSpace: "nowrap" }}>
                  {`${client.tokenPrefix}…`}
                </Text>
              </Table.Td>
              <Table.Td>
                <Stack gap={4} align="flex-start">
                  {client.privileged ? (
                    <Badge color="violet" variant="light" size="sm" radius="sm">
                      {t("admin.apiClients.privileged")}
                    </Badge>
                  ) : null}
                  {client.onBehalfOfAllowed ? (
                    <Badge color="grape" variant="light" size="sm" radius="sm">
                      {t("admin.apiClients.onBehalfOf")}
                    </Badge>
                  ) : null}
                  {!client.privileged && !client.onBehalfOfAllowed ? (
                    <Text size="xs" c="dimmed">
                      {t("admin.apiClients.ownOrganisation")}
                    </Text>
                  ) : null}
                </Stack>
              </Table.Td>
              <Table.Td>
                <ActiveOrDisabled disabledAt={client.disabledAt} timeZone={me.timeZone} />
              </Table.Td>
              <Table.Td>
                <ClientActions
                  client={client}
                  channelSuggestions={channelSuggestions}
                  onRotated={showToken(t("admin.apiClients.rotatedToken"))}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      </SearchedList>
      <OneTimeSecret secret={secret} onClose={() => setSecret(null)} />
    </Stack>
  );
}

function SettingsFields({
  errors,
  channelSuggestions,
  channels = ["web"],
  prefixes = [],
}: {
  errors: Record<string, string>;
  channelSuggestions: string[];
  channels?: string[];
  prefixes?: string[];
}) {
  const { t } = useTranslation();
  return (
    <>
      <TagsInput
        name="channels"
        label={t("admin.apiClients.distributionChannels")}
        description={t("admin.apiClients.channelsDescription")}
        data={channelSuggestions}
        defaultValue={channels}
        error={errors.channels}
        clearable
      />
      <Textarea
        name="allowedRedirectPrefixes"
        label={t("admin.apiClients.allowedPrefixes")}
        description={t("admin.apiClients.prefixesDescription")}
        defaultValue={prefixes.join("\n")}
        error={errors.allowedRedirectPrefixes}
        autosize
        minRows={2}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
      />
    </>
  );
}

function NewClientFields({
  errors,
  organisations,
  channelSuggestions,
}: {
  errors: Record<string, string>;
  organisations: Organisation[];
  channelSuggestions: string[];
}) {
  const [organisation, setOrganisation] = useState<string | null>(
    organisations[0] ? String(organisations[0].id) : NEW_ORGANISATION,
  );
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        name="name"
        label={t("admin.apiClients.name")}
        placeholder={t("admin.apiClients.namePlaceholder")}
        required
        error={errors.name}
      />
      <Select
        name="organisation"
        label={t("admin.apiClients.organisation")}
        data={[
          ...organisations.map((org) => ({
            value: String(org.id),
            label: t("admin.apiClients.organisationOption", { name: org.name, id: org.id }),
          })),
          { value: NEW_ORGANISATION, label: t("admin.apiClients.newOrganisation") },
        ]}
        value={organisation}
        onChange={setOrganisation}
        allowDeselect={false}
        searchable
        required
        error={errors.organisation}
      />
      {organisation === NEW_ORGANISATION ? (
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput
            name="organisationId"
            label={t("admin.apiClients.organisationNumber")}
            inputMode="numeric"
            required
            error={errors.organisationId}
          />
          <TextInput
            name="organisationName"
            label={t("admin.apiClients.organisationName")}
            required
            error={errors.organisationName}
          />
        </SimpleGrid>
      ) : null}
      <SettingsFields errors={errors} channelSuggestions={channelSuggestions} />
      <Checkbox name="privileged" label={t("admin.apiClients.privilegedLabel")} />
      <Checkbox name="onBehalfOfAllowed" label={t("admin.apiClients.onBehalfOfLabel")} />
    </>
  );
}

function ClientActions({
  client,
  channelSuggestions,
  onRotated,
}: {
  client: Client;
  channelSuggestions: string[];
  onRotated: (result: { data?: Record<string, unknown> }) => void;
}) {
  const { t } = useTranslation();
  const clientId = client.clientId;
  return (
    <Stack gap={6} align="stretch">
      <ActionModal
        label={t("admin.apiClients.edit")}
        title={t("admin.apiClients.editTitle", { clientId })}
        intent="update"
        hidden={{ clientId: client.clientId }}
        reason="optional"
        confirmLabel={t("common.save")}
        fields={(errors) => (
          <SettingsFields
            errors={errors}
            channelSuggestions={channelSuggestions}
            channels={client.channels}
            prefixes={client.allowedRedirectPrefixes}
          />
        )}
        buttonProps={{ size: "xs", variant: "default", "data-testid": "edit-client" }}
      />
      <ActionModal
        label={t("admin.apiClients.rotate")}
        title={t("admin.apiClients.rotateTitle", { clientId })}
        intent="rotate-token"
        hidden={{ clientId: client.clientId }}
        reason="optional"
        description={t("admin.apiClients.rotateDescription", { prefix: client.tokenPrefix })}
        confirmLabel={t("admin.apiClients.rotate")}
        color="orange"
        buttonProps={{ size: "xs", variant: "light", "data-testid": "rotate-token" }}
        onSuccess={onRotated}
      />
      <EnableDisableAction
        enabled={!client.disabledAt}
        hidden={{ clientId: client.clientId }}
        enable={{
          title: t("admin.apiClients.enableTitle", { clientId }),
          description: t("admin.apiClients.enableDescription"),
          testId: "enable-client",
        }}
        disable={{
          title: t("admin.apiClients.disableTitle", { clientId }),
          description: t("admin.apiClients.disableDescription"),
          confirmLabel: t("admin.apiClients.disableConfirm"),
          testId: "disable-client",
        }}
      />
    </Stack>
  );
}
