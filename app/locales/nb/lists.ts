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
  fixFilterNote: "Listen svarer bare på filtre den kan lese nøyaktig, på samme måte som API-et.",
};
