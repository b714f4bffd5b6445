// Staff users: an admin creates them (with a password typed or generated and shown once),
// changes their role, disables them (their sessions end at once) and enables them again, gives
// them a one-time link to set a new password, and resets a lost second factor. The last active
// admin can be neither disabled nor demoted.
import {
  Badge,
  Button,
  Group,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { ROLES, type Role } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { DataTable } from "../components/DataTable";
import { ActionModal, EnableDisableAction } from "../components/ActionModal";
import { ActiveOrDisabled, ListNotice, ListSearch, PageHeader } from "../components/list-parts";
import { DateTime } from "../components/DateTime";
import { OneTimeSecret, type Secret } from "../components/OneTimeSecret";
import { staffArea } from "../components/staff-areas";
import { useStaffUser } from "../components/staff-user";
import { intent, staffAction, staffCaller, switchIntents } from "../http/staff/action.server";
import { ChangeRoleForm, NewStaffUserForm, StaffUserForm } from "../http/staff/forms/admin";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/password-policy.server";
import {
  changeStaffRole,
  createStaffUser,
  disableStaffUser,
  enableStaffUser,
  generatePassword,
  issuePasswordReset,
  listStaffUsers,
  RESET_LINK_MINUTES,
  resetSecondFactor,
} from "../services/admin/staff-users.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

const AREA = staffArea("/users");

export const meta: MetaFunction = () => [{ title: `${AREA.label} · Paydesk` }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "user:manage");
  const q = new URL(request.url).searchParams.get("q");
  const users = await listStaffUsers(staffCaller(user, request, context, null), { q });
  return json({ users, passwordLengths: { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH } });
}

export const action = (args: ActionFunctionArgs) =>
  staffAction(args, {
    create: intent({
      permission: "user:manage",
      reason: "optional",
      schema: NewStaffUserForm,
      run: async ({ input: { email, name, role, password: typed }, caller, t }) => {
        // The password as typed (spaces count); none typed means one is generated and shown once.
        const password = typed === "" ? generatePassword() : typed;
        const user = await createStaffUser(caller, { email, name, role, password });
        return {
          message: t("toasts.users.created", { email: user.email, role: user.role }),
          data: { userId: user.id, email: user.email, ...(typed === "" ? { generatedPassword: password } : {}) },
        };
      },
    }),
    "change-role": intent({
      permission: "user:manage",
      reason: "optional",
      schema: ChangeRoleForm,
      run: async ({ input: { userId, role: newRole }, caller, t }) => {
        const { role } = await changeStaffRole(caller, { userId, role: newRole });
        return { message: t("toasts.users.roleChanged", { role }) };
      },
    }),
    "reset-password": intent({
      permission: "user:manage",
      reason: "optional",
      schema: StaffUserForm,
      run: async ({ input: { userId }, caller, t }) => {
        const { token, email } = await issuePasswordReset(caller, { userId });
        const link = `${new URL(args.request.url).origin}/reset-password/${token}`;
        return {
          message: t("toasts.users.resetLink", { email, minutes: RESET_LINK_MINUTES }),
          data: { email, resetLink: link },
        };
      },
    }),
    "reset-second-factor": intent({
      permission: "user:manage",
      reason: "required",
      schema: StaffUserForm,
      run: async ({ input: { userId }, caller, t }) => {
        await resetSecondFactor(caller, { userId });
        return { message: t("toasts.users.secondFactorRemoved") };
      },
    }),
    ...switchIntents({
      permission: "user:manage",
      schema: StaffUserForm,
      run: async ({ input: { userId }, caller, enabled, t }) => {
        if (enabled) {
          await enableStaffUser(caller, { userId });
          return { message: t("toasts.users.enabled") };
        }
        await disableStaffUser(caller, { userId });
        return { message: t("toasts.users.disabled") };
      },
    }),
  });

const ROLE_COLORS: Record<Role, string> = { support: "blue", finance: "teal", admin: "orange" };
const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: role }));

type User = ReturnType<typeof useLoaderData<typeof loader>>["users"][number];

export default function Users() {
  const { users, passwordLengths } = useLoaderData<typeof loader>();
  const me = useStaffUser();
  const [params] = useSearchParams();
  const q = params.get("q") ?? "";
  const [secret, setSecret] = useState<Secret | null>(null);

  return (
    <Stack gap="md">
      <PageHeader
        title={AREA.label}
        description={q ? `${users.length} matching “${q}”` : `${users.length} staff users`}
      >
        <ActionModal
          label="New user"
          title="New staff user"
          intent="create"
          reason="optional"
          confirmLabel="Create user"
          buttonProps={{ "data-testid": "new-user" }}
          fields={(errors) => <NewUserFields errors={errors} lengths={passwordLengths} />}
          onSuccess={(result) => {
            const password = result.data?.generatedPassword;
            if (typeof password === "string") {
              setSecret({
                title: "Password for the new user",
                label: `Password for ${String(result.data?.email)}`,
                value: password,
                note: "Give it to them over a safe channel. Paydesk keeps only its hash and cannot show it again.",
              });
            }
          }}
        />
      </PageHeader>

      <ListSearch q={q} placeholder="Email, name or id" />

      {users.length === 0 ? (
        <ListNotice title={q ? "No staff user matches the search." : "No staff users yet."}>
          {q ? "Try part of another name or id." : null}
        </ListNotice>
      ) : (
        <DataTable
          label="Staff users"
          actions
          minWidth={1000}
          head={
            <>
              <Table.Th>User</Table.Th>
              <Table.Th miw={100}>Role</Table.Th>
              <Table.Th miw={110}>Status</Table.Th>
              <Table.Th>2FA</Table.Th>
              <Table.Th ta="right">Sessions</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th pos="relative">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </>
          }
        >
          {users.map((user) => (
            <Table.Tr key={user.id} data-testid={`user-${user.email}`}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {user.name}
                  {user.id === me.id ? (
                    <Text span size="xs" c="dimmed" ml={6}>
                      (you)
                    </Text>
                  ) : null}
                </Text>
                <Text size="xs" c="dimmed">
                  {user.email}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={ROLE_COLORS[user.role]} variant="light" size="sm" radius="sm">
                  {user.role}
                </Badge>
              </Table.Td>
              <Table.Td>
                <ActiveOrDisabled disabledAt={user.disabledAt} timeZone={me.timeZone} />
              </Table.Td>
              <Table.Td>
                {user.hasSecondFactor ? (
                  <Badge color="teal" variant="light" size="sm" radius="sm">
                    TOTP
                  </Badge>
                ) : (
                  <Text size="xs" c="dimmed">
                    {user.role === "support" ? "none" : "at next login"}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
                {user.activeSessions}
              </Table.Td>
              <Table.Td>
                <DateTime value={user.createdAt} timeZone={me.timeZone} />
              </Table.Td>
              <Table.Td>
                <UserActions user={user} isMe={user.id === me.id} onSecret={setSecret} />
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
      <OneTimeSecret secret={secret} onClose={() => setSecret(null)} />
    </Stack>
  );
}

function NewUserFields({ errors, lengths }: { errors: Record<string, string>; lengths: { min: number; max: number } }) {
  return (
    <>
      <TextInput name="email" label="Email" type="email" required autoComplete="off" error={errors.email} />
      <TextInput
        name="name"
        label="Name"
        description="Shown in the header and the audit log; the email's first part if empty."
        error={errors.name}
      />
      <Select
        name="role"
        label="Role"
        data={ROLE_OPTIONS}
        defaultValue="support"
        allowDeselect={false}
        required
        error={errors.role}
      />
      <PasswordInput
        name="password"
        label="Initial password"
        description={`${lengths.min} to ${lengths.max} characters, not a common one. Leave empty to have one generated and shown once.`}
        autoComplete="new-password"
        error={errors.password}
      />
    </>
  );
}

function UserActions({ user, isMe, onSecret }: { user: User; isMe: boolean; onSecret: (secret: Secret) => void }) {
  const who = `${user.name} (${user.email})`;
  return (
    <Group gap={6} justify="flex-end" wrap="wrap">
      {!isMe && !user.disabledAt ? (
        <ActionModal
          label="Reset password"
          title="Reset password"
          intent="reset-password"
          hidden={{ userId: user.id }}
          reason="optional"
          description={`A link for ${who} to set a new password, once, within 30 minutes. Their password stays as it is until then; their second factor stays in any case.`}
          confirmLabel="Make link"
          buttonProps={{ size: "xs", variant: "default", "data-testid": "reset-password" }}
          onSuccess={(result) => {
            const link = result.data?.resetLink;
            if (typeof link === "string")
              onSecret({
                title: "Password reset link",
                label: `For ${String(result.data?.email)}`,
                value: link,
                note: "Give it to them over a safe channel (in person, by phone). It works once, for 30 minutes; Paydesk keeps only its hash.",
              });
          }}
        />
      ) : null}
      {!isMe && user.hasSecondFactor ? (
        <ActionModal
          label="Reset 2FA"
          title="Reset second factor"
          intent="reset-second-factor"
          hidden={{ userId: user.id }}
          color="red"
          description={`Removes the second factor of ${who} (a lost phone and lost recovery codes) and ends their sessions. ${user.role === "support" ? "They log in with their password alone until they set one up again." : "They set up a new one at their next login, with their password."}`}
          confirmLabel="Reset second factor"
          buttonProps={{ size: "xs", variant: "light", color: "red", "data-testid": "reset-second-factor" }}
        />
      ) : null}
      <ActionModal
        label="Change role"
        title="Change role"
        intent="change-role"
        hidden={{ userId: user.id }}
        reason="optional"
        description={`${who} is ${user.role} now. The new role applies to their next request.${isMe ? " This is your own account." : ""}`}
        fields={(errors) => (
          <Select
            name="role"
            label="New role"
            data={ROLE_OPTIONS}
            defaultValue={user.role}
            allowDeselect={false}
            error={errors.role}
          />
        )}
        buttonProps={{ size: "xs", variant: "default", "data-testid": "change-role" }}
      />
      {isMe && !user.disabledAt ? (
        <Tooltip label="Another admin can disable your account; you cannot." withArrow>
          <Button
            size="xs"
            variant="light"
            color="red"
            data-disabled
            aria-disabled="true"
            style={{ pointerEvents: "all" }}
            onClick={(event) => event.preventDefault()}
          >
            Disable
          </Button>
        </Tooltip>
      ) : (
        <EnableDisableAction
          enabled={!user.disabledAt}
          hidden={{ userId: user.id }}
          enable={{
            title: "Enable user",
            description: `${who} can log in again with their password.`,
            testId: "enable-user",
          }}
          disable={{
            title: "Disable user",
            description: `${who} can no longer log in, and every session they have open ends at once.`,
            confirmLabel: "Disable user",
            testId: "disable-user",
          }}
        />
      )}
    </Group>
  );
}
