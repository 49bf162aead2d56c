import { describe, expect, it } from 'vitest';
import { resumeImages } from './runsDb';
import { createImage } from '../../core/image/image';

describe('saved resume records', () => {
  it('reads images saved before the one image type (RGBA buffers) as core images', () => {
    const rgba = new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255]);
    const [old] = resumeImages([{ name: 'old.png', width: 2, height: 1, data: rgba.buffer }]);
    expect(old).toEqual({
      name: 'old.png',
      image: { width: 2, height: 1, channels: 3, data: new Uint8Array([1, 2, 3, 4, 5, 6]) },
    });
    const image = createImage(2, 2, 3);
    expect(resumeImages([{ name: 'new.png', image }])[0].image).toBe(image);
    expect(() => resumeImages([{ name: 'bad.png', image: { ...image, width: 3 } }])).toThrow(
      'bad.png: 12 bytes for 3×2×3',
    );
  });
});
