// Who is calling a use-case, and what that means for tenancy and the operation log.
import type { ActorType } from "../domain/enums";

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
};

export type StaffCaller = {
  kind: "staff";
  userId: string;
  email: string;
  correlationId: string;
  ip: string;
  userAgent: string | null;
};

export type SystemCaller = { kind: "system"; name: string; correlationId: string };

export type Caller = ClientCaller | StaffCaller | SystemCaller;

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
  }
}
