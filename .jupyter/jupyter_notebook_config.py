# Classic Notebook 6 (not a CI dependency; see docs/notebooks-tooling.md) reads this file, not
# jupyter_server_config.py: the same settings, for its NotebookApp.
from pathlib import Path

_here = Path(__file__).resolve().parent
c.NotebookApp.extra_static_paths = [str(_here.parent / "node_modules" / "plotly.js-dist")]  # noqa: F821
c.NotebookNotary.data_dir = str(_here / "trust")  # noqa: F821
