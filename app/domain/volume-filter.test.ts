import { describe, expect, it } from "vitest";
import { describeVolumeFilter, readVolumeFilter, volumeFilterParams } from "./volume-filter";

const read = (query: string) => readVolumeFilter(new URLSearchParams(query));
/** The screen passes its `t`; here each key's last part with its values shows what was asked for. */
const say = (key: string, values: Record<string, string> = {}) =>
  [key.split(".").pop(), ...Object.values(values)].join(" ");

describe("readVolumeFilter", () => {
  it("is absent without volume, and round-trips every key through the URL", () => {
    expect(read("status=CAPTURED")).toEqual({ ok: true, filter: null });
    const query =
      "volume=captured&volumeDay=2026-11-20&volumeGroup=PAYMENTCARD&volumeCurrency=NOK&volumeSettlement=none";
    const outcome = read(query);
    expect(outcome).toEqual({
      ok: true,
      filter: {
        kind: "captured",
        day: "2026-11-20",
        paymentTypeGroup: "PAYMENTCARD",
        currency: "NOK",
        settlement: { none: true },
      },
    });
    if (!outcome.ok || !outcome.filter) throw new Error("unreachable");
    expect(new URLSearchParams(volumeFilterParams(outcome.filter)).toString()).toBe(query);
    expect(describeVolumeFilter(outcome.filter, say)).toBe("captured 2026-11-20 · PAYMENTCARD · NOK · noSettlement");
    const settled = read("volume=moved&volumeDay=2026-11-20&volumeSettlement=EJ-1");
    expect(settled.ok && settled.filter?.settlement).toBe("EJ-1");
    expect(settled.ok && settled.filter && describeVolumeFilter(settled.filter, say)).toBe(
      "moved 2026-11-20 · settlement EJ-1",
    );
  });

  it("names the parameter it cannot use", () => {
    for (const [query, message] of [
      ["volumeDay=2026-11-20", "volumeDay needs volume"],
      ["volume=refunded&volumeDay=2026-11-20", "volume must be one of captured, credited, moved"],
      ["volume=captured", "volumeDay must be a day"],
      ["volume=captured&volumeDay=2026-02-30", "volumeDay must be a day"],
      ["volume=captured&volumeDay=2026-11-20&volumeGroup=CARDS", "volumeGroup must be one of"],
      ["volume=captured&volumeDay=2026-11-20&volumeCurrency=nok", "volumeCurrency must be"],
      ["volume=captured&volumeDay=2026-11-20&volumeSettlement=", "volumeSettlement must be"],
    ] as const) {
      const outcome = read(query);
      expect(outcome.ok, query).toBe(false);
      expect(!outcome.ok && outcome.message, query).toContain(message);
      // The lists say it by its key in the reader's language; the key names the problem.
      expect(!outcome.ok && outcome.say.key, query).toMatch(/^errors\.volume\.[a-zA-Z]+$/);
    }
  });
});
