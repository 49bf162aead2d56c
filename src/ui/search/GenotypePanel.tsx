import * as d3 from 'd3';
import { useEffect, useRef } from 'react';
import { setState, useStore } from '../../state/search/store';
import { downloadJSON, readGenotypeFile, runGenotypeJSON } from '../shared/genotypeFile';
import { renderDerivedCell } from '../shared/views/derivedCell';
import { formatSettings } from '../../core/search/params';

/** Export the current run's genotype as JSON; import one (validated) and show its cell. */
export function GenotypePanel() {
  const current = useStore((s) => s.current);
  const imported = useStore((s) => s.imported);
  const importError = useStore((s) => s.importError);
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (ref.current && imported) renderDerivedCell(d3.select(ref.current), imported.genotype);
  }, [imported]);
  const json = current ? runGenotypeJSON(current) : null;

  return (
    <section className="panel genotype" aria-label="genotype export and import">
      <h2>Genotype</h2>
      <div className="buttons">
        <button
          type="button"
          data-testid="export-genotype"
          disabled={!json}
          onClick={() =>
            json &&
            current &&
            downloadJSON(
              json,
              `srbnas-genotype-x${json.scale}-${current.id}-step${current.step}.json`,
            )
          }
        >
          ⤓ Export genotype JSON
        </button>
        <label className="button">
          ⤒ Import genotype…
          <input
            type="file"
            accept="application/json,.json"
            data-testid="import-genotype"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (!f) return;
              const r = await readGenotypeFile(f);
              if (r.ok)
                setState({ imported: { name: f.name, genotype: r.value }, importError: null });
              else setState({ importError: r.message, imported: null });
            }}
          />
        </label>
      </div>
      {importError && (
        <p className="error" role="alert" data-testid="import-error">
          Import failed: {importError}
        </p>
      )}
      {imported && (
        <figure className="view">
          <figcaption data-testid="imported-caption">
            Showing {imported.name}: x{imported.genotype.scale}
            {imported.genotype.search
              ? `, searched with ${formatSettings(imported.genotype.search, ['mu', 'rho', 'l1Target'])}`
              : ''}
          </figcaption>
          <svg ref={ref} data-testid="imported-svg" role="img" aria-label="imported cell" />
        </figure>
      )}
    </section>
  );
}
