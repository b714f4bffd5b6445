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
  VisuallyHidden,
} from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { requirePermission } from "../auth/session.server";
import { DataTable } from "../components/DataTable";
import { ActionModal, EnableDisableAction } from "../components/ActionModal";
import { ActiveOrDisabled, ListNotice, ListSearch, PageHeader } from "../components/list-parts";
import { OneTimeSecret, type Secret } from "../components/OneTimeSecret";
import { staffArea } from "../components/staff-areas";
import { useStaffUser } from "../components/staff-user";
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

const AREA = staffArea("/api-clients");

export const meta: MetaFunction = () => [{ title: `${AREA.label} · Paydesk` }];

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
  const channelSuggestions = [...new Set([...KNOWN_CHANNELS, ...clients.flatMap((client) => client.channels)])];
  const showToken = (title: string) => (result: { data?: Record<string, unknown> }) => {
    const { clientId, token } = result.data ?? {};
    if (typeof token !== "string") return;
    setSecret({
      title,
      label: `Bearer token of ${String(clientId)}`,
      value: token,
      note: "Hand it to the client's developers over a safe channel. Paydesk keeps only its hash and cannot show it again.",
    });
  };

  return (
    <Stack gap="md">
      <PageHeader
        title={AREA.label}
        description={q ? `${clients.length} matching “${q}”` : `${clients.length} API clients`}
      >
        <ActionModal
          label="New API client"
          title="New API client"
          intent="create"
          reason="optional"
          confirmLabel="Create client"
          buttonProps={{ "data-testid": "new-client" }}
          fields={(errors) => (
            <NewClientFields errors={errors} organisations={organisations} channelSuggestions={channelSuggestions} />
          )}
          onSuccess={showToken("Token of the new API client")}
        />
      </PageHeader>

      <ListSearch q={q} placeholder="Client id or name" />

      {clients.length === 0 ? (
        <ListNotice
          title={q ? "No API client matches the search." : "No API clients yet. Create one to let a shop use the API."}
        >
          {q ? "Try part of another name or id." : null}
        </ListNotice>
      ) : (
        <DataTable
          label="API clients"
          actions
          minWidth={1100}
          alignTop
          head={
            <>
              <Table.Th>Client</Table.Th>
              <Table.Th>Organisation</Table.Th>
              <Table.Th>Channels</Table.Th>
              <Table.Th>Redirect prefixes</Table.Th>
              <Table.Th>Token</Table.Th>
              <Table.Th miw={150}>Access</Table.Th>
              <Table.Th miw={120}>Status</Table.Th>
              <Table.Th pos="relative">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </>
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
                  no. {client.organisationId}
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
                    none: redirects refused
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
                  {client.tokenPrefix}…
                </Text>
              </Table.Td>
              <Table.Td>
                <Stack gap={4} align="flex-start">
                  {client.privileged ? (
                    <Badge color="violet" variant="light" size="sm" radius="sm">
                      privileged
                    </Badge>
                  ) : null}
                  {client.onBehalfOfAllowed ? (
                    <Badge color="grape" variant="light" size="sm" radius="sm">
                      on behalf of
                    </Badge>
                  ) : null}
                  {!client.privileged && !client.onBehalfOfAllowed ? (
                    <Text size="xs" c="dimmed">
                      own organisation
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
                  onRotated={showToken("New token")}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
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
  return (
    <>
      <TagsInput
        name="channels"
        label="Distribution channels"
        description="Lowercase letters, digits and -; Enter after each. Each new channel gets every payment method, enabled."
        data={channelSuggestions}
        defaultValue={channels}
        error={errors.channels}
        clearable
      />
      <Textarea
        name="allowedRedirectPrefixes"
        label="Allowed redirect prefixes"
        description="One per line, http(s) URLs such as https://shop.example/. Redirect and callback URLs must start with one."
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
  return (
    <>
      <TextInput name="name" label="Name" placeholder="Acme web shop" required error={errors.name} />
      <Select
        name="organisation"
        label="Organisation"
        data={[
          ...organisations.map((org) => ({ value: String(org.id), label: `${org.name} (no. ${org.id})` })),
          { value: NEW_ORGANISATION, label: "New organisation…" },
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
            label="Organisation number"
            inputMode="numeric"
            required
            error={errors.organisationId}
          />
          <TextInput name="organisationName" label="Organisation name" required error={errors.organisationName} />
        </SimpleGrid>
      ) : null}
      <SettingsFields errors={errors} channelSuggestions={channelSuggestions} />
      <Checkbox name="privileged" label="Privileged: may import transactions and set customer numbers" />
      <Checkbox name="onBehalfOfAllowed" label="May act on behalf of other organisations (Entur-On-Behalf-Of)" />
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
  return (
    <Stack gap={6} align="stretch">
      <ActionModal
        label="Edit"
        title={`Channels and redirects of ${client.clientId}`}
        intent="update"
        hidden={{ clientId: client.clientId }}
        reason="optional"
        confirmLabel="Save"
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
        label="Rotate token"
        title={`Rotate the token of ${client.clientId}`}
        intent="rotate-token"
        hidden={{ clientId: client.clientId }}
        reason="optional"
        description={`A new token is made and shown once. The current one (${client.tokenPrefix}…) stops working at once: the client gets 401 until it uses the new one.`}
        confirmLabel="Rotate token"
        color="orange"
        buttonProps={{ size: "xs", variant: "light", "data-testid": "rotate-token" }}
        onSuccess={onRotated}
      />
      <EnableDisableAction
        enabled={!client.disabledAt}
        hidden={{ clientId: client.clientId }}
        enable={{
          title: `Enable ${client.clientId}`,
          description: "Its current token works again at once.",
          testId: "enable-client",
        }}
        disable={{
          title: `Disable ${client.clientId}`,
          description:
            "Every request with its token gets 401 from now on, until it is enabled again. Its payments stay as they are.",
          confirmLabel: "Disable client",
          testId: "disable-client",
        }}
      />
    </Stack>
  );
}
