// The top of a staff detail screen (a credit, a chargeback, a callback): the link back to its
// list, the record's title with its status badge, and the record's actions on the right,
// wrapping below the title on a phone.
import { Anchor, Group, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export function DetailHeader({
  back,
  title,
  badge,
  children,
}: {
  back: { to: string; label: string };
  title: string;
  badge: ReactNode;
  /** The record's actions. */
  children?: ReactNode;
}) {
  return (
    <>
      <Anchor component={Link} to={back.to} size="sm" w="fit-content">
        {back.label}
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Group gap="sm" align="center">
          <Title order={1} size="h2">
            {title}
          </Title>
          {badge}
        </Group>
        {children}
      </Group>
    </>
  );
}
