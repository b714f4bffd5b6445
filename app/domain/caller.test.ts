import {
  customerNamedBy,
  operationActor,
  tenantOf,
  type ClientCaller,
  type CustomerCaller,
  type StaffCaller,
  type SystemCaller,
} from "./caller";
import { DomainError } from "./errors";

const client = (overrides: Partial<ClientCaller> = {}): ClientCaller => ({
  kind: "client",
  clientId: "shop-web",
  organisationId: 42,
  privileged: false,
  channels: ["web"],
  allowedRedirectPrefixes: [],
  clientName: "acme-shop",
  pos: "kiosk 7",
  distributionChannel: "web",
  correlationId: "c-1",
  ...overrides,
});
const staff: StaffCaller = {
  kind: "staff",
  userId: "u-1",
  email: "kari@paydesk.test",
  correlationId: "c-2",
  ip: "127.0.0.1",
  userAgent: null,
  reason: "customer called",
};
const system: SystemCaller = { kind: "system", name: "credit-settlement", correlationId: "c-3" };
const customer: CustomerCaller = { kind: "customer", customerNumber: "200001", correlationId: "c-4" };

describe("tenancy", () => {
  it("confines an API client to the organisation it acts for", () => {
    expect(tenantOf(client())).toBe(42);
  });
  it("lets staff and the system see every organisation", () => {
    expect(tenantOf(staff)).toBeNull();
    expect(tenantOf(system)).toBeNull();
  });
});

describe("who an operation-log entry names", () => {
  it("records a client's id, ET-Client-Name, POS and channel", () => {
    expect(operationActor(client())).toEqual({
      actorType: "CLIENT",
      actor: "shop-web",
      clientName: "acme-shop",
      pos: "kiosk 7",
      distributionChannel: "web",
      correlationId: "c-1",
    });
  });
  it("records a staff user by email, through the back-office", () => {
    expect(operationActor(staff)).toMatchObject({
      actorType: "STAFF",
      actor: "kari@paydesk.test",
      clientName: "paydesk-backoffice",
    });
  });
  it("records the system job and the self-service customer", () => {
    expect(operationActor(system)).toMatchObject({ actorType: "SYSTEM", actor: "credit-settlement", clientName: null });
    expect(operationActor(customer)).toMatchObject({
      actorType: "CUSTOMER",
      actor: "200001",
      clientName: "paydesk-account",
    });
  });
});

describe("the customer a client's request is about", () => {
  it("is the named customer for a privileged client, who must name one", () => {
    expect(customerNamedBy(client({ privileged: true }), "4711")).toBe("4711");
    expect(() => customerNamedBy(client({ privileged: true }), undefined)).toThrow(DomainError);
  });
  it("is the logged-in customer for any other client, named or not", () => {
    expect(customerNamedBy(client({ loggedInCustomer: "200001" }), undefined)).toBe("200001");
    expect(customerNamedBy(client({ loggedInCustomer: "200001" }), "200001")).toBe("200001");
  });
  it("refuses another customer, or no logged-in customer, with a 403 naming customerNumber", () => {
    for (const attempt of [
      () => customerNamedBy(client({ loggedInCustomer: "200001" }), "200002"),
      () => customerNamedBy(client(), "200002"),
      () => customerNamedBy(client(), undefined),
    ]) {
      try {
        attempt();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).status).toBe(403);
        expect((error as DomainError).errors[0].field).toBe("customerNumber");
      }
    }
  });
});
