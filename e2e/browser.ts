import { existsSync } from 'node:fs';

/** Flags that make headless Chromium usable here: WebGPU on SwiftShader, no network chatter. */
export const CHROMIUM_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Launch options: Debian's Chromium if installed, else Playwright's own (if downloaded). */
export function chromiumLaunchOptions(): { executablePath?: string; args: string[] } {
  const found = CANDIDATES.find((p): p is string => !!p && existsSync(p));
  if (!found && !process.env.PLAYWRIGHT_BROWSERS_PATH) {
    console.warn(
      '[e2e] No system Chromium found at /usr/bin/chromium. Install it with ' +
        '`apt-get install -y chromium` (Debian) or set CHROMIUM_PATH; falling back to ' +
        "Playwright's own browser (`npx playwright install chromium` where downloads work).",
    );
  }
  return { executablePath: found, args: CHROMIUM_FLAGS };
}
