import { useEffect, useState } from 'react';
import { Studio } from './Studio';
import './studio.css';

type Tab = 'search' | 'studio';
const fromHash = (): Tab => (location.hash === '#studio' ? 'studio' : 'search');

/**
 * Tab bar between the search playground and the upscale studio (#studio in the URL). The
 * playground stays mounted (hidden by CSS) and the studio stays mounted once opened, so
 * switching loses nothing.
 */
export function StudioTab() {
  const [tab, setTabState] = useState<Tab>(fromHash);
  const [opened, setOpened] = useState(tab === 'studio');
  const setTab = (t: Tab) => {
    setTabState(t);
    if (t === 'studio') setOpened(true);
  };
  useEffect(() => {
    document.body.dataset.tab = tab;
    const want = tab === 'studio' ? '#studio' : '';
    if (location.hash !== want)
      history.replaceState(null, '', `${location.pathname}${location.search}${want}`);
  }, [tab]);
  useEffect(() => {
    const on = () => {
      const t = fromHash();
      setTabState(t);
      if (t === 'studio') setOpened(true);
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return (
    <>
      <nav className="app-tabs">
        <button
          aria-pressed={tab === 'search'}
          onClick={() => setTab('search')}
          data-testid="tab-search"
        >
          Search playground
        </button>
        <button
          aria-pressed={tab === 'studio'}
          onClick={() => setTab('studio')}
          data-testid="tab-studio"
        >
          Upscale studio
        </button>
      </nav>
      {opened && (
        <div style={{ display: tab === 'studio' ? undefined : 'none' }}>
          <Studio />
        </div>
      )}
    </>
  );
}
