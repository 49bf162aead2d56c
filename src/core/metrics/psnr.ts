import { checkSameSize, type Plane } from './plane';

/**
 * Peak signal-to-noise ratio in dB for samples in [0, peak]: 10 log10(peak^2 / MSE).
 * Identical planes give Infinity (MSE = 0).
 */
export function psnr(a: Plane, b: Plane, peak = 255): number {
  checkSameSize(a, b);
  const n = a.data.length;
  let se = 0;
  for (let i = 0; i < n; i++) {
    const d = a.data[i] - b.data[i];
    se += d * d;
  }
  const mse = se / n;
  if (mse === 0) return Infinity;
  return 10 * Math.log10((peak * peak) / mse);
}
