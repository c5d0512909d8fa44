#!/usr/bin/env python3
"""Execute a tslab notebook whose cells are EXPECTED to fail, and keep every output.

Usage (with the project's Jupyter environment, see scripts/jupyter-env.sh):

    python test/support/run_with_errors.py NOTEBOOK OUT.ipynb [--timeout 120]

Unlike scripts/execute_notebooks.py, a failing cell does not stop the run: every cell is executed
(nbclient with allow_errors), and after a failing cell the runner waits 0.5 s before sending the next
one, because tslab silently drops execute requests that arrive within about 200 ms of an error. The
executed copy is written to OUT.ipynb with each code cell's execute_reply status stored in its
metadata as `bp_reply_status` ("ok", "error" or "abort"), so that tests can check which cells failed,
and the number of iopub messages of each type the cell produced as `bp_messages` (e.g. how many
`update_display_data` updates a live output received before the saved final state).
A cell tagged `interrupt-after-2s` is interrupted (Kernel > Interrupt, SIGINT) when it has run 2 s.
The kernel runs in the notebook's own folder, as in JupyterLab. Exit status 0 when every code cell
got a reply, 1 otherwise.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


class TolerantClient(NotebookClient):
    def process_message(self, msg, cell, cell_index):
        kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type", "")
        counts = cell.metadata.setdefault("bp_messages", {})
        counts[kind] = counts.get(kind, 0) + 1
        return super().process_message(msg, cell, cell_index)

    async def _check_raise_for_error(self, cell, cell_index, exec_reply):
        status = exec_reply["content"].get("status") if exec_reply else None
        cell.metadata["bp_reply_status"] = status
        if status == "error":
            await asyncio.sleep(0.5)  # tslab drops requests that arrive within ~200 ms of an error
        return await super()._check_raise_for_error(cell, cell_index, exec_reply)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebook", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--timeout", type=int, default=120, help="per-cell timeout in seconds")
    ap.add_argument("--kernel", default="tslab")
    args = ap.parse_args()
    source = args.notebook.resolve()
    out = args.out.resolve()
    if out == source:
        raise SystemExit(f"refusing to write over the source notebook {source}")
    nb = nbformat.read(source, as_version=4)
    client = TolerantClient(
        nb, timeout=args.timeout, startup_timeout=60, kernel_name=args.kernel, allow_errors=True,
        interrupt_on_timeout=True,
        timeout_func=lambda cell: 2 if "interrupt-after-2s" in cell.metadata.get("tags", []) else args.timeout,
        record_timing=True, resources={"metadata": {"path": str(source.parent)}},
    )
    client.execute()
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    missing = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "bp_reply_status" not in c.metadata]
    if missing:
        print(f"run_with_errors: cells without a reply: {missing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
