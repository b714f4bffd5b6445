import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { CreditCreator } from "../services/queries/credit-screens.server";

/** Who created a credit: a staff user (email on hover) or an API client (marked as such). */
export function CreatorName({ creator }: { creator: CreditCreator }) {
  const { t } = useTranslation();
  if (creator.kind === "staff") {
    return (
      <Text size="sm" truncate maw={200} title={creator.email}>
        {creator.name}
      </Text>
    );
  }
  if (creator.kind === "client") {
    return (
      <Text size="sm" truncate maw={200} title={t("credits.apiClient", { clientId: creator.clientId })}>
        {creator.name}{" "}
        <Text span size="xs" c="dimmed">
          {t("credits.api")}
        </Text>
      </Text>
    );
  }
  return (
    <Text span c="dimmed" size="sm">
      {t("common.dash")}
    </Text>
  );
}
