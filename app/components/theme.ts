// The Mantine theme and the colour tokens behind it (decision 043). Mantine's default shades put
// grey text at 3.3:1, links at 4.3:1 and light badges at 2–4:1 on white; here every colour that
// text or a control is drawn in is derived from its palette shade by the smallest step that
// reaches WCAG AA (4.5:1 for text) on each surface it sits on, in the light and the dark scheme.
import { DEFAULT_THEME, createTheme, type CSSVariablesResolver, type MantineColorsTuple } from "@mantine/core";
import { hexToRgb, over, readable, rgbToHex, type Rgb } from "./contrast";

export const PRIMARY_COLOR = "indigo";

/**
 * The theme, in the page's language: `closeLabel` names the ✕ of every modal and drawer (a screen
 * reader otherwise reads "button").
 */
export const themeIn = (closeLabel: string) =>
  createTheme({
    primaryColor: PRIMARY_COLOR,
    fontFamily: "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    defaultRadius: "md",
    // A focus ring for keyboard users only (not on a mouse click), on every focusable element.
    focusRing: "auto",
    components: {
      Modal: { defaultProps: { closeButtonProps: { "aria-label": closeLabel } } },
      Drawer: { defaultProps: { closeButtonProps: { "aria-label": closeLabel } } },
      // Mantine draws a dialog's title bar as <header>, which inside a dialog (not a sectioning
      // element) is a second banner landmark beside the page's own. A plain box: the dialog's
      // title is already its name.
      ModalHeader: { defaultProps: { component: "div" } },
      DrawerHeader: { defaultProps: { component: "div" } },
      // A table wider than the screen scrolls inside its box: the keyboard must reach the box to
      // scroll it (WCAG 2.1.1). DataTable adds a name; a bare container is at least focusable.
      TableScrollContainer: { defaultProps: { tabIndex: 0 } },
    },
  });

/** The text ratio of WCAG 2.x AA. */
export const TEXT_CONTRAST = 4.5;

const { colors } = DEFAULT_THEME;
const hex = (color: MantineColorsTuple, shade: number): string => color[shade];
const rgb = (color: string) => hexToRgb(color);

const WHITE: Rgb = [255, 255, 255];

/** Mantine's light variant of a palette colour (a tint) as it looks on an opaque `surface`. */
function tint(color: MantineColorsTuple, scheme: "light" | "dark", surface: string): string {
  return rgbToHex(over(rgb(hex(color, 6)), scheme === "light" ? 0.1 : 0.15, rgb(surface)));
}

/**
 * The surfaces text is drawn on: the page behind the cards, the cards (and the body), the subtle
 * panels (`--paydesk-color-subtle`) and inputs, and a chosen row or option
 * (`--mantine-primary-color-light` on a card).
 */
export const SURFACES: Record<"light" | "dark", { page: string; body: string; subtle: string; selected: string }> = {
  light: {
    page: colors.gray[0],
    body: "#ffffff",
    subtle: colors.gray[1],
    selected: tint(colors[PRIMARY_COLOR], "light", "#ffffff"),
  },
  dark: {
    page: colors.dark[8],
    body: colors.dark[7],
    subtle: colors.dark[6],
    selected: tint(colors[PRIMARY_COLOR], "dark", colors.dark[7]),
  },
};

/** The colour variables of one palette colour in one scheme, each readable where Mantine draws it. */
function paletteVariables(name: string, scheme: "light" | "dark"): Record<string, string> {
  const color = colors[name];
  const surfaces = Object.values(SURFACES[scheme]).map(rgb);
  const toward = scheme === "light" ? "darker" : "lighter";
  // Mantine's own shades per scheme (primaryShade 6 light, 8 dark): the starting points.
  const [filledShade, lightShade, lightTextShade, textShade, lightAlpha] =
    scheme === "light" ? [6, 6, 6, 6, 0.1] : [8, 6, 3, 4, 0.15];
  // The light variant's background, as it looks on each surface.
  const lightBackgrounds = surfaces.map((surface) => over(rgb(hex(color, lightShade)), lightAlpha, surface));
  const filled = readable(hex(color, filledShade), [WHITE], TEXT_CONTRAST, "darker");
  const text = readable(hex(color, textShade), surfaces, TEXT_CONTRAST, toward);
  return {
    [`--mantine-color-${name}-filled`]: filled,
    [`--mantine-color-${name}-filled-hover`]: readable(hex(color, Math.min(filledShade + 1, 9)), [WHITE], 5, "darker"),
    [`--mantine-color-${name}-light-color`]: readable(
      hex(color, lightTextShade),
      lightBackgrounds,
      TEXT_CONTRAST,
      toward,
    ),
    [`--mantine-color-${name}-outline`]: text,
    [`--mantine-color-${name}-text`]: text,
  };
}

/** The variables of one scheme: every palette colour's, then the scheme-wide text colours. */
export function schemeVariables(scheme: "light" | "dark"): Record<string, string> {
  const surfaces = Object.values(SURFACES[scheme]).map(rgb);
  const toward = scheme === "light" ? "darker" : "lighter";
  const variables: Record<string, string> = {};
  for (const name of Object.keys(colors)) Object.assign(variables, paletteVariables(name, scheme));
  const primary = colors[PRIMARY_COLOR];
  const readableText = (color: string) => readable(color, surfaces, TEXT_CONTRAST, toward);
  return {
    ...variables,
    "--mantine-color-anchor": readableText(scheme === "light" ? primary[6] : primary[4]),
    "--mantine-color-dimmed": readableText(scheme === "light" ? colors.gray[6] : colors.dark[2]),
    "--mantine-color-error": readableText(scheme === "light" ? colors.red[6] : colors.red[8]),
    "--mantine-color-placeholder": readableText(scheme === "light" ? colors.gray[5] : colors.dark[3]),
    // `c="dark"` means "the strong text colour" in the screens: white-ish on a dark page.
    ...(scheme === "dark" ? { "--mantine-color-dark-text": "var(--mantine-color-bright)" } : {}),
    "--paydesk-color-page": SURFACES[scheme].page,
    "--paydesk-color-subtle": SURFACES[scheme].subtle,
  };
}

/** Handed to MantineProvider: the readable tokens of both schemes. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: schemeVariables("light"),
  dark: schemeVariables("dark"),
});
