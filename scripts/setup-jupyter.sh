#!/usr/bin/env bash
# Creates .venv (python3 -m venv) with JupyterLab, Notebook 7, nbconvert and nbclient for the notebooks.
# Idempotent: does nothing when .venv already has them. Run by `npm install` (postinstall).
# Environment:
#   PIP_RETRIES             pip's retries per request (default 0: fail fast when an index is unreachable)
#   BACKPROP_SKIP_JUPYTER=1 skip this step (library-only installs)
#   PYTHON                  the Python to create the venv with (default python3)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VENV="$ROOT/.venv"
PACKAGES=(jupyterlab notebook nbconvert nbclient)
PYTHON="${PYTHON:-python3}"

# The signing secret of the project's trust database (.jupyter/trust/), made once here so that
# the processes that sign and check executed copies later (tests run in parallel) share it.
trust_secret() {
  (cd "$ROOT/scripts" && "$VENV/bin/python" -c 'import jupyter_project as p; p.notary()')
}

if [ "${BACKPROP_SKIP_JUPYTER:-}" = "1" ]; then
  echo "setup-jupyter: skipped (BACKPROP_SKIP_JUPYTER=1)"
  exit 0
fi

if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import jupyterlab, notebook, nbconvert, nbclient' 2>/dev/null \
   && [ -x "$VENV/bin/jupyter" ]; then
  echo "setup-jupyter: $VENV already has ${PACKAGES[*]}"
  trust_secret
  exit 0
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup-jupyter: error: $PYTHON not found. Install Python 3 (Debian/Ubuntu: apt-get install python3 python3-venv)," >&2
  echo "  or set BACKPROP_SKIP_JUPYTER=1 to install the library without Jupyter." >&2
  exit 1
fi
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "setup-jupyter: error: $PYTHON cannot create virtual environments (no venv/ensurepip module)." >&2
  echo "  Debian/Ubuntu: apt-get install python3-venv" >&2
  exit 1
fi

start=$SECONDS
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup-jupyter: creating $VENV"
  if ! "$PYTHON" -m venv "$VENV"; then
    rm -rf "$VENV"
    echo "setup-jupyter: error: '$PYTHON -m venv' failed. Debian/Ubuntu: apt-get install python3-venv" >&2
    exit 1
  fi
fi
echo "setup-jupyter: installing ${PACKAGES[*]} into $VENV"
# (grep hides a warning some machines' pip configuration prints once per package.)
set +e
PIP_RETRIES="${PIP_RETRIES:-0}" PIP_DISABLE_PIP_VERSION_CHECK=1 \
  "$VENV/bin/python" -m pip install --retries "${PIP_RETRIES:-0}" --quiet "${PACKAGES[@]}" 2>&1 \
  | grep -v "is ignored: it is neither a file nor a directory"
pip_status=${PIPESTATUS[0]}
set -e
if [ "$pip_status" -ne 0 ]; then
  echo "setup-jupyter: error: pip could not install ${PACKAGES[*]} (is a package index reachable? see 'pip config list')." >&2
  exit 1
fi
"$VENV/bin/python" -c 'import jupyterlab, notebook, nbconvert, nbclient; print("setup-jupyter: jupyterlab", jupyterlab.__version__)'
trust_secret
echo "setup-jupyter: done in $((SECONDS - start)) s"
