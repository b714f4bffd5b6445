import type { shell as en } from "../en/shell";
import type { Messages } from "../types";

export const shell: Messages<typeof en> = {
  openNavigation: "Åpne navigasjonen",
  closeNavigation: "Lukk navigasjonen",
  mainNavigation: "Hovednavigasjon",
  accountTitle: "Kontoen din: passord, andre faktor og språk",
  role: "Rolle: {{role}}",
  waiting: "{{count}} venter",
  timesIn: "Tider i {{timeZone}}",
  yourAccount: "Kontoen din",
  logOut: "Logg ut",
  sections: { finance: "Økonomi", admin: "Administrasjon" },
  roles: { support: "kundestøtte", finance: "økonomi", admin: "admin" },
  skipToMain: "Hopp til hovedinnholdet",
  areas: {
    dashboard: "Oversikt",
    payments: "Betalinger",
    credits: "Krediteringer",
    work: "Arbeidskø",
    operationLog: "Operasjonslogg",
    callbacks: "Tilbakekall",
    customers: "Kunder",
    settlements: "Oppgjør",
    paymentMethods: "Betalingsmåter",
    auditLog: "Revisjonslogg",
    users: "Brukere",
    apiClients: "API-klienter",
    chargebacks: "Tilbakeføringer",
    reconciliation: "Avstemming",
  },
  summaries: {
    dashboard:
      "Belastet, kreditert og nettovolum over en valgt periode, per dag og per betalingstypegruppe, med antall og de største betalingstypene.",
    payments: "Finn en betaling etter ordre, kunde, kortets siste fire sifre, RRN, beløp eller dato, og behandle den.",
    credits:
      "Finn krediteringer med de samme filtrene som betalinger, opprett en kreditering fra valgte transaksjoner og utfør den med en bekreftelse.",
    work: "Krediteringer som venter på en annen ansatt, og operasjoner hos leverandøren med ukjent utfall, for dem som kan behandle dem.",
    operationLog:
      "Alle operasjoner på tvers av betalinger, filtrert på operasjon, tid, klient, POS, kanal og korrelasjons-id.",
    callbacks:
      "Alle tilbakekall til API-klienter med forsøk, tilstand og neste forsøk; administratorer sender dem på nytt og setter en klients mål på pause.",
    customers:
      "En kundes betalinger, krediteringer, gjentakende betalinger, avtaler, produkter og fakturaer etter kundenummer.",
    settlements:
      "Belastede, krediterte og netto beløp og antall per oppgjørs-id og dag, med innsyn i transaksjonene og CSV-eksport.",
    paymentMethods: "Slå hver betalingsmåte av eller på per API-klient og salgskanal, med en begrunnelse.",
    auditLog: "Hvem gjorde hva, når og hvorfra, med før og etter for hver handling av ansatte. Bare lesing.",
    users: "Opprett ansattbrukere, sett rollene deres og deaktiver dem, noe som avslutter øktene deres med en gang.",
    apiClients: "Opprett og deaktiver API-klienter og bytt tokenene deres.",
    chargebacks:
      "Innsigelser fra kortordningene på belastede transaksjoner: åpne dem, legg ved dokumentasjon før fristen og registrer om de ble vunnet eller tapt.",
    reconciliation:
      "Last opp oppgjørsrapporten fra innløseren og se per oppgjør hva som stemmer, hva som mangler på hver side, hva som avviker, og gebyrene.",
  },
};
