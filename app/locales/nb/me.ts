import type { me as en } from "../en/me";
import type { Messages } from "../types";

export const me: Messages<typeof en> = {
  title: "Kontoen din",
  description: "Passordet ditt, den andre faktoren din og språket ditt.",
  language: {
    title: "Språk",
    description: "Språket på skjermbildene dine, med tall, beløp og datoer slik det skriver dem.",
    browser: "Som nettleseren min ber om (nå {{language}})",
    saved: "Språket er lagret",
  },
  password: {
    title: "Passord",
    rule: "{{min}} til {{max}} tegn, ikke et av de vanlige passordene angripere prøver først. Når du bytter det, avsluttes øktene dine i andre nettlesere.",
    change: "Bytt passord",
    changeTitle: "Bytt passordet ditt",
    current: "Nåværende passord",
    new: "Nytt passord",
    newLengths: "{{min}} til {{max}} tegn",
    again: "Nytt passord igjen",
    changed: "Passordet ditt er byttet; de andre øktene dine er avsluttet",
  },
  secondFactor: {
    title: "Andre faktor",
    on: "på",
    off: "av",
    usesApp: "Du logger inn med en kode fra autentiseringsappen. {{count}} av gjenopprettingskodene dine er ubrukt.",
    offer: "Logg inn med en kode fra en autentiseringsapp i tillegg til passordet.",
    required: " Rollen din krever det.",
    newCodes: "Nye gjenopprettingskoder",
    newCodesDescription: "Ti nye koder i stedet for de gamle, som slutter å virke.",
    yourPassword: "Passordet ditt",
    codesTitle: "Gjenopprettingskodene dine",
    codesLabel: "Hver logger deg inn én gang i stedet for en kode fra appen",
    codesNote: "Oppbevar dem et trygt sted, adskilt fra telefonen. Paydesk lagrer bare hashene.",
    codesRenewed: "Nye gjenopprettingskoder; de gamle virker ikke lenger",
    setUp: "Sett opp andre faktor",
    turnOff: "Slå av",
    turnOffTitle: "Slå av den andre faktoren",
    turnOffDescription: "Du logger inn med bare passordet, og øktene dine avsluttes nå.",
    turnedOff: "Den andre faktoren er av; logg inn igjen",
  },
};
