import { describeArch } from '../../core/model/config';
import type { ModelInfo } from '../../worker/studioProtocol';
import { renderDerivedCell } from '../shared/views/derivedCell';
import { useD3 } from '../shared/views/useD3';

const fmt = (n: number) => n.toLocaleString('en-US');

function GenotypeDag({ info }: { info: ModelInfo }) {
  const g = info.architecture.arch === 'srbnas' ? info.architecture.genotype : null;
  const ref = useD3(
    (svg) => {
      if (g) renderDerivedCell(svg, g);
    },
    [g],
  );
  if (!g) return null;
  return <svg ref={ref} className="studio-dag" data-testid="model-dag" />;
}

/** Genotype DAG, counts (docs/design.md §2, from count.ts) and known benchmark numbers. */
export function ModelInfoPanel({ info }: { info: ModelInfo }) {
  const c = info.counts;
  const t = info.training;
  const b = info.benchmarks ?? {};
  const set5 = Object.entries(b).filter(([k]) => /set5/i.test(k));
  return (
    <section className="studio-info" data-testid="model-info">
      <h3>{info.name}</h3>
      <div>{describeArch(info.architecture)}</div>
      <GenotypeDag info={info} />
      <table>
        <tbody>
          <tr>
            <td>parameters</td>
            <td data-testid="info-params">
              {fmt(c.params)} ({fmt(c.binaryParams)} binary, {fmt(c.fpParams)} float)
            </td>
          </tr>
          <tr>
            <td>size with 1-bit weights</td>
            <td data-testid="info-size">{(c.sizeBytes / 1024).toFixed(1)} KiB</td>
          </tr>
          {info.engine && (
            <tr>
              <td>runs on</td>
              <td data-testid="info-engine">
                {info.engine} engine
                {info.packedFile
                  ? ' (packed file)'
                  : info.engine === 'packed'
                    ? ' (packed on load)'
                    : ''}
                {info.warmSeconds !== undefined && (
                  <span data-testid="info-warm">
                    {' '}
                    · engine warmed up with one blank tile of this model in{' '}
                    {info.warmSeconds.toFixed(1)} s
                  </span>
                )}
              </td>
            </tr>
          )}
          <tr>
            <td>ops per output pixel</td>
            <td data-testid="info-ops">
              {fmt(Math.round(c.opsPerPixel))} OPs ({fmt(Math.round(c.flopsPerPixel))} FLOPs +{' '}
              {fmt(Math.round(c.bopsPerPixel))} BOPs/64)
            </td>
          </tr>
          <tr>
            <td>Set5</td>
            <td data-testid="info-set5">
              {set5.length
                ? set5
                    .map(([k, v]) => `${k}: ${v.psnr.toFixed(2)} dB / ${v.ssim.toFixed(4)}`)
                    .join('; ')
                : 'not measured for this model'}
            </td>
          </tr>
          {t && (
            <tr>
              <td>training</td>
              <td>
                {t.epochsDone}/{t.epochs} epochs × {t.stepsPerEpoch} steps, batch {t.batch}, patch{' '}
                {t.patch}; val PSNR {t.valPsnr.at(-1)?.toFixed(2) ?? '–'} dB (bicubic{' '}
                {t.valPsnrBicubic.toFixed(2)})
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
