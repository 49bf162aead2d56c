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
  const [tab, setTab] = useState<Tab>(fromHash);
  const [opened, setOpened] = useState(tab === 'studio');
  useEffect(() => {
    document.body.dataset.tab = tab;
    if (tab === 'studio') setOpened(true);
    const want = tab === 'studio' ? '#studio' : '';
    if (location.hash !== want) history.replaceState(null, '', `${location.pathname}${location.search}${want}`);
  }, [tab]);
  useEffect(() => {
    const on = () => setTab(fromHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return (
    <>
      <nav className="app-tabs">
        <button aria-pressed={tab === 'search'} onClick={() => setTab('search')} data-testid="tab-search">
          Search playground
        </button>
        <button aria-pressed={tab === 'studio'} onClick={() => setTab('studio')} data-testid="tab-studio">
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
