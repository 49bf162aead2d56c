import { useEffect } from 'react';
import { BackendBadge } from './BackendBadge';
import { addLog, setState } from '../state/search/store';
import { boot, debugCrashWorker, shutdown } from '../state/search/controller';
import { configFromQuery } from '../state/search/urlConfig';
import { loadDefaultImages } from './shared/images';
import { Controls } from './search/Controls';
import { PresetPanel } from './search/PresetPanel';
import { RunButtons } from './search/RunButtons';
import { DataPanel } from './search/DataPanel';
import { GenotypePanel } from './search/GenotypePanel';
import { RunsList } from './search/RunsList';
import { RunLog } from './search/RunLog';
import { CrashBanner } from './search/CrashBanner';
import { StudioTab } from './studio/StudioTab';
import { SupernetView, Legend } from './search/views/SupernetView';
import { DerivedCellView } from './search/views/DerivedCellView';
import { AlphaHeatmap } from './search/views/AlphaHeatmap';
import { CurvesView } from './search/views/CurvesView';
import { MuRhoExplorer } from './search/views/MuRhoExplorer';

export function App() {
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
    <div className="app">
      <header>
        <h1>SRBNAS Playground</h1>
        <BackendBadge />
        <span className="subtitle">
          differentiable architecture search of binary SR networks (Su et al., <i>Biomimetics</i>{' '}
          2024)
        </span>
      </header>
      <CrashBanner />
      <StudioTab />
      <p className="note tiny-note">
        The page starts on the <b>demo</b> preset (C=16, 3 cells, k=4, 400 steps: a few minutes on
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
    </div>
  );
}
