/**
 * The studio's output-size limit. Kept apart from ./upscaleRunner (which pulls in tfjs) so the
 * page's main thread can check a size before it sends work, without bundling tfjs.
 */

/** Largest SR output the studio builds (pixels), so a tab's memory stays bounded. */
// 50 MP: a 12 MP photo at x2 (48 MP) fits. Inference streams tile by tile (core/model/infer.ts),
// so the memory is the 8-bit result and its bicubic comparison, not float maps of that size.
export const STUDIO_MAX_OUTPUT_PIXELS = 50_000_000;

/** The refusal for an output above the studio limit, naming the limit and a size that fits. */
export function outputLimitMessage(w: number, h: number, r: number): string | null {
  const mp = (w * r * h * r) / 1e6;
  if (w * r * h * r <= STUDIO_MAX_OUTPUT_PIXELS) return null;
  const side = Math.floor(Math.sqrt(STUDIO_MAX_OUTPUT_PIXELS) / r);
  return (
    `${w}×${h} at x${r} would give ${mp.toFixed(1)} MP, above the studio's limit of ` +
    `${STUDIO_MAX_OUTPUT_PIXELS / 1e6} MP output (about ${side}×${side} input at x${r}); ` +
    'crop or shrink it first'
  );
}
