// The redirect pages of the self-service flows (/payment/invoice/pay, /paymentChange): what the
// flow's loader or action answered, in the end-customer frame.
import { SimpleGrid, Text } from "@mantine/core";
import type { MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ParseKeys } from "i18next";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Say } from "../domain/errors";
import { metaTitle } from "../i18n/meta";
import { CustomerFrame, FlowButtons, RefusedLink } from "./CustomerFrame";

/** What a self-service flow's loader or action answers: the link refused, or the step to show. */
type FlowAnswer<V> =
  { kind: "refused"; message: string; say: Say } | { kind: "view"; view: V; clientName: string; customerName: string };

/** A self-service flow page's meta: its title in the page's language, and no indexing. */
export const flowStepMeta =
  (titleKey: ParseKeys): MetaFunction =>
  ({ matches }) => [...metaTitle(matches, titleKey), { name: "robots", content: "noindex" }];

/**
 * A redirect page of a self-service flow (/payment/invoice/pay, /paymentChange): the refusal of its
 * link (the action's answer, else the loader's), or for which client and customer, the facts of
 * what is about to happen, a note, and on to the provider's page (or back).
 */
export function FlowStep<V extends { provider: string }>({
  title,
  note,
  facts,
}: {
  title: string;
  /** The note under the facts, for the view and the client's name. */
  note: (view: V, clientName: string) => ReactNode;
  /** The facts (Fact) of the view, two columns wide. */
  facts: (view: V) => ReactNode;
}) {
  const acted = useActionData() as FlowAnswer<V> | undefined;
  const loaded = useLoaderData() as FlowAnswer<V>;
  const data = acted ?? loaded;
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  if (data.kind === "refused") return <RefusedLink message={data.message} said={data.say} />;
  const { view, clientName, customerName } = data;
  return (
    <CustomerFrame title={title} subtitle={t("customer.forClient", { client: clientName, customer: customerName })}>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        {facts(view)}
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {note(view, clientName)}
      </Text>
      <Form method="post">
        <FlowButtons onward={t("customer.continueTo", { provider: view.provider })} busy={busy} />
      </Form>
    </CustomerFrame>
  );
}
