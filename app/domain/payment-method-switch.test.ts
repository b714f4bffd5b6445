import { methodScopeText, planMethodSwitch, type MethodInScope } from "./payment-method-switch";

const method = (id: number, clientId: string, channel: string, enabled: boolean): MethodInScope => ({
  id,
  clientId,
  distributionChannelId: channel,
  paymentType: "VIPPS",
  enabled,
});

describe("planMethodSwitch", () => {
  it("splits the scope into changes and no-ops, by client and channel", () => {
    const scope = [method(4, "b", "web", true), method(2, "a", "web", false), method(3, "a", "app", true)];
    const plan = planMethodSwitch(scope, false);
    expect(plan.changes.map((m) => m.id)).toEqual([3, 4]);
    expect(plan.unchanged.map((m) => m.id)).toEqual([2]);
    expect(planMethodSwitch(scope, true).changes.map((m) => m.id)).toEqual([2]);
  });
});

describe("methodScopeText", () => {
  const scope = [method(2, "a", "web", true), method(1, "a", "app", true)];

  it("is the same for the same methods in the same state, whatever their order", () => {
    expect(methodScopeText([...scope].reverse())).toBe(methodScopeText(scope));
  });

  it("changes when a method is toggled, added or removed", () => {
    const text = methodScopeText(scope);
    expect(methodScopeText([method(2, "a", "web", false), scope[1]])).not.toBe(text);
    expect(methodScopeText([...scope, method(3, "b", "web", true)])).not.toBe(text);
    expect(methodScopeText([scope[0]])).not.toBe(text);
  });
});
