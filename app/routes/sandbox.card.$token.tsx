// The sandbox PSP's hosted card terminal: /sandbox/card/{token}. Public (the customer is not
// logged in); reached only by the unguessable token the terminal routes hand out. GET shows what
// is paid and the card form (or, for a recurring terminal, the stored card and "Confirm
// payment"); POST pays, confirms or cancels. Works as a plain HTML form (no JavaScript needed:
// same-origin POSTs pass the server's Origin check) and as a Remix <Form> when JS runs.
//
// Card data: the typed card goes to the card provider and nowhere else. It is never written back
// into the page (after an error the number, expiry and CVC fields are empty), never logged, and
// never part of a URL.
import {
  Alert,
  Anchor,
  Button,
  Center,
  Divider,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useNavigation,
  useRouteError,
} from "@remix-run/react";
import type { CardErrorCode } from "../providers/cards";
import { formatMoney } from "../components/format";
import {
  cancelTerminal,
  confirmStoredCard,
  payWithCard,
  terminalPage,
  type PageOutcome,
  type TerminalPageView,
} from "../services/terminals/card-page.server";
import { sandboxCaller } from "../http/hosted-page.server";
import { SandboxFrame } from "../components/CustomerFrame";

const NO_STORE = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow" };

export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const merged = new Headers(loaderHeaders);
  actionHeaders.forEach((value, key) => merged.set(key, value));
  return merged;
};

export const meta: MetaFunction = () => [
  { title: "Card payment · Paydesk sandbox" },
  { name: "robots", content: "noindex" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const view = await terminalPage(params.token ?? "");
  if (!view) throw new Response("This payment page does not exist.", { status: 404, headers: NO_STORE });
  return json(view, { status: view.state === "expired" ? 410 : 200, headers: NO_STORE });
}

type ActionData =
  | {
      result: "invalid";
      errors: Partial<Record<"cardNumber" | "expiry" | "cvc" | "cardholder", CardErrorCode>>;
      cardholder: string;
      attempt: string;
    }
  | { result: "declined"; errorReason: string; attemptsLeft: number; cardholder: string; attempt: string }
  | { result: "expired" | "completed" | "unavailable" | "in_progress"; returnUrl: string | null; attempt: string };

const STATUS: Record<Exclude<PageOutcome["kind"], "redirect" | "not_found">, number> = {
  invalid: 400,
  declined: 402,
  expired: 410,
  completed: 409,
  unavailable: 409,
  in_progress: 202,
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = await request.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, 200) : "";
  };
  const intent = text("intent");
  const caller = sandboxCaller("card", context.correlationId);
  let outcome: PageOutcome;
  if (intent === "cancel") outcome = await cancelTerminal(caller, { token });
  else if (intent === "confirm") outcome = await confirmStoredCard(caller, { token });
  else {
    outcome = await payWithCard(caller, {
      token,
      card: {
        cardNumber: text("cardNumber"),
        expiry: text("expiry"),
        cvc: text("cvc"),
        cardholder: text("cardholder"),
      },
    });
  }
  // A fresh key per answer: with JavaScript the form remounts, so no typed card data survives.
  const attempt = crypto.randomUUID();
  const cardholder = text("cardholder").trim().slice(0, 100);
  switch (outcome.kind) {
    case "redirect":
      return redirect(outcome.url, { status: 302, headers: NO_STORE });
    case "not_found":
      throw new Response("This payment page does not exist.", { status: 404, headers: NO_STORE });
    case "invalid":
      return json<ActionData>(
        { result: "invalid", errors: outcome.errors, cardholder, attempt },
        { status: STATUS.invalid, headers: NO_STORE },
      );
    case "declined":
      return json<ActionData>(
        {
          result: "declined",
          errorReason: outcome.errorReason,
          attemptsLeft: outcome.attemptsLeft,
          cardholder,
          attempt,
        },
        { status: STATUS.declined, headers: NO_STORE },
      );
    default:
      return json<ActionData>(
        { result: outcome.kind, returnUrl: outcome.returnUrl, attempt },
        { status: STATUS[outcome.kind], headers: NO_STORE },
      );
  }
}

// ---------------------------------------------------------------- words

type Words = {
  title: string;
  recurringTitle: string;
  internalTitle: string;
  registrationTitle: string;
  registrationNote: string;
  registrationDone: string;
  save: string;
  payTo: string;
  amount: string;
  cardNumber: string;
  expiry: string;
  cvc: string;
  cardholder: string;
  pay: string;
  confirm: string;
  cancel: string;
  storedCard: string;
  expired: string;
  completed: string;
  unavailable: string;
  inProgress: string;
  back: string;
  declined: Record<string, string>;
  attemptsLeft: (n: number) => string;
  errors: Record<CardErrorCode, string>;
  testCards: string;
};

const EN: Words = {
  title: "Pay by card",
  recurringTitle: "Confirm payment with your stored card",
  internalTitle: "Card payment (customer service)",
  registrationTitle: "Store your card",
  registrationNote: "The card is stored for later payments. Nothing is charged now.",
  registrationDone: "This card has already been stored.",
  save: "Store card",
  payTo: "Pay to",
  amount: "Amount",
  cardNumber: "Card number",
  expiry: "Expiry date (MM/YY)",
  cvc: "Security code (CVC)",
  cardholder: "Name on card",
  pay: "Pay",
  confirm: "Confirm payment",
  cancel: "Cancel",
  storedCard: "Stored card",
  expired: "This payment page has expired. Go back to the shop and start the payment again.",
  completed: "This payment has already been completed.",
  unavailable: "This payment can no longer be completed here.",
  inProgress: "The card provider has not answered yet: the payment is being processed. Reload this page in a moment.",
  back: "Back to the shop",
  declined: {
    REFUSED_BY_ISSUER: "Your card issuer refused the payment. Try another card.",
    SOFT_DECLINE: "The payment was declined for now (soft decline). Try again or use another card.",
  },
  attemptsLeft: (n) => `${n} attempt${n === 1 ? "" : "s"} left.`,
  errors: {
    number_missing: "Enter the card number",
    number_invalid: "This is not a valid card number",
    number_unsupported: "This card type is not accepted (Visa, Mastercard or American Express)",
    expiry_format: "Enter the expiry date as MM/YY",
    expiry_past: "The card has expired",
    expiry_far: "The expiry date is too far in the future",
    cvc_3: "Enter the 3-digit security code",
    cvc_4: "Enter the 4-digit security code",
    holder_missing: "Enter the name on the card",
    holder_invalid: "The name is too long or contains invalid characters",
  },
  testCards:
    "Sandbox: 4111 1111 1111 1111 approves, 4000 0000 0000 0002 is refused, 4000 0000 0000 9995 is a soft decline.",
};

const NO: Words = {
  title: "Betal med kort",
  recurringTitle: "Bekreft betaling med lagret kort",
  internalTitle: "Kortbetaling (kundesenter)",
  registrationTitle: "Lagre kortet ditt",
  registrationNote: "Kortet lagres for senere betalinger. Ingenting trekkes nå.",
  registrationDone: "Dette kortet er allerede lagret.",
  save: "Lagre kort",
  payTo: "Betales til",
  amount: "Beløp",
  cardNumber: "Kortnummer",
  expiry: "Utløpsdato (MM/ÅÅ)",
  cvc: "Sikkerhetskode (CVC)",
  cardholder: "Navn på kortet",
  pay: "Betal",
  confirm: "Bekreft betaling",
  cancel: "Avbryt",
  storedCard: "Lagret kort",
  expired: "Denne betalingssiden er utløpt. Gå tilbake til butikken og start betalingen på nytt.",
  completed: "Denne betalingen er allerede fullført.",
  unavailable: "Denne betalingen kan ikke lenger fullføres her.",
  inProgress: "Kortleverandøren har ikke svart ennå: betalingen behandles. Last inn siden på nytt om litt.",
  back: "Tilbake til butikken",
  declined: {
    REFUSED_BY_ISSUER: "Kortutsteder avviste betalingen. Prøv et annet kort.",
    SOFT_DECLINE: "Betalingen ble avvist inntil videre (soft decline). Prøv igjen eller bruk et annet kort.",
  },
  attemptsLeft: (n) => `${n} forsøk igjen.`,
  errors: {
    number_missing: "Skriv inn kortnummeret",
    number_invalid: "Dette er ikke et gyldig kortnummer",
    number_unsupported: "Denne korttypen godtas ikke (Visa, Mastercard eller American Express)",
    expiry_format: "Skriv utløpsdatoen som MM/ÅÅ",
    expiry_past: "Kortet er utløpt",
    expiry_far: "Utløpsdatoen er for langt frem i tid",
    cvc_3: "Skriv inn den tresifrede sikkerhetskoden",
    cvc_4: "Skriv inn den firesifrede sikkerhetskoden",
    holder_missing: "Skriv inn navnet på kortet",
    holder_invalid: "Navnet er for langt eller inneholder ugyldige tegn",
  },
  testCards:
    "Sandkasse: 4111 1111 1111 1111 godkjennes, 4000 0000 0000 0002 avvises, 4000 0000 0000 9995 gir soft decline.",
};

function wordsFor(language: string): { words: Words; locale: string } {
  return language.startsWith("no_") || language.startsWith("nb_") || language.startsWith("nn_")
    ? { words: NO, locale: "nb-NO" }
    : { words: EN, locale: "en-GB" };
}

// ---------------------------------------------------------------- page

export default function CardTerminalPage() {
  const view = useLoaderData<typeof loader>() as TerminalPageView;
  const data = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const { words, locale } = wordsFor(view.language);
  const busy = navigation.state !== "idle";

  const over =
    data &&
    (data.result === "expired" ||
      data.result === "completed" ||
      data.result === "unavailable" ||
      data.result === "in_progress")
      ? data
      : null;
  const state = over ? over.result : view.state;
  const returnUrl = over ? over.returnUrl : view.returnUrl;
  const registration = view.amount === null;
  const title =
    view.kind === "RECURRING_TERMINAL"
      ? words.recurringTitle
      : view.kind === "INTERNAL_TERMINAL"
        ? words.internalTitle
        : registration
          ? words.registrationTitle
          : words.title;

  return (
    <SandboxFrame
      lang={locale.slice(0, 2)}
      title={
        <Title order={2} size="h3">
          {title}
        </Title>
      }
    >
      <SimpleGrid cols={2} spacing="xs">
        <div>
          <Text size="sm" c="dimmed">
            {words.payTo}
          </Text>
          <Text fw={600} data-testid="merchant">
            {view.merchant}
          </Text>
        </div>
        {view.amount === null ? (
          <Text size="sm" data-testid="registration-note">
            {words.registrationNote}
          </Text>
        ) : (
          <div>
            <Text size="sm" c="dimmed">
              {words.amount}
            </Text>
            <Text fw={600} data-testid="amount">
              {formatMoney(view.amount, view.currency, locale)}
            </Text>
            <Text size="xs" c="dimmed" data-testid="currency">
              {view.currency}
            </Text>
          </div>
        )}
      </SimpleGrid>
      <Divider />
      {state !== "open" ? (
        <Over state={state} returnUrl={returnUrl} words={words} registration={registration} />
      ) : (
        <Form method="post" noValidate key={data?.attempt ?? "first"} autoComplete="on">
          <Stack gap="sm">
            {data?.result === "declined" ? (
              <Alert color="red" role="alert" title={data.errorReason}>
                {words.declined[data.errorReason] ?? words.declined.REFUSED_BY_ISSUER}{" "}
                {words.attemptsLeft(data.attemptsLeft)}
              </Alert>
            ) : null}
            {view.kind === "RECURRING_TERMINAL" ? (
              <Text>
                {words.storedCard}: <strong>{view.storedCard?.paymentType ?? ""}</strong>{" "}
                {view.storedCard?.maskedPan ?? ""}
              </Text>
            ) : (
              <CardFields words={words} data={data} />
            )}
            <Group grow mt="xs">
              <Button type="submit" name="intent" value="cancel" variant="default" formNoValidate disabled={busy}>
                {words.cancel}
              </Button>
              <Button
                type="submit"
                name="intent"
                value={view.kind === "RECURRING_TERMINAL" ? "confirm" : "pay"}
                loading={busy}
              >
                {view.kind === "RECURRING_TERMINAL" ? words.confirm : registration ? words.save : words.pay}
              </Button>
            </Group>
            {view.kind !== "RECURRING_TERMINAL" ? (
              <Text size="xs" c="dimmed">
                {words.testCards}
              </Text>
            ) : null}
          </Stack>
        </Form>
      )}
    </SandboxFrame>
  );
}

/** The card's numeric fields: each one's browser autofill name, example and longest typed length. */
const NUMERIC_FIELDS = {
  cardNumber: { autoComplete: "cc-number", placeholder: "1234 5678 9012 3456", maxLength: 23 },
  expiry: { autoComplete: "cc-exp", placeholder: "MM/YY", maxLength: 7 },
  cvc: { autoComplete: "cc-csc", placeholder: "123", maxLength: 4 },
} as const;

function CardFields({ words, data }: { words: Words; data: ActionData | undefined }) {
  const errors = data?.result === "invalid" ? data.errors : {};
  const message = (code: CardErrorCode | undefined) => (code ? words.errors[code] : undefined);
  const cardholder = data && "cardholder" in data ? data.cardholder : "";
  const numeric = (name: keyof typeof NUMERIC_FIELDS) => (
    <TextInput
      label={words[name]}
      name={name}
      inputMode="numeric"
      {...NUMERIC_FIELDS[name]}
      required
      autoFocus={name === "cardNumber"}
      error={message(errors[name])}
    />
  );
  return (
    <>
      {numeric("cardNumber")}
      <Group grow align="flex-start">
        {numeric("expiry")}
        {numeric("cvc")}
      </Group>
      <TextInput
        label={words.cardholder}
        name="cardholder"
        autoComplete="cc-name"
        maxLength={100}
        required
        defaultValue={cardholder}
        error={message(errors.cardholder)}
      />
    </>
  );
}

function Over({
  state,
  returnUrl,
  words,
  registration,
}: {
  state: string;
  returnUrl: string | null;
  words: Words;
  registration: boolean;
}) {
  const completed = registration ? words.registrationDone : words.completed;
  const message =
    state === "expired"
      ? words.expired
      : state === "completed"
        ? completed
        : state === "in_progress"
          ? words.inProgress
          : words.unavailable;
  return (
    <Stack gap="sm">
      <Alert color={state === "completed" ? "blue" : "orange"} role="status">
        {message}
      </Alert>
      {returnUrl ? (
        <Anchor href={returnUrl} rel="noreferrer">
          {words.back}
        </Anchor>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" maw={460} w="100%">
        <Stack gap="sm">
          <Title order={2} size="h3">
            {notFound ? "Payment page not found" : "Something went wrong"}
          </Title>
          <Text>
            {notFound
              ? "This payment page does not exist. Go back to the shop and start the payment again."
              : "The payment could not be processed here. Go back to the shop to see whether it went through."}
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
