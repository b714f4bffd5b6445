import { Text } from "@mantine/core";
import type { CreditCreator } from "../services/queries/credit-screens.server";

/** Who created a credit: a staff user (email on hover) or an API client (marked as such). */
export function CreatorName({ creator }: { creator: CreditCreator }) {
  if (creator.kind === "staff") {
    return (
      <Text size="sm" truncate maw={200} title={creator.email}>
        {creator.name}
      </Text>
    );
  }
  if (creator.kind === "client") {
    return (
      <Text size="sm" truncate maw={200} title={`API client ${creator.clientId}`}>
        {creator.name}{" "}
        <Text span size="xs" c="dimmed">
          (API)
        </Text>
      </Text>
    );
  }
  return (
    <Text span c="dimmed" size="sm">
      —
    </Text>
  );
}
