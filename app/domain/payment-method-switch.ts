// Switching a payment type on or off for many (client, channel) pairs in one step
// (docs/decisions/041): the methods in scope split into those that change and those already as
// wanted (no-ops, which write nothing). The preview shows that split; the confirm applies it only
// if the methods in scope are still exactly as previewed (the same fingerprint).

/** As many methods as one bulk switch may change (the preview lists each of them). */
export const MAX_BULK_METHODS = 200;

export type MethodInScope = {
  id: number;
  clientId: string;
  distributionChannelId: string;
  paymentType: string;
  enabled: boolean;
};

export type MethodSwitchPlan<M extends MethodInScope> = { changes: M[]; unchanged: M[] };

/** The methods that `enabled` changes and those already as wanted, each by client and channel. */
export function planMethodSwitch<M extends MethodInScope>(
  methods: readonly M[],
  enabled: boolean,
): MethodSwitchPlan<M> {
  const ordered = [...methods].sort(
    (a, b) =>
      a.clientId.localeCompare(b.clientId) ||
      a.distributionChannelId.localeCompare(b.distributionChannelId) ||
      a.id - b.id,
  );
  return {
    changes: ordered.filter((m) => m.enabled !== enabled),
    unchanged: ordered.filter((m) => m.enabled === enabled),
  };
}

/**
 * The methods in scope and their state as one string, by id: equal strings mean nobody added,
 * removed or toggled a method of the scope in between (no-ops included: one turning into a
 * change changes what the confirm would do).
 */
export function methodScopeText(methods: readonly MethodInScope[]): string {
  return [...methods]
    .sort((a, b) => a.id - b.id)
    .map((m) => `${m.id}:${m.enabled ? 1 : 0}`)
    .join(",");
}
