/**
 * Headless Chromium from npm for the scripts (PDFs) and the tests: the binary inside the package
 * `@sparticuz/chromium` (a dev dependency: `npm install` brings it, nothing is downloaded; it
 * unpacks itself to /tmp on first use), unless CHROMIUM_PATH names another executable. Driven by
 * playwright-core, with a fresh user-data-dir and every request that is not file:, data:, blob:,
 * about: or loopback blocked.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type BrowserContext } from 'playwright-core';

/**
 * The Chromium executable: CHROMIUM_PATH when set, else the binary of the npm package
 * `@sparticuz/chromium` (unpacked to /tmp on first call, about 2 s).
 */
export async function chromiumExecutable(): Promise<string> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  try {
    return await sparticuz.executablePath();
  } catch (e) {
    throw new Error(`could not unpack the Chromium of @sparticuz/chromium (${(e as Error).message}); ` +
      "run 'npm install', or set CHROMIUM_PATH to a Chromium executable");
  }
}

/** The flags every browser starts with (no sandbox as root, no background network traffic). */
export const CHROMIUM_FLAGS: ReadonlyArray<string> = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/** True when `url` may be loaded: file:, data:, blob:, about:, or a loopback host. */
export function isAllowedUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'file:' || u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A browser context with the network blocked, and the requests it blocked. */
export interface OfflineBrowser {
  context: BrowserContext;
  blocked: string[];
  close(): Promise<void>;
}

/** Launches Chromium with a fresh user-data-dir and every non-local request blocked. */
export async function launchOffline(viewport = { width: 1280, height: 900 }): Promise<OfflineBrowser> {
  const executablePath = await chromiumExecutable();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    viewport,
    deviceScaleFactor: 1,
  });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isAllowedUrl(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  return {
    context,
    blocked,
    async close(): Promise<void> {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
