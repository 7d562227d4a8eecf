import { Resvg } from '@resvg/resvg-js';

/** @default 512 // pixels: crisp on high-density screens, small enough to bake and mail */
const DEFAULT_PNG_WIDTH = 512;

/**
 * Renders an SVG badge to PNG (resvg: a self-contained renderer, no browser, no network; text uses the system's
 * fonts, so production images install one, see the Dockerfile).
 */
export function renderPng(svg: string, width = DEFAULT_PNG_WIDTH): Buffer {
  const font = { loadSystemFonts: true };
  const byWidth = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font });
  // An SVG far taller than wide (say a 1 × 100,000 viewBox from someone else's artwork) would render to a bitmap of
  // millions of rows at this width: such art is fitted into a width × width square by its height instead.
  if (byWidth.height * (width / Math.max(byWidth.width, 1)) <= width * 4) return byWidth.render().asPng();
  return new Resvg(svg, { fitTo: { mode: 'height', value: width }, font }).render().asPng();
}
