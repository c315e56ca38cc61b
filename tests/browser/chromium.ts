import { existsSync } from 'node:fs';

/**
 * Playwright cannot download browsers here; it drives the system's Chromium (Debian: `apt-get
 * install chromium`). CHROMIUM_PATH overrides; otherwise the usual install places are tried.
 */
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export function findChromium(): string {
  const chosen = process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
  if (!chosen || !existsSync(chosen))
    throw new Error(
      'No Chromium found for the browser tests. Install it (Debian/Ubuntu: `sudo apt-get install chromium`; ' +
        'macOS: install Google Chrome) or set CHROMIUM_PATH to a Chromium/Chrome binary.',
    );
  return chosen;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
