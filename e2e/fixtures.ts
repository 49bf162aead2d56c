import { PNG } from 'pngjs';

/**
 * A procedurally drawn RGB test image (gradients, rings and stripes: edges at several scales,
 * so the SR loss has something to learn), encoded as PNG bytes.
 */
export function syntheticPng(width: number, height: number, seed: number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const r = Math.hypot(x - width / 2, y - height / 2);
      png.data[i] = (128 + 120 * Math.sin(r / (3 + seed))) | 0;
      png.data[i + 1] = ((x * 255) / width) | 0;
      png.data[i + 2] = ((Math.floor(x / (4 + seed)) + Math.floor(y / 6)) % 2) * 200 + 20;
      png.data[i + 3] = 255;
    }
  return PNG.sync.write(png);
}
