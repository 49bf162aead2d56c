import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * `vite preview` of the production build (dist/) on 127.0.0.1:`port`, for the browser benches;
 * resolves once the page answers (the server is killed if it does not within `ms`).
 */
export async function startPreview(
  root: string,
  port: number,
  ms = 60_000,
): Promise<{ url: string; stop: () => void }> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    { cwd: root, stdio: 'ignore' },
  );
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try {
      if ((await fetch(url)).ok) return { url, stop: () => child.kill() };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill();
  throw new Error(`vite preview did not answer at ${url} within ${ms} ms`);
}
