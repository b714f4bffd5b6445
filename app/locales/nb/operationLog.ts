import type { operationLog as en } from "../en/operationLog";
import type { Messages } from "../types";

export const operationLog: Messages<typeof en> = {
  title: "Operasjonslogg",
  description: "Alle vellykkede operasjoner på alle betalinger, nyeste først.",
  day: "Dag",
  filtersLabel: "Filtre for operasjonsloggen",
  listName: "operasjonsloggen",
  noun: "operasjoner",
  empty:
    "Operasjoner logges når API-klienter og ansatte oppretter, reserverer, belaster, kansellerer og krediterer betalinger.",
  matchMoreThan: "Mer enn {{n}} operasjoner passer",
  match_one: "{{n}} operasjon passer",
  match_other: "{{n}} operasjoner passer",
  filters: {
    operation: "Operasjon",
    correlationId: "Korrelasjons-id",
    clientName: "Klientnavn",
    pos: "POS",
    distributionChannel: "Salgskanal",
    paymentId: "Betalings-id",
    transactionId: "Transaksjons-id",
    actor: "Utført av (klient-id eller ansattes e-post)",
    createdAt: "Tid",
  },
  col: {
    time: "Tid",
    operation: "Operasjon",
    amount: "Beløp",
    payment: "Betaling",
    transaction: "Transaksjon",
    client: "Klient",
    posChannel: "POS / kanal",
    actor: "Utført av",
    correlationId: "Korrelasjons-id",
  },
  noChannel: "ingen kanal",
  actorTitle: "{{type}}: {{actor}}",
  actorTypes: { CLIENT: "KLIENT", STAFF: "ANSATT", SYSTEM: "SYSTEM", CUSTOMER: "KUNDE" },
  sameRequest: "Vis alle operasjonene i denne forespørselen",
};
