// The Views menu of a list screen (decision 044): the user's saved views of the screen, saving
// the current filters under a name, and for the view on screen: its share link, making it the
// default (or not) and deleting it. A chip says which view is on screen, with the way back to
// everything (`?view=all`, which also skips the default).
import { Badge, Button, CloseButton, Group, Menu, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link, useFetcher, useLocation, useNavigate } from "@remix-run/react";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import type { ActionResult } from "../domain/action-result";
import { ActionModal, useActionNotification } from "./ActionModal";

export type ViewsMenuState = {
  views: { id: number; name: string; isDefault: boolean }[];
  current: { id: number; name: string; mine: boolean } | null;
  missing: boolean;
};

export function ViewsMenu({ state }: { state: ViewsMenuState }) {
  const location = useLocation();
  const navigate = useNavigate();
  const fetcher = useFetcher<ActionResult>();
  const { t } = useTranslation();
  const { views, current } = state;
  const currentIsDefault = current ? views.some((v) => v.id === current.id && v.isDefault) : false;
  const afterAnswer = useCallback(
    (result: ActionResult) => {
      if (result.ok && result.intent === "deleteView") navigate(`${location.pathname}?view=all`);
    },
    [navigate, location.pathname],
  );
  useActionNotification(fetcher.state, fetcher.data, t("listTools.views.notify"), afterAnswer);
  const post = (fields: Record<string, string>) => fetcher.submit(fields, { method: "post" });
  const query = new URLSearchParams(location.search);
  query.delete("view");

  const copyLink = async () => {
    if (!current) return;
    const link = `${window.location.origin}${location.pathname}?view=${current.id}`;
    try {
      await navigator.clipboard.writeText(link);
      notifications.show({ title: t("listTools.views.linkCopied"), message: link });
    } catch {
      notifications.show({ title: t("listTools.views.shareLink"), message: link, autoClose: false });
    }
  };

  return (
    <Group gap="xs" wrap="wrap" data-testid="views">
      {current ? (
        <Badge
          size="lg"
          variant="light"
          data-testid="view-chip"
          rightSection={
            <CloseButton
              component={Link}
              to={`${location.pathname}?view=all`}
              size="xs"
              aria-label={t("listTools.views.showEverything")}
            />
          }
        >
          {t("listTools.views.chip", { name: current.name })}
        </Badge>
      ) : null}
      {state.missing ? (
        <Text size="sm" c="dimmed" role="status">
          {t("listTools.views.missing")}
        </Text>
      ) : null}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" size="xs" data-testid="views-menu">
            {t("listTools.views.menu")}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t("listTools.views.yours")}</Menu.Label>
          {views.length === 0 ? <Menu.Item disabled>{t("listTools.views.noneSaved")}</Menu.Item> : null}
          {views.map((view) => (
            <Menu.Item key={view.id} component={Link} to={`${location.pathname}?view=${view.id}`}>
              {view.isDefault ? t("listTools.views.isDefault", { name: view.name }) : view.name}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item component={Link} to={`${location.pathname}?view=all`}>
            {t("listTools.views.everything")}
          </Menu.Item>
          {current ? (
            <>
              <Menu.Divider />
              <Menu.Label>{t("listTools.views.thisView")}</Menu.Label>
              <Menu.Item onClick={copyLink}>{t("listTools.views.copyLink")}</Menu.Item>
              {current.mine ? (
                <>
                  <Menu.Item
                    onClick={() =>
                      post({
                        intent: "setDefaultView",
                        viewId: String(current.id),
                        ...(currentIsDefault ? {} : { isDefault: "on" }),
                      })
                    }
                  >
                    {currentIsDefault ? t("listTools.views.stopDefault") : t("listTools.views.openByDefault")}
                  </Menu.Item>
                  <Menu.Item color="red" onClick={() => post({ intent: "deleteView", viewId: String(current.id) })}>
                    {t("listTools.views.delete")}
                  </Menu.Item>
                </>
              ) : null}
            </>
          ) : null}
        </Menu.Dropdown>
      </Menu>
      <ActionModal
        label={t("listTools.views.save")}
        title={t("listTools.views.saveTitle")}
        intent="saveView"
        reason="none"
        hidden={{ query: query.toString() }}
        description={t("listTools.views.saveText")}
        fields={(errors) => (
          <TextInput
            name="name"
            label={t("listTools.views.name")}
            required
            maxLength={60}
            defaultValue={current?.mine ? current.name : ""}
            error={errors.name ?? errors.query}
            data-autofocus
          />
        )}
        confirmLabel={t("listTools.views.saveConfirm")}
        buttonProps={{ size: "xs", variant: "default", "data-testid": "save-view" }}
        onSuccess={(result) => {
          const viewId = result.data?.viewId;
          if (typeof viewId === "number")
            navigate(`${location.pathname}?${query}${query.size ? "&" : ""}view=${viewId}`);
        }}
      />
    </Group>
  );
}
