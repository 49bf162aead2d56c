import { useEffect, useRef } from 'react';
import * as d3 from 'd3';

/**
 * Runs a pure d3 render function on an SVG ref whenever `deps` change: React owns the <svg>
 * element, d3 owns its children.
 */
export function useD3(
  render: (svg: d3.Selection<SVGSVGElement, unknown, null, undefined>) => void,
  deps: unknown[],
) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (ref.current) render(d3.select(ref.current));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return ref;
}
