// Display labels of the domain's enum values. English shows the API's own words, so staff and
// API clients (and callback payloads) name a status the same way (ADR 042).
export const enums = {
  status: {
    CREATED: "CREATED",
    INITIATED: "INITIATED",
    AUTHORIZED: "AUTHORIZED",
    CAPTURED: "CAPTURED",
    CREDITED: "CREDITED",
    CANCELLED: "CANCELLED",
    FAILED: "FAILED",
    IN_PROGRESS: "IN PROGRESS",
    INACTIVE: "INACTIVE",
  },
  operation: {
    CREATE: "CREATE",
    INITIATE: "INITIATE",
    AUTHORIZE: "AUTHORIZE",
    CAPTURE: "CAPTURE",
    CANCEL: "CANCEL",
    CREDIT: "CREDIT",
    IMPORT: "IMPORT",
    UPDATE: "UPDATE",
  },
  creditInactive: "Deactivated: its reservations were released and it can no longer be executed",
  creditInProgress:
    "An execution claimed it and has no answer from the provider yet; executing again resolves it without crediting twice",
};
