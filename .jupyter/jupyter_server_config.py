# The project's Jupyter server settings, read by every server the project's scripts start
# (`npm start`, `npm run start:notebook`, the browser tests): scripts/jupyter-env.sh puts this
# folder on JUPYTER_CONFIG_PATH. Paths are computed from this file, so the project can be moved.
#
# - plotly.js for the charts: the chart outputs of src/notebook/plot.ts load it from
#   <base_url>static/plotly.js, which this server serves from the npm package plotly.js-dist
#   (the notebooks then store only each chart's figure, never the 10 MB library).
# - One trust database for the project (JupyterLab's "trusted notebook" signatures):
#   .jupyter/trust/ (not committed). scripts/sign_notebooks.py signs the executed copies that
#   `npm run export` and `npm run grade` write into the same database, so they open trusted and
#   their charts draw. `bash scripts/jupyter-env.sh jupyter trust FILE.ipynb` uses it too
#   (jupyter_trust_config.py).
from pathlib import Path

_here = Path(__file__).resolve().parent
_root = _here.parent

c.ServerApp.extra_static_paths = [str(_root / "node_modules" / "plotly.js-dist")]  # noqa: F821
c.NotebookNotary.data_dir = str(_here / "trust")  # noqa: F821
