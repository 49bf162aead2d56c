import { BackendBadge } from './BackendBadge';
import { CrashBanner } from './search/CrashBanner';
import { StudioTab } from './studio/StudioTab';
import { Playground } from './search/Playground';

/** The page: a header, the tab bar with the studio (ui/studio), and the playground (ui/search). */
export function App() {
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
      <Playground />
    </div>
  );
}
