# `jupyter trust FILE.ipynb` (run through scripts/jupyter-env.sh) signs into the project's trust
# database, the one the project's Jupyter servers read (see jupyter_server_config.py).
from pathlib import Path

c.NotebookNotary.data_dir = str(Path(__file__).resolve().parent / "trust")  # noqa: F821
