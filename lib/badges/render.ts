import { createRequire } from 'node:module';
import { AppError } from '../errors.js';

/** @default 512 // pixels: crisp on high-density screens, small enough to bake and mail */
const DEFAULT_PNG_WIDTH = 512;

type ResvgModule = typeof import('@resvg/resvg-js');

/**
 * A PNG renderer that loads resvg (a native binding, one prebuilt package per platform) on its first render, not at
 * import: on a platform without a binary everything else still runs, and only rendering a PNG fails, with
 * PNG_RENDERER_UNAVAILABLE. Loaded with `require` rather than `import()` so that rendering stays synchronous.
 */
export function createPngRenderer(loadResvg: () => ResvgModule): (svg: string, width?: number) => Buffer {
  let resvg: ResvgModule | AppError | undefined;
  const loaded = (): ResvgModule => {
    if (!resvg) {
      try {
        resvg = loadResvg();
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        resvg = new AppError('PNG_RENDERER_UNAVAILABLE', `PNG rendering is not available on this platform (${process.platform}-${process.arch}): @resvg/resvg-js could not be loaded: ${reason}`);
      }
    }
    if (resvg instanceof AppError) throw resvg;
    return resvg;
  };

  /**
   * Renders an SVG badge to PNG (resvg: a self-contained renderer, no browser, no network; text uses the system's
   * fonts, so production images install one, see the Dockerfile).
   */
  return function renderPng(svg, width = DEFAULT_PNG_WIDTH) {
    const { Resvg } = loaded();
    const font = { loadSystemFonts: true };
    const byWidth = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font });
    // An SVG far taller than wide (say a 1 × 100,000 viewBox from someone else's artwork) would render to a bitmap of
    // millions of rows at this width: such art is fitted into a width × width square by its height instead.
    if (byWidth.height * (width / Math.max(byWidth.width, 1)) <= width * 4) return byWidth.render().asPng();
    return new Resvg(svg, { fitTo: { mode: 'height', value: width }, font }).render().asPng();
  };
}

/** Renders an SVG badge to PNG, `width` pixels wide (see {@link createPngRenderer}); PNG_RENDERER_UNAVAILABLE without resvg. */
export const renderPng = createPngRenderer(() => createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule);
