#!/usr/bin/env bash
# Runs a command with the project's Jupyter environment:
#   JUPYTER_PATH=<absolute path of .jupyter>         (finds the committed tslab kernelspec)
#   JUPYTER_CONFIG_PATH=<absolute path of .jupyter>  (the project's server config: serves plotly.js,
#                                                     project trust database; see .jupyter/*.py)
#   PATH=.venv/bin:node_modules/.bin:$PATH    (jupyter, python, tslab)
# Usage: bash scripts/jupyter-env.sh COMMAND [ARGS...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
if [ ! -x "$ROOT/.venv/bin/jupyter" ]; then
  echo "error: $ROOT/.venv has no Jupyter; run 'npm install' (or 'bash scripts/setup-jupyter.sh')" >&2
  exit 1
fi
export JUPYTER_PATH="$ROOT/.jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_CONFIG_PATH="$ROOT/.jupyter${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
export PATH="$ROOT/.venv/bin:$ROOT/node_modules/.bin:$PATH"
export PYTHONNOUSERSITE=1
exec "$@"
