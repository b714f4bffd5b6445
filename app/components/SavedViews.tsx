// The Views menu of a list screen (decision 044): the user's saved views of the screen, saving
// the current filters under a name, and for the view on screen: its share link, making it the
// default (or not) and deleting it. A chip says which view is on screen, with the way back to
// everything (`?view=all`, which also skips the default).
import { Badge, Button, CloseButton, Group, Menu, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link, useFetcher, useLocation, useNavigate } from "@remix-run/react";
import { useCallback } from "react";
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
  const { views, current } = state;
  const currentIsDefault = current ? views.some((v) => v.id === current.id && v.isDefault) : false;
  const afterAnswer = useCallback(
    (result: ActionResult) => {
      if (result.ok && result.intent === "deleteView") navigate(`${location.pathname}?view=all`);
    },
    [navigate, location.pathname],
  );
  useActionNotification(fetcher.state, fetcher.data, "Views", afterAnswer);
  const post = (fields: Record<string, string>) => fetcher.submit(fields, { method: "post" });
  const query = new URLSearchParams(location.search);
  query.delete("view");

  const copyLink = async () => {
    if (!current) return;
    const link = `${window.location.origin}${location.pathname}?view=${current.id}`;
    try {
      await navigator.clipboard.writeText(link);
      notifications.show({ title: "Link copied", message: link });
    } catch {
      notifications.show({ title: "Share this link", message: link, autoClose: false });
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
              aria-label="Show everything, without the view"
            />
          }
        >
          View: {current.name}
        </Badge>
      ) : null}
      {state.missing ? (
        <Text size="sm" c="dimmed" role="status">
          That view does not exist (any more).
        </Text>
      ) : null}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" size="xs" data-testid="views-menu">
            Views
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Your views</Menu.Label>
          {views.length === 0 ? <Menu.Item disabled>None saved yet</Menu.Item> : null}
          {views.map((view) => (
            <Menu.Item key={view.id} component={Link} to={`${location.pathname}?view=${view.id}`}>
              {view.name}
              {view.isDefault ? " (default)" : ""}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item component={Link} to={`${location.pathname}?view=all`}>
            Everything (no view)
          </Menu.Item>
          {current ? (
            <>
              <Menu.Divider />
              <Menu.Label>This view</Menu.Label>
              <Menu.Item onClick={copyLink}>Copy share link</Menu.Item>
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
                    {currentIsDefault ? "Stop opening it by default" : "Open it by default"}
                  </Menu.Item>
                  <Menu.Item color="red" onClick={() => post({ intent: "deleteView", viewId: String(current.id) })}>
                    Delete this view
                  </Menu.Item>
                </>
              ) : null}
            </>
          ) : null}
        </Menu.Dropdown>
      </Menu>
      <ActionModal
        label="Save view…"
        title="Save the current filters as a view"
        intent="saveView"
        reason="none"
        hidden={{ query: query.toString() }}
        description="The filters, sort and dates on screen now, under a name. Anyone who may see this screen can open it from its link."
        fields={(errors) => (
          <TextInput
            name="name"
            label="Name"
            required
            maxLength={60}
            defaultValue={current?.mine ? current.name : ""}
            error={errors.name ?? errors.query}
            data-autofocus
          />
        )}
        confirmLabel="Save view"
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
