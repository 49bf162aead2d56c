import { useEffect } from 'react';
import { BackendBadge } from './BackendBadge';
import { useStore } from '../state/store';
import { startWorker } from '../worker/client';

export function App() {
  const setBackend = useStore((s) => s.setBackend);
  useEffect(() => {
    const worker = startWorker((e) => {
      if (e.status === 'ready')
        setBackend({ state: 'ready', name: e.backend, skipped: e.skipped, tfVersion: e.tfVersion });
      else if (e.status === 'error') setBackend({ state: 'failed', message: e.message });
    });
    worker.send({ type: 'init' });
    return () => worker.terminate();
  }, [setBackend]);
  return (
    <div className="app">
      <header>
        <h1>SRBNAS Playground</h1>
        <BackendBadge />
      </header>
      <main>
        <p>
          Differentiable architecture search of binary neural networks for image super-resolution
          (Su et al., <i>Biomimetics</i> 2024).
        </p>
      </main>
    </div>
  );
}
