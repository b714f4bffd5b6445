// The colour scheme a person chooses for the screens: the system's (auto), or always light or
// dark. A staff user's choice is kept on their account; anyone else's in a cookie.

export const COLOR_SCHEMES = ["auto", "light", "dark"] as const;
export type ColorSchemeChoice = (typeof COLOR_SCHEMES)[number];

export function isColorSchemeChoice(value: unknown): value is ColorSchemeChoice {
  return typeof value === "string" && (COLOR_SCHEMES as readonly string[]).includes(value);
}

/** The cookie that carries the choice to the server's first render (no flash of the other scheme). */
export const COLOR_SCHEME_COOKIE = "paydesk_color_scheme";

/** The choice in a Cookie header; auto when there is none or it is not one of the three. */
export function colorSchemeFromCookie(header: string | null): ColorSchemeChoice {
  for (const part of (header ?? "").split(";")) {
    const [name, value] = part.trim().split("=");
    if (name === COLOR_SCHEME_COOKIE && isColorSchemeChoice(value)) return value;
  }
  return "auto";
}
