import type { customer as en } from "../en/customer";
import type { Messages } from "../types";

export const customer: Messages<typeof en> = {
  forClient: "For {{client}} · logget inn som {{customer}}",
  continueTo: "Fortsett til {{provider}}",
  refusedTitle: "Denne lenken kan ikke brukes",
  paydeskPayments: "Paydesk-betalinger",
  linkRefused: "Lenken er avvist",
  refusedText:
    "Av hensyn til sikkerheten din sender Paydesk deg bare tilbake til adresser butikken har registrert hos oss, så denne lenken stopper her. Ingenting ble betalt eller endret. Gå tilbake til butikkens egen side og begynn på nytt derfra.",
  notFoundTitle: "Fant ikke siden",
  errorTitle: "Noe gikk galt",
  notFoundText: "Denne siden finnes ikke (lenger). Gå tilbake til butikken og begynn på nytt.",
  errorText: "Dette kunne ikke gjøres akkurat nå. Ingenting ble betalt eller endret; prøv igjen om litt.",
  loginMetaTitle: "Logg inn · Mine abonnementer",
  mySubscriptions: "Mine abonnementer",
  logInToContinue: "Logg inn for å fortsette",
  logInToSee: "Logg inn for å se abonnementene og fakturaene dine",
  forCustomers: "For kunder. Ansatte i Paydesk logger inn på /login.",
};
