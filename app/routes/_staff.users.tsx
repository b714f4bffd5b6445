// Staff users: an admin creates them (with a password typed or generated and shown once),
// changes their role, disables them (their sessions end at once) and enables them again, gives
// them a one-time link to set a new password, and resets a lost second factor. The last active
// admin can be neither disabled nor demoted.
import { Badge, Button, Group, PasswordInput, Select, Stack, Table, Text, TextInput, Tooltip } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ROLES, type Role } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { DataTable, HeaderCells } from "../components/DataTable";
import { ActionModal, EnableDisableAction } from "../components/ActionModal";
import { ActiveOrDisabled, PageHeader, SearchedList } from "../components/list-parts";
import { DateTime } from "../components/DateTime";
import { OneTimeSecret, showSecretIn, type Secret } from "../components/OneTimeSecret";
import { useStaffUser } from "../components/staff-user";
import { useFormat } from "../components/use-format";
import { intent, staffAction, staffCaller, switchIntents } from "../http/staff/action.server";
import { ChangeRoleForm, NewStaffUserForm, StaffUserForm } from "../http/staff/forms/admin";
import { metaTitle } from "../i18n/meta";
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

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "shell.areas.users");

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
const roleOptions = (t: TFunction) => ROLES.map((role) => ({ value: role, label: t(`shell.roles.${role}`) }));

type User = ReturnType<typeof useLoaderData<typeof loader>>["users"][number];

export default function Users() {
  const { users, passwordLengths } = useLoaderData<typeof loader>();
  const me = useStaffUser();
  const { count: formatCount } = useFormat();
  const [params] = useSearchParams();
  const q = params.get("q") ?? "";
  const [secret, setSecret] = useState<Secret | null>(null);
  const { t } = useTranslation();

  return (
    <Stack gap="md">
      <PageHeader
        title={t("shell.areas.users")}
        description={
          q ? t("admin.matching", { count: users.length, q }) : t("admin.users.count", { count: users.length })
        }
      >
        <ActionModal
          label={t("admin.users.newUser")}
          title={t("admin.users.newTitle")}
          intent="create"
          reason="optional"
          confirmLabel={t("admin.users.create")}
          buttonProps={{ "data-testid": "new-user" }}
          fields={(errors) => <NewUserFields errors={errors} lengths={passwordLengths} />}
          onSuccess={showSecretIn("generatedPassword", setSecret, (data) => ({
            title: t("admin.users.passwordTitle"),
            label: t("admin.users.passwordFor", { email: String(data.email) }),
            note: t("admin.users.passwordNote"),
          }))}
        />
      </PageHeader>

      <SearchedList q={q} area="users" empty={users.length === 0}>
        <DataTable
          label={t("admin.users.tableLabel")}
          actions
          minWidth={1000}
          head={
            <HeaderCells
              columns={["user", "role", "status", "secondFactor", "sessions", "created"] as const}
              label={(column) => t(`admin.users.${column}`)}
              props={{ role: { miw: 100 }, status: { miw: 110 }, sessions: { ta: "right" } }}
            />
          }
        >
          {users.map((user) => (
            <Table.Tr key={user.id} data-testid={`user-${user.email}`}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {user.name}
                  {user.id === me.id ? (
                    <Text span size="xs" c="dimmed" ml={6}>
                      {t("admin.users.you")}
                    </Text>
                  ) : null}
                </Text>
                <Text size="xs" c="dimmed">
                  {user.email}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={ROLE_COLORS[user.role]} variant="light" size="sm" radius="sm">
                  {t(`shell.roles.${user.role}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <ActiveOrDisabled disabledAt={user.disabledAt} timeZone={me.timeZone} />
              </Table.Td>
              <Table.Td>
                {user.hasSecondFactor ? (
                  <Badge color="teal" variant="light" size="sm" radius="sm">
                    {"TOTP"}
                  </Badge>
                ) : (
                  <Text size="xs" c="dimmed">
                    {user.role === "support" ? t("admin.users.noSecondFactor") : t("admin.users.atNextLogin")}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
                {formatCount(user.activeSessions)}
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
      </SearchedList>
      <OneTimeSecret secret={secret} onClose={() => setSecret(null)} />
    </Stack>
  );
}

function NewUserFields({ errors, lengths }: { errors: Record<string, string>; lengths: { min: number; max: number } }) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        name="email"
        label={t("admin.users.email")}
        type="email"
        required
        autoComplete="off"
        error={errors.email}
      />
      <TextInput
        name="name"
        label={t("admin.users.name")}
        description={t("admin.users.nameDescription")}
        error={errors.name}
      />
      <Select
        name="role"
        label={t("admin.users.role")}
        data={roleOptions(t)}
        defaultValue="support"
        allowDeselect={false}
        required
        error={errors.role}
      />
      <PasswordInput
        name="password"
        label={t("admin.users.initialPassword")}
        description={t("admin.users.initialPasswordDescription", lengths)}
        autoComplete="new-password"
        error={errors.password}
      />
    </>
  );
}

function UserActions({ user, isMe, onSecret }: { user: User; isMe: boolean; onSecret: (secret: Secret) => void }) {
  const { t } = useTranslation();
  const who = t("admin.users.who", { name: user.name, email: user.email });
  return (
    <Group gap={6} justify="flex-end" wrap="wrap">
      {!isMe && !user.disabledAt ? (
        <ActionModal
          label={t("admin.users.resetPassword")}
          intent="reset-password"
          hidden={{ userId: user.id }}
          reason="optional"
          description={t("admin.users.resetPasswordDescription", { who })}
          confirmLabel={t("admin.users.makeLink")}
          buttonProps={{ size: "xs", variant: "default", "data-testid": "reset-password" }}
          onSuccess={showSecretIn("resetLink", onSecret, (data) => ({
            title: t("admin.users.resetLinkTitle"),
            label: t("admin.users.resetLinkFor", { email: String(data.email) }),
            note: t("admin.users.resetLinkNote"),
          }))}
        />
      ) : null}
      {!isMe && user.hasSecondFactor ? (
        <ActionModal
          label={t("admin.users.resetSecondFactorButton")}
          title={t("admin.users.resetSecondFactor")}
          intent="reset-second-factor"
          hidden={{ userId: user.id }}
          color="red"
          description={`${t("admin.users.resetSecondFactorDescription", { who })} ${user.role === "support" ? t("admin.users.afterResetSupport") : t("admin.users.afterResetOthers")}`}
          confirmLabel={t("admin.users.resetSecondFactor")}
          buttonProps={{ size: "xs", variant: "light", color: "red", "data-testid": "reset-second-factor" }}
        />
      ) : null}
      <ActionModal
        label={t("admin.users.changeRole")}
        intent="change-role"
        hidden={{ userId: user.id }}
        reason="optional"
        description={`${t("admin.users.changeRoleDescription", { who, role: t(`shell.roles.${user.role}`) })}${isMe ? t("admin.users.ownAccount") : ""}`}
        fields={(errors) => (
          <Select
            name="role"
            label={t("admin.users.newRole")}
            data={roleOptions(t)}
            defaultValue={user.role}
            allowDeselect={false}
            error={errors.role}
          />
        )}
        buttonProps={{ size: "xs", variant: "default", "data-testid": "change-role" }}
      />
      {isMe && !user.disabledAt ? (
        <Tooltip label={t("admin.users.cannotDisableSelf")} withArrow>
          <Button
            size="xs"
            variant="light"
            color="red"
            data-disabled
            aria-disabled="true"
            style={{ pointerEvents: "all" }}
            onClick={(event) => event.preventDefault()}
          >
            {t("actions.disable")}
          </Button>
        </Tooltip>
      ) : (
        <EnableDisableAction
          enabled={!user.disabledAt}
          hidden={{ userId: user.id }}
          enable={{
            title: t("admin.users.enableTitle"),
            description: t("admin.users.enableDescription", { who }),
            testId: "enable-user",
          }}
          disable={{
            title: t("admin.users.disableTitle"),
            description: t("admin.users.disableDescription", { who }),
            confirmLabel: t("admin.users.disableTitle"),
            testId: "disable-user",
          }}
        />
      )}
    </Group>
  );
}
