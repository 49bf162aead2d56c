/** A single-channel float64 plane (e.g. the Y channel) that metrics operate on. */
export interface Plane {
  width: number;
  height: number;
  data: Float64Array;
}

/** Remove `border` pixels from every side (the SR convention: border = scale). */
export function shave(p: Plane, border: number): Plane {
  if (border === 0) return p;
  const width = p.width - 2 * border;
  const height = p.height - 2 * border;
  if (width < 1 || height < 1) {
    throw new Error(`cannot crop a border of ${border} from a ${p.width}x${p.height} image`);
  }
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y + border) * p.width + border;
    data.set(p.data.subarray(from, from + width), y * width);
  }
  return { width, height, data };
}

export function checkSameSize(a: Plane, b: Plane): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`image sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
}
