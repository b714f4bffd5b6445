import { DEFAULT_THEME } from "@mantine/core";
import { describe, expect, it } from "vitest";
import { contrast, hexToRgb, over, readable } from "./contrast";
import { SURFACES, TEXT_CONTRAST, schemeVariables } from "./theme";

const WHITE = hexToRgb("#ffffff");

describe.each(["light", "dark"] as const)("the %s scheme's colour tokens", (scheme) => {
  const variables = schemeVariables(scheme);
  const surfaces = Object.values(SURFACES[scheme]).map(hexToRgb);
  const ratioOn = (name: string, backgrounds = surfaces) =>
    Math.min(...backgrounds.map((bg) => contrast(hexToRgb(variables[name]), bg)));

  it("draws dimmed text, links, errors and placeholders at 4.5:1 or more on every surface", () => {
    for (const name of ["--mantine-color-dimmed", "--mantine-color-anchor", "--mantine-color-error"])
      expect(ratioOn(name), name).toBeGreaterThanOrEqual(TEXT_CONTRAST);
  });

  it.each(Object.keys(DEFAULT_THEME.colors))("makes %s readable filled, light and as text", (color) => {
    expect(contrast(hexToRgb(variables[`--mantine-color-${color}-filled`]), WHITE)).toBeGreaterThanOrEqual(
      TEXT_CONTRAST,
    );
    // In the dark scheme `c="dark"` is the bright text colour itself (a var(), not a hex).
    if (!(scheme === "dark" && color === "dark"))
      expect(ratioOn(`--mantine-color-${color}-text`)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
    const palette = DEFAULT_THEME.colors[color];
    const lightBackgrounds = surfaces.map((surface) =>
      scheme === "light" ? over(hexToRgb(palette[6]), 0.1, surface) : over(hexToRgb(palette[6]), 0.15, surface),
    );
    expect(ratioOn(`--mantine-color-${color}-light-color`, lightBackgrounds)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
  });
});

describe("readable", () => {
  it("keeps a colour that is readable already", () => {
    expect(readable("#000000", [WHITE], 4.5, "darker")).toBe("#000000");
  });

  it("darkens Mantine's grey text (3.3:1 on white) only as far as 4.5:1", () => {
    const grey = readable(DEFAULT_THEME.colors.gray[6], [WHITE], 4.5, "darker");
    const ratio = contrast(hexToRgb(grey), WHITE);
    expect(ratio).toBeGreaterThanOrEqual(4.5);
    expect(ratio).toBeLessThan(5);
  });
});
