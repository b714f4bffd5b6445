import type { lists as en } from "../en/lists";
import type { Messages } from "../types";

export const lists: Messages<typeof en> = {
  active: "Aktiv",
  disabled: "Deaktivert",
  since: "siden",
  perPage: "Per side",
  unknownParameters: "Lenken har parametere som {{list}} ikke kjenner",
  startOver: "Begynn på nytt uten filtre",
  fixFilter: "Rett filteret som er merket med rødt for å se {{what}}",
  export: {
    button: "Eksporter CSV",
    denied: "Eksport er for økonomi og administrasjon",
    failed: "Eksporten mislyktes",
    progress: "Fremdrift for eksporten",
    rows: "{{rows}} av {{expected}} rader",
    rowsAbout: "{{rows}} av omtrent {{expected}} rader",
  },
  fixFilterNote: "Listen svarer bare på filtre den kan lese nøyaktig, på samme måte som API-et.",
};
