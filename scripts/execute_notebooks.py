#!/usr/bin/env python3
"""Execute tslab notebooks with nbclient and report what went wrong.

Usage (with the project's Jupyter environment, which sets JUPYTER_PATH to find the tslab kernelspec):

    bash scripts/jupyter-env.sh python scripts/execute_notebooks.py \
        [--out build/executed] [--summary build/executed/summary.json] \
        [--timeout 60] [--jobs 2] [--grade] [--cwd DIR] [NOTEBOOK ...]

Each notebook runs in its own tslab kernel whose working directory is the notebook's own folder (so
`import ... from '../dist'` resolves as in JupyterLab; `--cwd` runs every notebook from another
folder). The executed copy goes to --out, never over the source; it is signed in the project's
trust database (so its charts draw when opened with `npm start -- PATH`), and symlinks inside
build/ make its relative imports resolve from where it lies (build/dist -> ../dist), so it re-runs.

Default mode: a notebook FAILS when a cell produces an `error` output or writes anything to stderr
(tslab reports compile and runtime errors on stderr only; after an error it aborts the following
cells), or when a cell exceeds the per-cell timeout.

--grade mode (used by `npm run grade`): every code cell runs, whatever happened before it. A cell
that fails is recorded and the next one runs after a pause (tslab drops execute requests arriving
within 200 ms of an error; a dropped request is detected by its "abort" reply and sent again). A
cell that exceeds the time limit, or kills the kernel, is recorded; the kernel is restarted and
the cells that had succeeded are run again (outputs discarded) to rebuild the state, then grading
goes on with the next cell. Each cell's status is in the summary ("cells").

The summary JSON records, per notebook: wall time, bytes of the executed copy, number of code
cells, charts emitted (outputs carrying a `data-bp-plot` div) and the first failure (cell index,
the head of its source, its stderr / error text).

Exit status: 0 when every notebook passed (--grade: when every notebook could be run), 1 otherwise
(the summary is written either way).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import jupyter_project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PLOT_RE = re.compile(r'data-bp-plot="[^"]+"')
# After an error tslab drops execute requests arriving within 200 ms: wait longer than that.
AFTER_ERROR_PAUSE = 0.35
# Grading: seconds past a cell's time limit after which the runner stops waiting for nbclient.
WATCHDOG = 30


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
        "failure": failure,
    }


def default_out_path(path: Path, out_dir: Path) -> Path:
    """notebooks/NAME.ipynb -> OUT/NAME.ipynb; any other notebook keeps its path below the project."""
    if path.parent == ROOT / "notebooks" or not path.is_relative_to(ROOT):
        return out_dir / path.name
    return out_dir / path.relative_to(ROOT)


def finish_copy(nb, path: Path, out_path: Path, cwd: Path) -> list[str]:
    """Writes the executed copy: signed (trusted in the project's servers), imports linked."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if out_path.resolve() == path.resolve():
        raise SystemExit(f"refusing to write over the source notebook {path}")
    links = jupyter_project.link_imports(cwd, out_path, nb)
    jupyter_project.sign(nb)
    nbformat.write(nb, out_path)
    return links


async def run_one(path: Path, out_path: Path, cwd: Path, timeout: int, kernel: str, startup_timeout: int) -> dict:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        startup_timeout=startup_timeout,
        kernel_name=kernel,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": str(cwd)}},
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
    finish_copy(nb, path, out_path, cwd)
    return {
        "notebook": rel(path),
        "executed": rel(out_path),
        "seconds": round(seconds, 2),
        "bytes": out_path.stat().st_size,
        "ok": result["failure"] is None,
        **result,
    }


def rel(p: Path) -> str:
    return str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p)


def cell_text(cell, name: str) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == name)


async def run_graded(path: Path, out_path: Path, cwd: Path, timeout: int, kernel: str, startup_timeout: int) -> dict:
    """Runs every code cell whatever happens (see --grade); records each cell's status."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        startup_timeout=startup_timeout,
        kernel_name=kernel,
        allow_errors=True,
        record_timing=True,
        interrupt_on_timeout=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    replies: dict[int, str] = {}

    def on_executed(cell, cell_index, execute_reply):
        replies[cell_index] = (execute_reply or {}).get("content", {}).get("status", "none")

    client.on_cell_executed = on_executed
    # After a timeout nbclient leaves its output-polling task behind; once the kernel restarts that
    # task ends with queue.Empty, which asyncio would print as "Task exception was never retrieved".
    loop = asyncio.get_running_loop()
    default_handler = loop.get_exception_handler()

    def quiet(loop, context):
        if type(context.get("exception")).__name__ == "Empty":
            return
        if default_handler:
            default_handler(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(quiet)
    started = time.monotonic()
    cells: list[dict] = []
    restarts = 0
    problem = None

    def drop_stale_tasks() -> None:
        # nbclient leaves the output-polling task of a timed-out cell running; it would swallow
        # the IOPub messages of the cells that follow. Cancel it.
        for task in asyncio.all_tasks():
            coro = task.get_coro()
            frame = getattr(coro, "cr_frame", None)
            if getattr(coro, "__name__", "") in ("_async_poll_output_msg", "_async_poll_kernel_alive") and frame is not None \
                    and frame.f_locals.get("self") is client and task is not asyncio.current_task():
                task.cancel()

    async def restart(succeeded: list[int]) -> None:
        """A fresh kernel (new process, new ports, new client), then the state rebuilt."""
        nonlocal restarts
        restarts += 1
        drop_stale_tasks()
        client.shutdown_kernel = "immediate"  # a kernel stuck in a loop answers no shutdown request
        try:
            await client._async_cleanup_kernel()
        except Exception:  # noqa: BLE001 - it is being replaced anyway
            pass
        client.shutdown_kernel = "graceful"
        client.km = client.create_kernel_manager()
        await client.async_start_new_kernel()
        await client.async_start_new_kernel_client()
        # Rebuild the state: run again the cells that had succeeded, outputs discarded.
        for j in succeeded:
            msg_id = client.kc.execute(nb.cells[j].source, store_history=False, stop_on_error=False)
            reply = await asyncio.wait_for(client.async_wait_for_reply(msg_id, nb.cells[j]), timeout + WATCHDOG)
            if reply is not None and reply["content"].get("status") != "ok":
                await asyncio.sleep(AFTER_ERROR_PAUSE)

    try:
        async with client.async_setup_kernel():
            succeeded: list[int] = []
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                record = {"cell": index, "id": cell.get("id"), "tags": list(cell.metadata.get("tags", [])), "attempts": 0}
                t0 = time.monotonic()
                status = "ok"
                detail = ""
                for attempt in range(4):
                    record["attempts"] = attempt + 1
                    try:
                        await asyncio.wait_for(client.async_execute_cell(cell, index), timeout + WATCHDOG)
                    except (CellTimeoutError, asyncio.TimeoutError):
                        status, detail = "timeout", f"the cell did not finish within the time limit of {timeout} s"
                        cell.outputs.append(nbformat.v4.new_output("stream", name="stderr", text=f"[grader] {detail}; the kernel was restarted\n"))
                        await restart(succeeded)
                        break
                    except DeadKernelError:
                        status, detail = "dead", "the kernel died while running this cell"
                        cell.outputs.append(nbformat.v4.new_output("stream", name="stderr", text=f"[grader] {detail}; the kernel was restarted\n"))
                        await restart(succeeded)
                        break
                    reply = replies.pop(index, "none")
                    reply_ok = reply == "ok"
                    stderr = cell_text(cell, "stderr")
                    errors = [o for o in cell.outputs if o.get("output_type") == "error"]
                    if reply in ("abort", "aborted") and not cell.outputs:
                        # tslab answered "abort": the request arrived right after an error. Send it again.
                        status, detail = "dropped", "the kernel dropped the request (it arrived right after an error)"
                        await asyncio.sleep(AFTER_ERROR_PAUSE)
                        continue
                    if errors or stderr or not reply_ok:
                        status = "error"
                        detail = (stderr or "\n".join(f"{e.get('ename', '')}: {e.get('evalue', '')}" for e in errors)).strip()[:2000]
                        await asyncio.sleep(AFTER_ERROR_PAUSE)
                    else:
                        status, detail = "ok", ""
                    break
                if status == "ok":
                    succeeded.append(index)
                record.update(status=status, detail=detail, seconds=round(time.monotonic() - t0, 2), stdout=cell_text(cell, "stdout"))
                cells.append(record)
    except Exception as e:  # the kernel could not start, or could not be restarted
        problem = f"{type(e).__name__}: {e}"
    seconds = time.monotonic() - started
    result = inspect(nb)
    finish_copy(nb, path, out_path, cwd)
    return {
        "notebook": rel(path),
        "executed": rel(out_path),
        "seconds": round(seconds, 2),
        "bytes": out_path.stat().st_size,
        "ok": problem is None,
        "problem": problem,
        "restarts": restarts,
        "cells": cells,
        **result,
    }


async def run_all(jobs_list: list[dict], timeout: int, jobs: int, kernel: str, startup_timeout: int, grade: bool = False) -> list[dict]:
    """jobs_list: [{"source": Path, "executed": Path, "cwd": Path}]."""
    sem = asyncio.Semaphore(jobs)

    async def guarded(job: dict) -> dict:
        async with sem:
            runner = run_graded if grade else run_one
            r = await runner(job["source"], job["executed"], job["cwd"], timeout, kernel, startup_timeout)
            status = "ok" if r["ok"] else "FAILED"
            print(f"  {status:6} {r['notebook']}: {r['seconds']:.1f} s, {r['codeCells']} code cells, {r['charts']} charts", flush=True)
            return r

    return list(await asyncio.gather(*(guarded(j) for j in jobs_list)))


def dump_tasks(*_args) -> None:
    """SIGUSR1: print the stack of every asyncio task (to see where a run waits)."""
    for task in asyncio.all_tasks():
        task.print_stack(file=sys.stderr)


def main() -> int:
    import signal
    signal.signal(signal.SIGUSR1, lambda *_: asyncio.get_event_loop().call_soon_threadsafe(dump_tasks))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "executed")
    ap.add_argument("--summary", type=Path, default=None, help="default: OUT/summary.json")
    ap.add_argument("--timeout", type=int, default=60, help="per-cell timeout in seconds")
    ap.add_argument("--startup-timeout", type=int, default=60, help="kernel start timeout in seconds")
    ap.add_argument("--jobs", type=int, default=2, help="notebooks run at once (each in its own kernel)")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--grade", action="store_true", help="run every cell whatever fails; record each cell's status")
    ap.add_argument("--cwd", type=Path, default=None, help="the kernel's working directory (default: each notebook's folder)")
    ap.add_argument("--plan", type=Path, default=None,
                    help='JSON list of {"source", "executed", "cwd"?}: explicit copies (overrides NOTEBOOK and --out)')
    args = ap.parse_args()

    if args.plan:
        plan = json.loads(args.plan.read_text())
        jobs_list = [
            {"source": Path(j["source"]).resolve(), "executed": Path(j["executed"]).resolve(),
             "cwd": Path(j.get("cwd") or Path(j["source"]).parent).resolve()}
            for j in plan
        ]
    else:
        paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
        out_dir = args.out.resolve()
        jobs_list = [
            {"source": p, "executed": default_out_path(p, out_dir), "cwd": (args.cwd.resolve() if args.cwd else p.parent)}
            for p in paths
        ]
    summary_path = args.summary or args.out / "summary.json"
    if not jobs_list:
        print("execute_notebooks: no notebooks found", file=sys.stderr)
    started = time.monotonic()
    mode = "grading" if args.grade else "executing"
    print(f"execute_notebooks: {mode} {len(jobs_list)} notebook(s), {args.jobs} at a time, per-cell timeout {args.timeout} s", flush=True)
    results = asyncio.run(run_all(jobs_list, args.timeout, max(1, args.jobs), args.kernel, args.startup_timeout, args.grade))
    total = time.monotonic() - started
    summary = {
        "totalSeconds": round(total, 2),
        "jobs": args.jobs,
        "timeout": args.timeout,
        "grade": args.grade,
        "notebooks": results,
    }
    summary_path.parent.mkdir(parents=True, exist_ok=True)
    summary_path.write_text(json.dumps(summary, indent=2) + "\n")
    failed = [r for r in results if not r["ok"]]
    for r in failed:
        if args.grade:
            print(f"\nFAILED {r['notebook']}: {r['problem']}", file=sys.stderr)
            continue
        f = r["failure"]
        print(f"\nFAILED {r['notebook']} at cell {f['cell']}:\n--- source ---\n{f['sourceHead']}\n"
              f"--- stderr ---\n{f['stderr'].rstrip()}\n--- error ---\n{f['error'].rstrip()}", file=sys.stderr)
    print(f"execute_notebooks: {len(results) - len(failed)} passed, {len(failed)} failed in {total:.1f} s; summary {summary_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
