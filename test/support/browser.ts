/**
 * Headless Chromium through playwright-core, with every request blocked that is not file:, data:,
 * blob: or loopback, and page errors collected. The browser is the one inside the npm package
 * `@sparticuz/chromium` (a dev dependency: `npm install` brings it, nothing is downloaded; it unpacks
 * itself to /tmp on first use), unless CHROMIUM_PATH names another executable.
 */
import * as fs from 'node:fs';
import sparticuz from '@sparticuz/chromium';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './jupyter';

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

/** The flags every test browser starts with (no sandbox as root, no background network traffic). */
export const CHROMIUM_FLAGS: ReadonlyArray<string> = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/**
 * Page errors that are known to be harmless, with the reason. Anything else fails the tests.
 * Keep this list short and explicit.
 */
export const KNOWN_HARMLESS_PAGE_ERRORS: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  {
    pattern: /No active debugger session/,
    why: 'JupyterLab debugger extension probing a kernel without debugging support (tslab)',
  },
];

/** True when `url` may be loaded: file:, data:, blob:, or a loopback host. */
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

/** A browser context plus what its pages reported. */
export interface Browser {
  context: BrowserContext;
  /** Requests that were blocked (not file:, data:, blob: or loopback). */
  blocked: string[];
  /** Opens a new page that records its page errors and console errors. */
  newPage(): Promise<TrackedPage>;
  close(): Promise<void>;
}

/** A page with the errors it reported. */
export interface TrackedPage {
  page: Page;
  pageErrors: string[];
  consoleErrors: string[];
  /** Page errors not matched by {@link KNOWN_HARMLESS_PAGE_ERRORS}. */
  unexpectedErrors(): string[];
}

/** Launches Chromium with a fresh user-data-dir and the network blocked. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await chromiumExecutable();
  const userDataDir = tempDir('bp-chromium-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    viewport: { width: 1280, height: 900 },
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
    async newPage(): Promise<TrackedPage> {
      const page = await context.newPage();
      const pageErrors: string[] = [];
      const consoleErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(`${e.name}: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('dialog', (d) => void d.accept());
      return {
        page,
        pageErrors,
        consoleErrors,
        unexpectedErrors: () => pageErrors.filter((e) => !KNOWN_HARMLESS_PAGE_ERRORS.some((k) => k.pattern.test(e))),
      };
    },
    async close(): Promise<void> {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** In-page: the number of Plotly charts that have drawn (a `.js-plotly-plot` holding an `svg.main-svg`). */
export async function drawnCharts(page: Page, scope = 'body'): Promise<number> {
  return page.evaluate(
    (sel) =>
      Array.from(document.querySelectorAll(`${sel} .js-plotly-plot`)).filter((el) => el.querySelector('svg.main-svg'))
        .length,
    scope,
  );
}
