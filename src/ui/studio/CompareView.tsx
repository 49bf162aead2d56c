import { useEffect, useRef, useState } from 'react';
import { imageToRgba, type Image } from '../../core/image/image';

function paint(canvas: HTMLCanvasElement | null, img: Image) {
  if (!canvas) return;
  canvas.width = img.width;
  canvas.height = img.height;
  canvas
    .getContext('2d')
    ?.putImageData(new ImageData(imageToRgba(img), img.width, img.height), 0, 0);
}

/**
 * Before/after slider: bicubic on the left of the handle, ours on the right, same pixels;
 * zoom shows single pixels (nearest-neighbour scaling) in a scrolling box.
 */
export function CompareView({ ours, bicubic }: { ours: Image; bicubic: Image }) {
  const a = useRef<HTMLCanvasElement>(null);
  const b = useRef<HTMLCanvasElement>(null);
  const [split, setSplit] = useState(50);
  const [zoom, setZoom] = useState(1);
  useEffect(() => paint(a.current, bicubic), [bicubic]);
  useEffect(() => paint(b.current, ours), [ours]);
  const w = ours.width * zoom;
  const h = ours.height * zoom;
  return (
    <div className="studio-compare">
      <div className="studio-compare-bar">
        <label>
          bicubic ◀ ▶ ours
          <input
            type="range"
            min={0}
            max={100}
            value={split}
            data-testid="compare-slider"
            onChange={(e) => setSplit(Number(e.target.value))}
          />
        </label>
        <label>
          zoom
          <select value={zoom} onChange={(e) => setZoom(Number(e.target.value))} data-testid="zoom">
            {[0.5, 1, 2, 4, 8].map((z) => (
              <option key={z} value={z}>
                {z}×
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="studio-compare-box">
        <div style={{ position: 'relative', width: w, height: h }}>
          <canvas ref={b} style={{ width: w, height: h }} />
          <canvas
            ref={a}
            style={{
              width: w,
              height: h,
              position: 'absolute',
              left: 0,
              top: 0,
              clipPath: `inset(0 ${100 - split}% 0 0)`,
            }}
          />
          <div className="studio-compare-handle" style={{ left: `${split}%` }} />
        </div>
      </div>
    </div>
  );
}
