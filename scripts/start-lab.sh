#!/usr/bin/env bash
# `npm start`: JupyterLab on notebooks/ at 127.0.0.1, with the project's tslab kernelspec
# (JUPYTER_PATH=<abs>/.jupyter). Extra arguments go to `jupyter lab`, e.g. `npm start -- --port 9999`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
[ -d "$ROOT/dist" ] || (cd "$ROOT" && npm run build)
args=(lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$ROOT/notebooks" --MappingKernelManager.default_kernel_name=tslab)
if [ "$(id -u)" = "0" ]; then args+=(--allow-root); fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = "Linux" ]; then args+=(--no-browser); fi
echo "Starting JupyterLab on $ROOT/notebooks (kernel: TypeScript (tslab) from $ROOT/.jupyter)."
echo "Open the http://127.0.0.1:... URL printed below; stop with Ctrl+C."
exec bash "$ROOT/scripts/jupyter-env.sh" jupyter "${args[@]}" "$@"
