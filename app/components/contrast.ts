// WCAG 2.x contrast arithmetic on hex colours: the theme (app/components/theme.ts) uses it to pick
// text and fill colours that stay readable on every surface they are drawn on, in both schemes.

export type Rgb = readonly [number, number, number];

export function hexToRgb(hex: string): Rgb {
  const digits = hex.replace("#", "");
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join("") : digits;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
}

export function rgbToHex(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

/** Relative luminance (WCAG 2.x). */
export function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The contrast ratio of two colours, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** `top` at `alpha` over an opaque `bottom`, as the browser composites it. */
export function over(top: Rgb, alpha: number, bottom: Rgb): Rgb {
  return top.map((c, i) => c * alpha + bottom[i] * (1 - alpha)) as unknown as Rgb;
}

/** `from` moved a share `t` (0..1) of the way to `to`. */
export function mix(from: Rgb, to: Rgb, t: number): Rgb {
  return over(to, t, from);
}

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

/**
 * `color` itself when it reaches `ratio` against every one of `backgrounds`; otherwise the
 * smallest step towards black (`toward: "darker"`) or white that does. Keeps a palette's hue and
 * changes only as much as readability needs.
 */
export function readable(
  color: string,
  backgrounds: readonly Rgb[],
  ratio: number,
  toward: "darker" | "lighter",
): string {
  const start = hexToRgb(color);
  const end = toward === "darker" ? BLACK : WHITE;
  for (let step = 0; step <= 50; step++) {
    // Rounded to the hex it will be written as, so the ratio holds for what the browser draws.
    const candidate = rgbToHex(mix(start, end, step / 50));
    if (backgrounds.every((bg) => contrast(hexToRgb(candidate), bg) >= ratio)) return candidate;
  }
  return rgbToHex(end);
}
