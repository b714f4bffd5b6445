// "The payments behind a volume figure": payments whose transactions moved money on one UTC day
// (captured: CAPTURE and IMPORT; credited: CREDIT; moved: either), optionally only in one payment
// type group, currency and settlement (or none). These are the keys of the daily_volume rollup,
// so a dashboard bar or a settlements row links to exactly the payments it counts. In the
// payments list's URL, beside the API's filters:
//   volume=captured&volumeDay=2026-11-20&volumeGroup=PAYMENTCARD&volumeCurrency=NOK&volumeSettlement=none
import { PAYMENT_TYPE_GROUPS, type PaymentTypeGroup } from "./enums";
import { isDay } from "./day-range";
import type { Say } from "./errors";

export const VOLUME_KINDS = ["captured", "credited", "moved"] as const;
export type VolumeKind = (typeof VOLUME_KINDS)[number];

/** Operations whose amounts the rollup counts as each kind (the rule ledger and seed follow). */
export const VOLUME_OPERATIONS: Record<VolumeKind, readonly ("CAPTURE" | "IMPORT" | "CREDIT")[]> = {
  captured: ["CAPTURE", "IMPORT"],
  credited: ["CREDIT"],
  moved: ["CAPTURE", "IMPORT", "CREDIT"],
};

/** The value of volumeSettlement for payments without a settlement id. */
export const NO_SETTLEMENT_PARAM = "none";

export type VolumeFilter = {
  kind: VolumeKind;
  /** The UTC day the money moved, "YYYY-MM-DD". */
  day: string;
  paymentTypeGroup: PaymentTypeGroup | null;
  currency: string | null;
  /** A settlement id, `{ none: true }` for payments without one, or null for any. */
  settlement: string | { none: true } | null;
};

export const VOLUME_PARAMS = ["volume", "volumeDay", "volumeGroup", "volumeCurrency", "volumeSettlement"] as const;

/** A refusal's `say`: its locale key (errors.volume.*), for the list to say in the reader's language. */
export type VolumeFilterOutcome = { ok: true; filter: VolumeFilter | null } | { ok: false; message: string; say: Say };

const refused = (message: string, key: string, values?: Say["values"]): VolumeFilterOutcome => ({
  ok: false,
  message,
  say: { key: `errors.volume.${key}`, values },
});

/** The filter a URL holds (null without `volume`); one message naming the first bad parameter. */
export function readVolumeFilter(params: URLSearchParams): VolumeFilterOutcome {
  const kind = params.get("volume");
  if (kind === null) {
    const stray = VOLUME_PARAMS.find((name) => params.has(name));
    return stray
      ? refused(`${stray} needs volume (captured, credited or moved)`, "needsVolume", { name: stray })
      : { ok: true, filter: null };
  }
  if (!(VOLUME_KINDS as readonly string[]).includes(kind)) {
    return refused(`volume must be one of ${VOLUME_KINDS.join(", ")}`, "kind", { values: VOLUME_KINDS.join(", ") });
  }
  const day = params.get("volumeDay") ?? "";
  if (!isDay(day)) return refused("volumeDay must be a day written as YYYY-MM-DD", "day");
  const group = params.get("volumeGroup");
  if (group !== null && !(PAYMENT_TYPE_GROUPS as readonly string[]).includes(group)) {
    return refused(`volumeGroup must be one of ${PAYMENT_TYPE_GROUPS.join(", ")}`, "group", {
      values: PAYMENT_TYPE_GROUPS.join(", "),
    });
  }
  const currency = params.get("volumeCurrency");
  if (currency !== null && !/^[A-Z]{3}$/.test(currency)) {
    return refused("volumeCurrency must be a three-letter currency code", "currency");
  }
  const settlement = params.get("volumeSettlement");
  if (settlement !== null && (settlement.trim() === "" || settlement.length > 100)) {
    return refused("volumeSettlement must be a settlement id (at most 100 characters) or none", "settlement");
  }
  return {
    ok: true,
    filter: {
      kind: kind as VolumeKind,
      day,
      paymentTypeGroup: group as PaymentTypeGroup | null,
      currency,
      settlement: settlement === null ? null : settlement === NO_SETTLEMENT_PARAM ? { none: true } : settlement,
    },
  };
}

/** The URL parameters of a filter, in VOLUME_PARAMS order (absent keys are left out). */
export function volumeFilterParams(filter: VolumeFilter): Record<string, string> {
  const params: Record<string, string> = { volume: filter.kind, volumeDay: filter.day };
  if (filter.paymentTypeGroup !== null) params.volumeGroup = filter.paymentTypeGroup;
  if (filter.currency !== null) params.volumeCurrency = filter.currency;
  if (filter.settlement !== null) {
    params.volumeSettlement = typeof filter.settlement === "string" ? filter.settlement : NO_SETTLEMENT_PARAM;
  }
  return params;
}

/** Says a locale key (payments.volume.*) with its values; the domain imports no i18n. */
export type VolumeWords = (key: string, values?: Record<string, string>) => string;

/**
 * "Captured on 2026-11-20 (UTC) · PAYMENTCARD · NOK · without a settlement id", in the words of
 * `say` (the screen passes its `t`, so a Norwegian reader reads Norwegian).
 */
export function describeVolumeFilter(filter: VolumeFilter, say: VolumeWords): string {
  return [
    say(`payments.volume.${filter.kind}`, { day: filter.day }),
    filter.paymentTypeGroup,
    filter.currency,
    filter.settlement === null
      ? null
      : typeof filter.settlement === "string"
        ? say("payments.volume.settlement", { settlement: filter.settlement })
        : say("payments.volume.noSettlement"),
  ]
    .filter((part) => part !== null)
    .join(" · ");
}
