import type { log as en } from "../en/log";
import type { Messages } from "../types";

export const log: Messages<typeof en> = {
  title: "Operasjonslogg",
  transaction: "Transaksjon {{id}}",
  none: "Ingen operasjoner logget.",
  ofTransaction: "Operasjonslogg for transaksjon {{id}}",
  by: "av",
  origin: "Klient {{client}} · POS {{pos}} · Kanal {{channel}}",
  reason: "Begrunnelse: {{reason}}",
  correlation: "Korrelasjon",
  facts: {
    card: "Kort",
    externalId: "Ekstern id",
    terminal: "Terminal",
    recurringPayment: "Gjentakende betaling",
    agreement: "Avtale",
    creditsThrough: "Krediteringer går gjennom",
    sca: "SCA-unntak",
    invoice: "Faktura",
    customer: "Kunde",
    confirmed: "bekreftet",
    notConfirmed: "ikke bekreftet ennå",
    invoiceAmount: "Fakturabeløp",
    invoiceNumber: "Fakturanummer",
    language: "Språk",
    payableUntil: "Betales innen",
    created: "Opprettet",
  },
};
