// The credits that give back this payment's money: where a support agent looks after crediting
// from this page, so a credit waiting for a second staff user is visible here, with who must act.
import { Alert, Anchor, Group, Stack, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Amount } from "../Amount";
import { CreditRows } from "../CreditRows";
import { CreditStatusBadge } from "../CreditStatusBadge";
import type { DetailCredit as PaymentCredit } from "./types";

/** What the credit waits for, in words for the person reading the payment. */
function standingText(t: TFunction, credit: PaymentCredit): string {
  const standing = credit.standing;
  switch (standing.kind) {
    case "credited":
      return t("credits.payment.credited");
    case "failed":
      return t("credits.payment.failed", { count: standing.failedLines });
    case "inProgress":
      return t("credits.payment.inProgress");
    case "awaitsSecondStaffUser":
      return standing.viewerMayExecute
        ? t("credits.payment.secondYouMay", { creator: standing.creator })
        : t("credits.payment.second", { creator: standing.creator });
    case "awaitsExecution":
      return standing.viewerMayExecute ? t("credits.payment.executionYouMay") : t("credits.payment.execution");
    case "deactivated":
      return t("credits.payment.deactivated");
  }
}

export function PaymentCredits({
  credits,
  currency,
  timeZone,
}: {
  credits: PaymentCredit[];
  currency: string;
  timeZone: string;
}) {
  const { t } = useTranslation();
  const waiting = credits.filter(
    (c) => c.standing.kind === "awaitsSecondStaffUser" || c.standing.kind === "awaitsExecution",
  );
  return (
    <Stack gap="xs" aria-labelledby="payment-credits-title" component="section">
      <Title order={2} size="h4" id="payment-credits-title">
        {t("credits.title")}
      </Title>
      {waiting.length ? (
        <Alert color="yellow" role="status" title={t("credits.payment.waiting", { count: waiting.length })}>
          {waiting.map((c) => (
            <Text key={c.creditId} size="sm">
              <Anchor component={Link} to={`/credits/${c.creditId}`} inherit>
                {t("credits.detail.title", { id: c.creditId })}
              </Anchor>{" "}
              {t("credits.payment.of")} <Amount value={c.totalCreditAmount} currency={c.currency} />:{" "}
              {standingText(t, c)}
            </Text>
          ))}
        </Alert>
      ) : null}
      {credits.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("credits.payment.none")}
        </Text>
      ) : (
        <CreditRows
          credits={credits}
          timeZone={timeZone}
          label={t("credits.payment.label")}
          testId="payment-credits"
          rowTestId="payment-credit"
          before={[
            {
              header: t("credits.col.status"),
              minWidth: 110,
              cell: (credit) => (
                <CreditStatusBadge
                  status={credit.status}
                  active={credit.active}
                  inProgress={credit.standing.kind === "inProgress"}
                />
              ),
            },
            {
              header: t("credits.payment.ofThisPayment"),
              align: "right",
              cell: (credit) => <Amount value={credit.amountOfThisPayment} currency={currency} />,
            },
            {
              header: t("credits.payment.creditTotal"),
              align: "right",
              cell: (credit) => <Amount value={credit.totalCreditAmount} currency={credit.currency} />,
            },
          ]}
          after={[
            {
              header: t("credits.payment.waitsFor"),
              cell: (credit) => (
                <Group gap={4}>
                  <Text size="sm">{standingText(t, credit)}</Text>
                </Group>
              ),
            },
          ]}
        />
      )}
    </Stack>
  );
}
