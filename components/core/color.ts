/**
 * @packageDocumentation
 * Colour maths for `<ab-color-picker>`: parsing the CSS notations a user may type, converting
 * between RGB, HSV and HSL, writing a colour back in one notation, and the WCAG 2.x contrast
 * ratio. Pure functions, no DOM.
 *
 * Ranges, everywhere in this module:
 *  - `r`, `g`, `b`: 0–255, fractional while converting; written rounded.
 *  - `h`: 0 ≤ h < 360 degrees; `s`, `v`, `l`: 0–100 (percent).
 *  - `a`: 0–1 (opacity).
 *
 * Conversions keep fractions, so RGB → HSV → RGB and RGB → HSL → RGB give the same colour back
 * once rounded to 8 bits. Out-of-range input is clamped as CSS clamps it, never refused.
 */

/** A colour as red, green, blue (0–255) and alpha (0–1). */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** A colour as hue (degrees), saturation and value (brightness) in percent, and alpha. */
export interface Hsva {
  h: number;
  s: number;
  v: number;
  a: number;
}

/** A colour as hue (degrees), saturation and lightness in percent, and alpha. */
export interface Hsla {
  h: number;
  s: number;
  l: number;
  a: number;
}

/** The notations a colour can be written in: `#rrggbb`, `rgb()` or `hsl()`. */
export type ColorFormat = 'hex' | 'rgb' | 'hsl';

/** `n` limited to `min`..`max`; `NaN` becomes `min`. */
export function clamp(n: number, min: number, max: number): number {
  return n > max ? max : n >= min ? n : min;
}

/** A hue folded into 0 ≤ h < 360. */
function wrapHue(h: number): number {
  const wrapped = h % 360;
  return wrapped < 0 ? wrapped + 360 : wrapped === 0 ? 0 : wrapped;
}

const hexRe = /^#([\da-f]{3,4}|[\da-f]{6}|[\da-f]{8})$/;
const functionRe = /^(rgba?|hsla?)\(\s*(.*?)\s*\)$/;
const numberRe = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(%|deg)?$/;

/** A number token of CSS colour syntax: its value and unit (`''`, `%` or `deg`), or null. */
function numberToken(text: string): { n: number; unit: string } | null {
  const match = numberRe.exec(text);
  return match ? { n: Number(match[1]), unit: match[2] ?? '' } : null;
}

/**
 * Reads a colour written as hex (`#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`), `rgb()`/`rgba()` or
 * `hsl()`/`hsla()`, with commas or the space-and-slash syntax of CSS Color 4, case-insensitive.
 * Anything else (names, `hwb()`, stray text) gives `null`.
 *
 * @example parseColor('rgb(51 102 153 / 50%)') // { r: 51, g: 102, b: 153, a: 0.5 }
 */
export function parseColor(text: string): Rgba | null {
  const source = text.trim().toLowerCase();
  const hex = hexRe.exec(source)?.[1];
  if (hex) return parseHex(hex);
  const call = functionRe.exec(source);
  if (!call) return null;
  const parts = splitArguments(call[2] ?? '');
  if (!parts) return null;
  const tokens = parts.map(numberToken);
  if (tokens.some((t) => t === null)) return null;
  const [first, second, third, alpha] = tokens as { n: number; unit: string }[];
  if (alpha?.unit === 'deg') return null;
  const a = alpha ? clamp(alpha.unit === '%' ? alpha.n / 100 : alpha.n, 0, 1) : 1;
  if (call[1]!.startsWith('rgb')) {
    const channels = [first!, second!, third!];
    if (channels.some((t) => t.unit === 'deg')) return null;
    const [r, g, b] = channels.map((t) => clamp(t.unit === '%' ? (t.n * 255) / 100 : t.n, 0, 255));
    return { r: r!, g: g!, b: b!, a };
  }
  if (second!.unit === 'deg' || third!.unit === 'deg' || first!.unit === '%') return null;
  return hslToRgb({ h: first!.n, s: clamp(second!.n, 0, 100), l: clamp(third!.n, 0, 100), a });
}

/** `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa` digits (without `#`) as a colour. */
function parseHex(digits: string): Rgba {
  const full = digits.length <= 4 ? [...digits].map((d) => d + d).join('') : digits;
  const byte = (i: number) => parseInt(full.slice(i * 2, i * 2 + 2), 16);
  return { r: byte(0), g: byte(1), b: byte(2), a: full.length === 8 ? byte(3) / 255 : 1 };
}

/**
 * The arguments of `rgb(...)`/`hsl(...)`: three or four comma-separated ones, or three
 * space-separated ones with an optional `/ alpha`. `null` when the shape is neither.
 */
function splitArguments(body: string): string[] | null {
  if (body.includes(',')) {
    const parts = body.split(',').map((part) => part.trim());
    return parts.length === 3 || parts.length === 4 ? parts : null;
  }
  const [channels, alpha, extra] = body.split('/');
  const parts = (channels ?? '').trim().split(/\s+/);
  if (parts.length !== 3 || extra !== undefined) return null;
  return alpha === undefined ? parts : [...parts, alpha.trim()];
}

/** The colour as HSV. A grey keeps hue 0 (a caller that tracks a hue should keep its own). */
export function rgbToHsv({ r, g, b, a }: Rgba): Hsva {
  const max = Math.max(r, g, b);
  const chroma = max - Math.min(r, g, b);
  return {
    h: hueOf(r, g, b, max, chroma),
    s: max === 0 ? 0 : (chroma / max) * 100,
    v: (max / 255) * 100,
    a,
  };
}

/** The colour as RGB, fractional. */
export function hsvToRgb({ h, s, v, a }: Hsva): Rgba {
  const value = (clamp(v, 0, 100) / 100) * 255;
  const saturation = clamp(s, 0, 100) / 100;
  const sector = wrapHue(h) / 60;
  // Each channel's distance from the hue, on the 0..6 circle of sectors.
  const channel = (offset: number) => {
    const k = (offset + sector) % 6;
    return value - value * saturation * clamp(Math.min(k, 4 - k), 0, 1);
  };
  return { r: channel(5), g: channel(3), b: channel(1), a };
}

/** The colour as HSL. A grey keeps hue 0 and saturation 0. */
export function rgbToHsl({ r, g, b, a }: Rgba): Hsla {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const chroma = max - min;
  const lightness = (max + min) / 2 / 255;
  const s = chroma === 0 ? 0 : chroma / 255 / (1 - Math.abs(2 * lightness - 1));
  return { h: hueOf(r, g, b, max, chroma), s: s * 100, l: lightness * 100, a };
}

/** The colour as RGB, fractional. */
export function hslToRgb({ h, s, l, a }: Hsla): Rgba {
  const lightness = clamp(l, 0, 100) / 100;
  const amplitude = (clamp(s, 0, 100) / 100) * Math.min(lightness, 1 - lightness);
  const sector = wrapHue(h) / 30;
  const channel = (offset: number) => {
    const k = (offset + sector) % 12;
    return (lightness - amplitude * clamp(Math.min(k - 3, 9 - k), -1, 1)) * 255;
  };
  return { r: channel(0), g: channel(8), b: channel(4), a };
}

/** The hue in degrees of an RGB colour whose largest channel is `max`. */
function hueOf(r: number, g: number, b: number, max: number, chroma: number): number {
  if (chroma === 0) return 0;
  let sector = (r - g) / chroma + 4;
  if (max === r) sector = (g - b) / chroma;
  else if (max === g) sector = (b - r) / chroma + 2;
  return wrapHue(sector * 60);
}

/** `n` with at most `digits` decimals, trailing zeros dropped: 0.5, 0.502, 40. */
function decimal(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}

/**
 * The colour written in `format`: `#rrggbb`, `rgb(r, g, b)` or `hsl(h, s%, l%)`; with alpha
 * (`#rrggbbaa`, `rgba()`, `hsla()`) only when it is not opaque. Lower case, comma syntax, which
 * every CSS parser and most servers read.
 */
export function formatColor(color: Rgba, format: ColorFormat): string {
  const rgb = {
    r: Math.round(clamp(color.r, 0, 255)),
    g: Math.round(clamp(color.g, 0, 255)),
    b: Math.round(clamp(color.b, 0, 255)),
    a: clamp(color.a, 0, 1),
  };
  const opaque = rgb.a >= 1;
  if (format === 'hex') {
    const bytes = [rgb.r, rgb.g, rgb.b, ...(opaque ? [] : [Math.round(rgb.a * 255)])];
    return `#${bytes.map((n) => n.toString(16).padStart(2, '0')).join('')}`;
  }
  // Three decimals of alpha survive a trip through the 256 steps of `#rrggbbaa`.
  const alpha = opaque ? '' : `, ${decimal(rgb.a, 3)}`;
  const suffix = opaque ? '' : 'a';
  if (format === 'rgb') return `rgb${suffix}(${rgb.r}, ${rgb.g}, ${rgb.b}${alpha})`;
  const { h, s, l } = rgbToHsl(rgb);
  return `hsl${suffix}(${decimal(h, 1)}, ${decimal(s, 1)}%, ${decimal(l, 1)}%${alpha})`;
}

/** `foreground` seen over an opaque `background`: the colour the eye gets. */
export function compositeOver(foreground: Rgba, background: Rgba): Rgba {
  const a = clamp(foreground.a, 0, 1);
  const mix = (top: number, bottom: number) => top * a + bottom * (1 - a);
  return {
    r: mix(foreground.r, background.r),
    g: mix(foreground.g, background.g),
    b: mix(foreground.b, background.b),
    a: 1,
  };
}

/** WCAG 2.x relative luminance, 0 (black) to 1 (white); alpha is ignored. */
export function relativeLuminance({ r, g, b }: Rgba): number {
  const linear = (channel: number) => {
    const c = clamp(channel, 0, 255) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * The WCAG 2.x contrast ratio of `foreground` on `background`, 1 to 21, unrounded (WCAG
 * compares the exact ratio: 4.48 fails 4.5). A translucent foreground is first laid over the
 * background; the background counts as opaque.
 */
export function contrastRatio(foreground: Rgba, background: Rgba): number {
  const backdrop = { ...background, a: 1 };
  const first = relativeLuminance(compositeOver(foreground, backdrop));
  const second = relativeLuminance(backdrop);
  return (Math.max(first, second) + 0.05) / (Math.min(first, second) + 0.05);
}

/** The least contrast ratios of WCAG 2.x success criteria 1.4.3 (AA) and 1.4.6 (AAA). */
export const contrastMinimums = {
  aaNormal: 4.5,
  aaLarge: 3,
  aaaNormal: 7,
  aaaLarge: 4.5,
} as const;

/** Which WCAG level and text size a contrast minimum is for. */
export type ContrastLevel = keyof typeof contrastMinimums;

/** A coarse name for a colour's hue, or a grey. */
export type ColorFamily =
  | 'red'
  | 'orange'
  | 'brown'
  | 'yellow'
  | 'green'
  | 'cyan'
  | 'blue'
  | 'purple'
  | 'pink'
  | 'grey'
  | 'black'
  | 'white';

/** Whether a colour is dark, light or neither (`''`) for its family. */
export type ColorTone = 'dark' | 'light' | '';

/** Upper hue bounds (exclusive, degrees) of the hue families, in order round the circle. */
const hueFamilies: ReadonlyArray<readonly [number, ColorFamily]> = [
  [15, 'red'],
  [45, 'orange'],
  [70, 'yellow'],
  [165, 'green'],
  [190, 'cyan'],
  [255, 'blue'],
  [310, 'purple'],
  [345, 'pink'],
  [360, 'red'],
];

/**
 * Words for a colour, for screen readers and swatch names: a family and a tone, e.g. dark blue.
 * Deliberately coarse: enough to tell colours apart by ear, not a colour-naming scheme.
 */
export function describeColor(color: Rgba): { family: ColorFamily; tone: ColorTone } {
  const { h, s, l } = rgbToHsl(color);
  const tone: ColorTone = l < 30 ? 'dark' : l > 70 ? 'light' : '';
  if (l <= 10) return { family: 'black', tone: '' };
  if (l >= 95) return { family: 'white', tone: '' };
  if (s < 12) return { family: 'grey', tone };
  const family = hueFamilies.find(([bound]) => h < bound)?.[1] ?? 'red';
  // Dark oranges and yellows read as brown.
  if ((family === 'orange' || family === 'yellow') && l < 40) return { family: 'brown', tone: '' };
  return { family, tone };
}
