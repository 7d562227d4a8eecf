/**
 * The image an achievement shows (and that gets baked) when its issuer uploaded none: a 512×512 SVG
 * whose shape and colours follow deterministically from a seed (e.g. the achievement id), with the
 * achievement name and issuer name as text. Pure string building; every piece of user text is escaped.
 */
import { createHash } from 'node:crypto';
import { escapeXml } from './svg-markup.js';

/** The silhouettes a default badge can take. */
export type BadgeShape = 'circle' | 'hexagon' | 'octagon' | 'shield' | 'rounded-square';
const SHAPES: readonly BadgeShape[] = ['circle', 'hexagon', 'octagon', 'shield', 'rounded-square'];

/** Colours as #rrggbb. `background` is dark enough that `text` on it meets WCAG AA (4.5:1) for every hue. */
export interface BadgeStyle {
  shape: BadgeShape;
  background: string;
  border: string;
  accent: string;
  text: string;
  subtleText: string;
}

const SIZE = 512;
const CENTER = SIZE / 2;
/** Width the name may use inside every shape, and a glyph-width estimate for bold sans-serif text. */
const TEXT_WIDTH = 300;
const AVERAGE_GLYPH_EM = 0.62;
const MAX_NAME_LINES = 3;
const MAX_ISSUER_LINES = 2;
const ISSUER_LINE_CHARS = 24;
const LINE_WIDTHS = [12, 14, 16, 18, 20, 22];
const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * The shape and palette for `seed`; stable across releases only as long as this function is, so store
 * the rendered image if it must never change. Exported so a UI can match the badge's colours.
 */
export function badgeStyle(seed: string): BadgeStyle {
  if (typeof seed !== 'string') throw new TypeError('badgeStyle expects a string seed');
  const hash = digest(seed);
  const hue = hash.readUInt16BE(0) % 360;
  const saturation = 55 + (hash[2]! % 16);
  return {
    shape: SHAPES[hash[3]! % SHAPES.length]!,
    // Lightness 25 % keeps white and the pale tint above 4.5:1 even for yellow, the brightest hue at equal lightness.
    background: hslToHex(hue, saturation, 25),
    border: hslToHex(hue, saturation, 15),
    accent: hslToHex((hue + 40) % 360, 70, 68),
    text: '#ffffff',
    subtleText: hslToHex(hue, 45, 94),
  };
}

/** A clean, accessible SVG badge for an achievement without an image. */
export function defaultBadgeSvg(input: { name: string; issuerName: string; seed: string }): string {
  const { name, issuerName, seed } = input;
  if (typeof name !== 'string' || !normalise(name)) throw new TypeError('defaultBadgeSvg needs a non-empty achievement name');
  if (typeof issuerName !== 'string') throw new TypeError('defaultBadgeSvg expects issuerName as a string');
  const style = badgeStyle(seed);
  const title = normalise(name);
  const issuer = normalise(issuerName);
  // Ids must be unique when several badges are inlined in one HTML page.
  const idSuffix = digest(JSON.stringify([seed, title, issuer])).toString('hex').slice(0, 10);
  const titleId = `badge-title-${idSuffix}`;
  const descId = `badge-desc-${idSuffix}`;
  const description = issuer ? `${title}, issued by ${issuer}` : title;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}" role="img" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">${escapeXml(title)}</title>`,
    `<desc id="${descId}">${escapeXml(description)}</desc>`,
    `<path d="${shapePath(style.shape, 232)}" fill="${style.background}" stroke="${style.border}" stroke-width="16" stroke-linejoin="round"/>`,
    `<path d="${shapePath(style.shape, 198)}" fill="none" stroke="${style.accent}" stroke-width="4" stroke-linejoin="round" opacity="0.9"/>`,
    `<path d="${starPath(CENTER, 132, 30, 13)}" fill="${style.accent}"/>`,
    nameText(title, style.text),
    issuer ? issuerText(issuer, style.subtleText) : '',
    '</svg>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Collapses runs of whitespace (names may contain newlines) and trims. */
function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function nameText(name: string, fill: string): string {
  const lines = wrapName(name);
  const longest = Math.max(...lines.map((line) => Array.from(line).length));
  const fontSize = Math.max(24, Math.min(52, Math.floor(TEXT_WIDTH / (longest * AVERAGE_GLYPH_EM))));
  const lineHeight = Math.round(fontSize * 1.15);
  const firstBaseline = Math.round(276 - ((lines.length - 1) * lineHeight) / 2 + fontSize * 0.35);
  const spans = lines.map(
    (line, index) => `<tspan x="${CENTER}" y="${firstBaseline + index * lineHeight}">${escapeXml(line)}</tspan>`,
  );
  return `<text text-anchor="middle" font-family="${escapeXml(FONT_FAMILY)}" font-weight="700" font-size="${fontSize}" fill="${fill}">${spans.join('')}</text>`;
}

/** The issuer name in small type under the name: up to two lines, then an ellipsis. */
function issuerText(issuer: string, fill: string): string {
  const lines = wrapWords(issuer, ISSUER_LINE_CHARS);
  const shown = lines.slice(0, MAX_ISSUER_LINES);
  if (lines.length > MAX_ISSUER_LINES) shown[MAX_ISSUER_LINES - 1] = truncate(shown[MAX_ISSUER_LINES - 1]!, ISSUER_LINE_CHARS, true);
  const firstBaseline = shown.length === 1 ? 392 : 382;
  const spans = shown.map((line, index) => `<tspan x="${CENTER}" y="${firstBaseline + index * 23}">${escapeXml(line)}</tspan>`);
  return `<text text-anchor="middle" font-family="${escapeXml(FONT_FAMILY)}" font-size="19" fill="${fill}">${spans.join('')}</text>`;
}

/**
 * Greedy word wrap into at most three lines, trying wider lines (smaller text) before truncating.
 * A line is never narrower than the longest word (up to the widest line), so words are only broken
 * when they cannot fit at all. Counts code points, so emoji and accented names are never split in half.
 */
export function wrapName(name: string): string[] {
  const longestWord = Math.max(...name.split(' ').map((word) => Array.from(word).length));
  const widths = LINE_WIDTHS.filter((width) => width >= Math.min(longestWord, LINE_WIDTHS.at(-1)!));
  let lines: string[] = [];
  for (const maxChars of widths) {
    lines = wrapWords(name, maxChars);
    if (lines.length <= MAX_NAME_LINES) return lines;
  }
  const kept = lines.slice(0, MAX_NAME_LINES);
  kept[MAX_NAME_LINES - 1] = truncate(`${kept[MAX_NAME_LINES - 1]} …`, 22, true);
  return kept;
}

function wrapWords(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length) lines.push(current.join(''));
    current = [];
  };
  for (const word of text.split(' ')) {
    let chars = Array.from(word);
    const needed = current.length ? current.length + 1 + chars.length : chars.length;
    if (needed <= maxChars) {
      if (current.length) current.push(' ');
      current.push(...chars);
      continue;
    }
    flush();
    // A word longer than a line is broken hard; there is no hyphenation dictionary here.
    while (chars.length > maxChars) {
      lines.push(chars.slice(0, maxChars).join(''));
      chars = chars.slice(maxChars);
    }
    current = chars;
  }
  flush();
  return lines;
}

/** At most `maxChars` code points, ending in an ellipsis when shortened (or always, with `forceEllipsis`). */
function truncate(text: string, maxChars: number, forceEllipsis = false): string {
  const chars = Array.from(text.replace(/ ?…$/, ''));
  if (chars.length <= maxChars && !forceEllipsis) return text;
  return `${chars.slice(0, maxChars - 1).join('').trimEnd()}…`;
}

function shapePath(shape: BadgeShape, radius: number): string {
  const r = radius;
  switch (shape) {
    case 'circle':
      return `M ${CENTER - r} ${CENTER} A ${r} ${r} 0 1 0 ${CENTER + r} ${CENTER} A ${r} ${r} 0 1 0 ${CENTER - r} ${CENTER} Z`;
    case 'hexagon':
      return polygon(6, r, 30);
    case 'octagon':
      return polygon(8, r, 22.5);
    case 'shield': {
      const top = CENTER - r;
      const side = r * 0.92;
      return [
        `M ${CENTER} ${top}`,
        `L ${round(CENTER + side)} ${round(top + r * 0.26)}`,
        `V ${CENTER}`,
        `C ${round(CENTER + side)} ${round(CENTER + r * 0.52)} ${round(CENTER + r * 0.5)} ${round(CENTER + r * 0.82)} ${CENTER} ${CENTER + r}`,
        `C ${round(CENTER - r * 0.5)} ${round(CENTER + r * 0.82)} ${round(CENTER - side)} ${round(CENTER + r * 0.52)} ${round(CENTER - side)} ${CENTER}`,
        `V ${round(top + r * 0.26)} Z`,
      ].join(' ');
    }
    case 'rounded-square': {
      const half = r * 0.88;
      const corner = r * 0.22;
      const [left, right, top, bottom] = [CENTER - half, CENTER + half, CENTER - half, CENTER + half].map(round) as [number, number, number, number];
      const c = round(corner);
      return `M ${left + c} ${top} H ${right - c} Q ${right} ${top} ${right} ${top + c} V ${bottom - c} Q ${right} ${bottom} ${right - c} ${bottom} H ${left + c} Q ${left} ${bottom} ${left} ${bottom - c} V ${top + c} Q ${left} ${top} ${left + c} ${top} Z`;
    }
  }
}

/** A regular polygon around the centre; `rotation` in degrees puts a flat edge at the top. */
function polygon(sides: number, radius: number, rotation: number): string {
  const points = Array.from({ length: sides }, (_, index) => {
    const angle = ((index * 360) / sides + rotation - 90) * (Math.PI / 180);
    return `${round(CENTER + radius * Math.cos(angle))} ${round(CENTER + radius * Math.sin(angle))}`;
  });
  return `M ${points.join(' L ')} Z`;
}

function starPath(cx: number, cy: number, outer: number, inner: number): string {
  const points = Array.from({ length: 10 }, (_, index) => {
    const radius = index % 2 === 0 ? outer : inner;
    const angle = (index * 36 - 90) * (Math.PI / 180);
    return `${round(cx + radius * Math.cos(angle))} ${round(cy + radius * Math.sin(angle))}`;
  });
  return `M ${points.join(' L ')} Z`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** HSL (degrees, percent, percent) to #rrggbb; hex rather than hsl() because SVG 1.1 renderers need not know CSS3 colours. */
function hslToHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const chroma = (1 - Math.abs(2 * l - 1)) * s;
  const channel = (n: number): string => {
    const k = (n + hue / 30) % 12;
    const value = l - chroma / 2 * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
