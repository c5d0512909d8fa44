/**
 * Headless Chromium through playwright-core, with every request blocked that is not file:, data:,
 * blob: or loopback, and page errors collected. The browser and its flags come from
 * scripts/lib/browser.ts (the Chromium inside the npm package `@sparticuz/chromium`, or
 * CHROMIUM_PATH), shared with the export's PDF step.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumExecutable, CHROMIUM_FLAGS, isAllowedUrl, launchOffline } from '../../scripts/lib/browser';

export { chromiumExecutable, CHROMIUM_FLAGS, isAllowedUrl };

/**
 * Page errors that are known to be harmless, with the reason. Anything else fails the tests.
 * Keep this list short and explicit.
 */
export const KNOWN_HARMLESS_PAGE_ERRORS: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  {
    pattern: /No active debugger session/,
    why: 'JupyterLab debugger extension probing a kernel without debugging support (tslab)',
  },
  {
    pattern: /^TypeError: Cannot read properties of undefined \(reading 'schema'\)$/,
    why: "Notebook 7's keyboard-shortcuts plugin reads a plugin's settings schema before it is loaded; " +
      'it happens on opening any notebook, before any of this project\'s code runs (upstream)',
  },
];

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
export async function launchBrowser(viewport?: { width: number; height: number }): Promise<Browser> {
  const offline = await launchOffline(viewport);
  const { context, blocked } = offline;
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
    close: () => offline.close(),
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
