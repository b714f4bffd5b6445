import type { enums as en } from "../en/enums";
import type { Messages } from "../types";

export const enums: Messages<typeof en> = {
  status: {
    CREATED: "OPPRETTET",
    INITIATED: "STARTET",
    AUTHORIZED: "RESERVERT",
    CAPTURED: "BELASTET",
    CREDITED: "KREDITERT",
    CANCELLED: "KANSELLERT",
    FAILED: "FEILET",
    IN_PROGRESS: "PÅGÅR",
    INACTIVE: "INAKTIV",
  },
  operation: {
    CREATE: "OPPRETT",
    INITIATE: "START",
    AUTHORIZE: "RESERVER",
    CAPTURE: "BELAST",
    CANCEL: "KANSELLER",
    CREDIT: "KREDITER",
    IMPORT: "IMPORTER",
    UPDATE: "OPPDATER",
  },
  creditInactive: "Deaktivert: reservasjonene er frigitt, og den kan ikke lenger utføres",
  creditInProgress:
    "En utføring har tatt den og har ikke fått svar fra leverandøren ennå; å utføre igjen løser det uten å kreditere to ganger",
};
