import { Resvg } from '@resvg/resvg-js';

/** @default 512 // pixels: crisp on high-density screens, small enough to bake and mail */
const DEFAULT_PNG_WIDTH = 512;

/**
 * Renders an SVG badge to PNG (resvg: a self-contained renderer, no browser, no network; text uses the system's
 * fonts, so production images install one, see the Dockerfile).
 */
export function renderPng(svg: string, width = DEFAULT_PNG_WIDTH): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: true } }).render().asPng();
}
