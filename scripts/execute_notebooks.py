#!/usr/bin/env python3
"""Execute tslab notebooks with nbclient and report what went wrong.

Usage (with the project's Jupyter environment, which sets JUPYTER_PATH to find the tslab kernelspec):

    bash scripts/jupyter-env.sh python scripts/execute_notebooks.py \
        [--out build/executed] [--summary build/executed/summary.json] \
        [--timeout 60] [--jobs 2] [NOTEBOOK ...]

Each notebook runs in its own tslab kernel whose working directory is the notebook's own folder (so
`import ... from '../dist'` resolves as in JupyterLab). The executed copy goes to --out, never over
the source. A notebook FAILS when a cell produces an `error` output or writes anything to stderr
(tslab reports compile and runtime errors on stderr only; after an error it aborts the following
cells), or when a cell exceeds the per-cell timeout. The summary JSON records, per notebook: wall
time, number of code cells, charts emitted (outputs carrying a `data-bp-plot` div), library loads
and the first failure (cell index, the head of its source, its stderr / error text).

Exit status: 0 when every notebook passed, 1 otherwise (the summary is written either way).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
PLOT_RE = re.compile(r'data-bp-plot="[^"]+"')
LIB_RE = re.compile(r"data-bp-plotly=")


def source_head(source: str, lines: int = 6) -> str:
    src = source.splitlines()
    head = "\n".join(src[:lines])
    return head + ("\n..." if len(src) > lines else "")


def output_html(output) -> str:
    if output.get("output_type") not in ("display_data", "execute_result", "update_display_data"):
        return ""
    html = output.get("data", {}).get("text/html", "")
    return "".join(html) if isinstance(html, list) else html


def inspect(nb) -> dict:
    """Counts charts and finds the first failing cell of an executed notebook."""
    charts = 0
    libraries = 0
    failure = None
    code_cells = 0
    executed_cells = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        code_cells += 1
        if cell.get("execution_count") is not None:
            executed_cells += 1
        stderr = []
        errors = []
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream" and out.get("name") == "stderr":
                stderr.append(out.get("text", ""))
            elif kind == "error":
                errors.append(f"{out.get('ename', '')}: {out.get('evalue', '')}\n" + "\n".join(out.get("traceback", [])))
            html = output_html(out)
            charts += len(PLOT_RE.findall(html))
            libraries += len(LIB_RE.findall(html))
        if (stderr or errors) and failure is None:
            failure = {
                "cell": index,
                "codeCell": code_cells,
                "sourceHead": source_head(cell.source),
                "stderr": "".join(stderr),
                "error": "\n".join(errors),
            }
    return {
        "codeCells": code_cells,
        "executedCells": executed_cells,
        "charts": charts,
        "libraryLoads": libraries,
        "failure": failure,
    }


async def run_one(path: Path, out_dir: Path, timeout: int, kernel: str, startup_timeout: int) -> dict:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        startup_timeout=startup_timeout,
        kernel_name=kernel,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.monotonic()
    message = None
    try:
        await client.async_execute()
    except CellTimeoutError as e:
        message = f"cell timed out after {timeout} s: {str(e).strip()[:500]}"
    except DeadKernelError as e:
        message = f"kernel died: {e}"
    except CellExecutionError as e:
        message = str(e).strip()[:2000] or "cell execution failed (see stderr)"
    except Exception as e:  # kernel start failures and the like
        message = f"{type(e).__name__}: {e}"
    seconds = time.monotonic() - started
    result = inspect(nb)
    if message and result["failure"] is None:
        # Find the cell that was running: the first code cell without an execution count.
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and cell.get("execution_count") is None:
                result["failure"] = {"cell": index, "sourceHead": source_head(cell.source), "stderr": "", "error": message}
                break
        else:
            result["failure"] = {"cell": None, "sourceHead": "", "stderr": "", "error": message}
    # notebooks/NAME.ipynb -> OUT/NAME.ipynb; any other notebook keeps its path below the project.
    if path.parent == ROOT / "notebooks" or not path.is_relative_to(ROOT):
        out_path = out_dir / path.name
    else:
        out_path = out_dir / path.relative_to(ROOT)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if out_path.resolve() == path.resolve():
        raise SystemExit(f"refusing to write over the source notebook {path}")
    nbformat.write(nb, out_path)
    return {
        "notebook": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
        "executed": str(out_path.relative_to(ROOT)) if out_path.is_relative_to(ROOT) else str(out_path),
        "seconds": round(seconds, 2),
        "ok": result["failure"] is None,
        **result,
    }


async def run_all(paths: list[Path], out_dir: Path, timeout: int, jobs: int, kernel: str, startup_timeout: int) -> list[dict]:
    sem = asyncio.Semaphore(jobs)

    async def guarded(p: Path) -> dict:
        async with sem:
            r = await run_one(p, out_dir, timeout, kernel, startup_timeout)
            status = "ok" if r["ok"] else "FAILED"
            print(f"  {status:6} {r['notebook']}: {r['seconds']:.1f} s, {r['codeCells']} code cells, {r['charts']} charts", flush=True)
            return r

    return list(await asyncio.gather(*(guarded(p) for p in paths)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "executed")
    ap.add_argument("--summary", type=Path, default=None, help="default: OUT/summary.json")
    ap.add_argument("--timeout", type=int, default=60, help="per-cell timeout in seconds")
    ap.add_argument("--startup-timeout", type=int, default=60, help="kernel start timeout in seconds")
    ap.add_argument("--jobs", type=int, default=2, help="notebooks run at once (each in its own kernel)")
    ap.add_argument("--kernel", default="tslab")
    args = ap.parse_args()

    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    summary_path = args.summary or args.out / "summary.json"
    if not paths:
        print("execute_notebooks: no notebooks found", file=sys.stderr)
    started = time.monotonic()
    print(f"execute_notebooks: {len(paths)} notebook(s), {args.jobs} at a time, per-cell timeout {args.timeout} s", flush=True)
    results = asyncio.run(run_all(paths, args.out.resolve(), args.timeout, max(1, args.jobs), args.kernel, args.startup_timeout))
    total = time.monotonic() - started
    summary = {
        "totalSeconds": round(total, 2),
        "jobs": args.jobs,
        "timeout": args.timeout,
        "notebooks": results,
    }
    summary_path.parent.mkdir(parents=True, exist_ok=True)
    summary_path.write_text(json.dumps(summary, indent=2) + "\n")
    failed = [r for r in results if not r["ok"]]
    for r in failed:
        f = r["failure"]
        print(f"\nFAILED {r['notebook']} at cell {f['cell']}:\n--- source ---\n{f['sourceHead']}\n"
              f"--- stderr ---\n{f['stderr'].rstrip()}\n--- error ---\n{f['error'].rstrip()}", file=sys.stderr)
    print(f"execute_notebooks: {len(results) - len(failed)} passed, {len(failed)} failed in {total:.1f} s; summary {summary_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
