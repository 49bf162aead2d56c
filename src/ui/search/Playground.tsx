import { useEffect } from 'react';
import { addLog, setState } from '../../state/search/store';
import { boot, debugCrashWorker, shutdown } from '../../state/search/controller';
import { configFromQuery } from '../../state/search/urlConfig';
import { loadDefaultImages } from '../shared/images';
import { Controls } from './Controls';
import { PresetPanel } from './PresetPanel';
import { RunButtons } from './RunButtons';
import { DataPanel } from './DataPanel';
import { GenotypePanel } from './GenotypePanel';
import { RunsList } from './RunsList';
import { RunLog } from './RunLog';
import { SupernetView, Legend } from './views/SupernetView';
import { DerivedCellView } from './views/DerivedCellView';
import { AlphaHeatmap } from './views/AlphaHeatmap';
import { CurvesView } from './views/CurvesView';
import { MuRhoExplorer } from './views/MuRhoExplorer';

/**
 * The search playground: reads its settings from the URL, boots the search worker with the
 * default images, and lays out the controls and the live views. Always mounted (the studio tab
 * hides it by CSS), so a running search keeps going while the studio is open.
 */
export function Playground() {
  useEffect(() => {
    const { config, warnings, backend } = configFromQuery(location.search);
    setState((s) => ({
      config,
      backendPref: backend,
      ...warnings.reduce(
        (acc, w) => ({ ...acc, ...addLog({ ...s, ...acc }, `URL: ${w}`, 'warn') }),
        {},
      ),
    }));
    boot(loadDefaultImages);
    // For the e2e crash test; harmless for users (it only breaks their own worker).
    (window as unknown as { __srbnasDebug: object }).__srbnasDebug = {
      crashWorker: debugCrashWorker,
    };
    return () => shutdown();
  }, []);
  return (
    <>
      <p className="note tiny-note">
        The page starts on the <b>demo</b> preset (C=16, 3 cells, k=4, 550 steps: a few minutes on
        two CPU cores). The paper&apos;s search (C=64, 3 cells, k=8, 100 epochs) takes hours even on
        a GPU; it is the <b>paper</b> preset. The settings live in the URL, so a link shares a run.
      </p>
      <div className="layout">
        <aside>
          <RunButtons />
          <DataPanel />
          <PresetPanel />
          <Controls />
        </aside>
        <main>
          <Legend />
          <div className="views">
            <SupernetView />
            <DerivedCellView />
            <AlphaHeatmap />
            <CurvesView />
            <MuRhoExplorer />
          </div>
          <GenotypePanel />
          <RunsList />
          <RunLog />
        </main>
      </div>
    </>
  );
}
