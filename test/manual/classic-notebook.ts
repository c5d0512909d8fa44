/**
 * Manual check (not part of `npm test`): the notebooks in Debian's classic Notebook 6
 * (`apt-get install jupyter-notebook`). Starts it on a temp copy of notebooks/ (loopback, token off,
 * stopped by pid), runs Cell > Run All in each notebook, counts drawn charts and stderr outputs,
 * saves and reloads the first one, and writes build/screenshots/classic-*.png.
 * Run: node --import tsx test/manual/classic-notebook.ts
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { drawnCharts, launchBrowser } from '../support/browser';
import { courseNotebooks, freePort, jupyterEnv, ROOT, SCREENSHOT_DIR, tempDir } from '../support/jupyter';

const NOTEBOOK = '/usr/bin/jupyter-notebook';

async function main(): Promise<number> {
  if (!fs.existsSync(NOTEBOOK)) {
    console.error(`${NOTEBOOK} not found: apt-get install jupyter-notebook`);
    return 1;
  }
  const ws = tempDir('bp-classic-');
  fs.mkdirSync(path.join(ws, 'notebooks'));
  const names = courseNotebooks().map((p) => path.basename(p));
  for (const n of names) fs.copyFileSync(path.join(ROOT, 'notebooks', n), path.join(ws, 'notebooks', n));
  fs.symlinkSync(path.join(ROOT, 'dist'), path.join(ws, 'dist'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(ws, 'node_modules'));
  const state = tempDir('bp-classic-state-');
  const port = await freePort();
  const args = ['--no-browser', '--ip=127.0.0.1', `--port=${port}`, `--notebook-dir=${ws}`, '--NotebookApp.token='];
  if (process.getuid && process.getuid() === 0) args.push('--allow-root');
  const child = spawn(NOTEBOOK, args, {
    env: jupyterEnv({ JUPYTER_CONFIG_DIR: `${state}/config`, JUPYTER_DATA_DIR: `${state}/data`, JUPYTER_RUNTIME_DIR: `${state}/runtime` }),
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${url}/api/status`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const browser = await launchBrowser();
  let failures = 0;
  try {
    for (const n of names) {
      const tracked = await browser.newPage();
      const { page } = tracked;
      await page.goto(`${url}/notebooks/notebooks/${n}`);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await page.waitForFunction(() => (window as any).IPython?.notebook?.kernel?.is_connected?.(), null, { timeout: 60_000 });
      await page.click('#celllink');
      await page.click('#run_all_cells');
      await page.waitForFunction(
        () => {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          const nb = (window as any).IPython.notebook;
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          return nb.get_cells().filter((c: any) => c.cell_type === 'code').every((c: any) => c.input_prompt_number != null && c.input_prompt_number !== '*');
        },
        null,
        { timeout: 120_000 },
      );
      await page.waitForTimeout(1500);
      const divs = await page.locator('[data-bp-plot]').count();
      const drawn = await drawnCharts(page);
      const stderr = await page.locator('.output_stderr, .output_error').count();
      const ok = drawn >= divs && stderr === 0 && tracked.pageErrors.length === 0;
      failures += ok ? 0 : 1;
      console.log(`${ok ? 'ok    ' : 'FAILED'} ${n}: ${drawn}/${divs} charts drawn, ${stderr} stderr outputs, page errors: ${JSON.stringify(tracked.pageErrors)}`);
      await page.evaluate(() => document.querySelector('.js-plotly-plot')?.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `classic-${path.basename(n, '.ipynb')}.png`) });
      if (n === names[0]) {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+s');
        await page.waitForTimeout(2000);
        const again = await browser.newPage();
        await again.page.goto(`${url}/notebooks/notebooks/${n}`);
        await again.page.waitForTimeout(6000);
        const redrawn = await drawnCharts(again.page);
        failures += redrawn >= divs ? 0 : 1;
        console.log(`  after save + reload: ${redrawn}/${divs} charts drawn`);
        await again.page.close({ runBeforeUnload: false });
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await page.evaluate(() => (window as any).IPython.notebook.kernel.kill());
      await page.close({ runBeforeUnload: false });
    }
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(state, { recursive: true, force: true });
  }
  console.log(`${names.length - failures} passed, ${failures} failed`);
  return failures ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
