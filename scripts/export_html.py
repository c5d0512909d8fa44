#!/usr/bin/env python3
"""`npm run export`: executed, self-contained, offline HTML of the notebooks.

Usage (with the project's Jupyter environment):

    bash scripts/jupyter-env.sh python scripts/export_html.py [--force] [--out build/html] [NOTEBOOK ...]

For each notebook (default notebooks/*.ipynb) it takes the executed copy in build/executed/ when that
is newer than the notebook and than dist/ (as `npm run test:notebooks` leaves it), and otherwise
executes the notebook first (scripts/execute_notebooks.py: tslab kernel, fails on errors or stderr).
It writes, never over the sources:

    build/html/NAME.html           the full notebook (code and outputs)
    build/html/report/NAME.html    the --no-input variant (prose and outputs only)
    build/html/index.html          links to both, with execution time and chart count
    build/html/export-summary.json sizes and counts

Each page is one file that works from disk with no network: the charts come from the plotly.js the
notebook's loadPlotly() cell emitted, and math is typeset by MathJax 3 (tex-svg-full, inlined from
the npm package `mathjax`; SVG output needs no web fonts). RequireJS, CDN MathJax and CDN Mermaid
tags of nbconvert's lab template are removed (template scripts/nbconvert-templates/offline).
"""
from __future__ import annotations

import argparse
import asyncio
import html
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import execute_notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "scripts" / "nbconvert-templates"
MATHJAX = ROOT / "node_modules" / "mathjax" / "es5" / "tex-svg-full.js"
EXTERNAL_RESOURCE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def newest_mtime(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)


def title_of(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


def exporter(no_input: bool) -> HTMLExporter:
    e = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES)])
    if no_input:
        e.exclude_input = True
        e.exclude_input_prompt = True
        e.exclude_output_prompt = True
    return e


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "html")
    ap.add_argument("--executed", type=Path, default=ROOT / "build" / "executed")
    ap.add_argument("--force", action="store_true", help="execute even when a fresh executed copy exists")
    ap.add_argument("--timeout", type=int, default=60, help="per-cell timeout when executing")
    args = ap.parse_args()

    if not MATHJAX.exists():
        print(f"export: {MATHJAX} is missing: run 'npm install'", file=sys.stderr)
        return 1
    sources = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not sources:
        print("export: no notebooks", file=sys.stderr)
        return 1
    out = args.out.resolve()
    executed_dir = args.executed.resolve()
    started = time.monotonic()

    # 1. Executed copies: reuse fresh ones, execute the rest.
    dist_time = newest_mtime(ROOT / "dist")
    executed: dict[Path, Path] = {}
    stale = []
    for src in sources:
        copy = executed_dir / src.name
        if not args.force and copy.exists() and copy.stat().st_mtime > max(src.stat().st_mtime, dist_time):
            executed[src] = copy
        else:
            stale.append(src)
    timings: dict[str, dict] = {}
    summary_file = executed_dir / "summary.json"
    if summary_file.exists():
        for r in json.loads(summary_file.read_text()).get("notebooks", []):
            timings[Path(r["executed"]).name] = r
    if stale:
        print(f"export: executing {len(stale)} notebook(s)", flush=True)
        results = asyncio.run(execute_notebooks.run_all(stale, executed_dir, args.timeout, 2, "tslab", 60))
        failed = [r for r in results if not r["ok"]]
        for r in results:
            timings[Path(r["executed"]).name] = r
        if failed:
            for r in failed:
                f = r["failure"]
                print(f"export: {r['notebook']} failed at cell {f['cell']}:\n{f['sourceHead']}\n{f['stderr']}{f['error']}", file=sys.stderr)
            return 1
        for src in stale:
            executed[src] = executed_dir / src.name
    print(f"export: {len(sources) - len(stale)} fresh executed copies reused", flush=True)

    # 2. HTML, full and report (--no-input).
    mathjax = MATHJAX.read_text(encoding="utf-8").replace("</script", "<\\/script")
    (out / "report").mkdir(parents=True, exist_ok=True)
    rows = []
    for src in sources:
        nb = nbformat.read(executed[src], as_version=4)
        name = src.stem
        entry = {"notebook": str(src.relative_to(ROOT)) if src.is_relative_to(ROOT) else str(src), "title": title_of(nb, name)}
        for variant, no_input, target in (("full", False, out / f"{name}.html"), ("report", True, out / "report" / f"{name}.html")):
            if target.resolve() == src.resolve():
                raise SystemExit("refusing to write over a source")
            body, _ = exporter(no_input).from_notebook_node(
                nb, resources={"metadata": {"name": entry["title"], "path": str(src.parent)}, "offline_mathjax": mathjax}
            )
            external = EXTERNAL_RESOURCE.findall(body)
            if external:
                print(f"export: {target.name} still loads external resources: {external[:3]}", file=sys.stderr)
                return 1
            target.write_text(body, encoding="utf-8")
            entry[variant] = str(target.relative_to(out))
            entry[f"{variant}Bytes"] = target.stat().st_size
        t = timings.get(executed[src].name, {})
        entry["seconds"] = t.get("seconds")
        entry["charts"] = t.get("charts")
        rows.append(entry)
        print(f"  {name}: {entry['fullBytes'] / 1e6:.1f} MB, report {entry['reportBytes'] / 1e6:.1f} MB", flush=True)

    # 3. Index.
    items = "\n".join(
        f'<tr><td><a href="{html.escape(r["full"])}">{html.escape(r["title"])}</a></td>'
        f'<td><a href="{html.escape(r["report"])}">report</a></td>'
        f'<td>{r["charts"] if r["charts"] is not None else ""}</td>'
        f'<td>{"" if r["seconds"] is None else "%.1f s" % r["seconds"]}</td>'
        f'<td>{r["fullBytes"] / 1e6:.1f} MB</td></tr>'
        for r in rows
    )
    (out / "index.html").write_text(
        f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backprop Notebooks</title>
<style>
body {{ font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1f2937; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ padding: .4rem .6rem; border-bottom: 1px solid #e5e7eb; text-align: left; }}
td:nth-child(n+3), th:nth-child(n+3) {{ text-align: right; color: #6b7280; }}
</style></head>
<body>
<h1>Backprop Notebooks</h1>
<p>Back-propagation from scratch in TypeScript. Each notebook was executed with the tslab kernel; every page works offline.
"report" pages hide the code.</p>
<table><thead><tr><th>Notebook</th><th>Without code</th><th>Charts</th><th>Run time</th><th>Size</th></tr></thead>
<tbody>
{items}
</tbody></table>
</body></html>
""",
        encoding="utf-8",
    )
    (out / "export-summary.json").write_text(json.dumps({"notebooks": rows}, indent=2) + "\n")
    total = sum(r["fullBytes"] + r["reportBytes"] for r in rows)
    print(f"export: {len(rows)} notebook(s) -> {out} ({total / 1e6:.1f} MB in all) in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
