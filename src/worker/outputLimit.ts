/**
 * The studio's output-size limit. Kept apart from ./upscaleRunner (which pulls in tfjs) so the
 * page's main thread can check a size before it sends work, without bundling tfjs.
 */

/** Largest SR output the studio builds (pixels), so a tab's memory stays bounded. */
export const STUDIO_MAX_OUTPUT_PIXELS = 16_000_000;

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
