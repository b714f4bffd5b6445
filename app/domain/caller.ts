// Who is calling a use-case, and what that means for tenancy and the operation log.
import type { ActorType } from "./enums";
import { DomainError, invalid } from "./errors";

export type ClientCaller = {
  kind: "client";
  clientId: string;
  /** The organisation whose data this request sees: the client's own, or Entur-On-Behalf-Of. */
  organisationId: number;
  privileged: boolean;
  channels: readonly string[];
  allowedRedirectPrefixes: readonly string[];
  clientName: string;
  pos: string | null;
  distributionChannel: string | null;
  correlationId: string;
  /** The end customer this request speaks for (Entur-Customer-Token), when it carries one. */
  loggedInCustomer?: string;
};

export type StaffCaller = {
  kind: "staff";
  userId: string;
  email: string;
  correlationId: string;
  ip: string;
  userAgent: string | null;
  /** Why the staff user did this (asked for wherever money moves); stored on the audit entry. */
  reason: string | null;
};

export type SystemCaller = { kind: "system"; name: string; correlationId: string };

/** An end customer acting on their own page (/account, product self-service), logged in with a customer session. */
export type CustomerCaller = { kind: "customer"; customerNumber: string; correlationId: string };

export type Caller = ClientCaller | StaffCaller | SystemCaller | CustomerCaller;

/** The organisation a caller is confined to; staff and the system see every organisation. */
export function tenantOf(caller: Caller): number | null {
  return caller.kind === "client" ? caller.organisationId : null;
}

/** The columns an operation-log entry takes from its caller. */
export function operationActor(caller: Caller): {
  actorType: ActorType;
  actor: string;
  clientName: string | null;
  pos: string | null;
  distributionChannel: string | null;
  correlationId: string;
} {
  switch (caller.kind) {
    case "client":
      return {
        actorType: "CLIENT",
        actor: caller.clientId,
        clientName: caller.clientName,
        pos: caller.pos,
        distributionChannel: caller.distributionChannel,
        correlationId: caller.correlationId,
      };
    case "staff":
      return {
        actorType: "STAFF",
        actor: caller.email,
        clientName: "paydesk-backoffice",
        pos: null,
        distributionChannel: null,
        correlationId: caller.correlationId,
      };
    case "system":
      return {
        actorType: "SYSTEM",
        actor: caller.name,
        clientName: null,
        pos: null,
        distributionChannel: null,
        correlationId: caller.correlationId,
      };
    case "customer":
      return {
        actorType: "CUSTOMER",
        actor: caller.customerNumber,
        clientName: "paydesk-account",
        pos: null,
        distributionChannel: null,
        correlationId: caller.correlationId,
      };
  }
}

/**
 * The customer a client's request is about, where the body may name one (recurring payments and
 * agreements: "customerNumber … will only be considered for certain privileged clients"). Any other client
 * acts for the customer logged in to it (Entur-Customer-Token, decision 009), and may not name
 * someone else; without a logged-in customer it cannot act for anybody: 403 naming the field.
 */
export function customerNamedBy(caller: ClientCaller, requested: string | undefined): string {
  if (caller.privileged) {
    if (requested === undefined) throw invalid("customerNumber", "is required");
    return requested;
  }
  const loggedIn = caller.loggedInCustomer;
  if (loggedIn && (requested === undefined || requested === loggedIn)) return loggedIn;
  throw new DomainError(
    "forbidden",
    loggedIn
      ? "A client that is not privileged acts only for its logged-in customer"
      : "Send the logged-in customer's Entur-Customer-Token (POST /v1/customer-tokens); only privileged clients may name the customer",
    { errors: [{ field: "customerNumber", message: "is honoured only for privileged clients" }] },
  );
}
