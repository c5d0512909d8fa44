#!/usr/bin/env bash
# `npm start [-- PATH] [-- JUPYTER OPTIONS]`: JupyterLab at 127.0.0.1 on the project, with the
# project's tslab kernelspec and server settings (scripts/jupyter-env.sh: JUPYTER_PATH and
# JUPYTER_CONFIG_PATH = <abs>/.jupyter; the server serves plotly.js for the charts and keeps the
# project's trust database, see .jupyter/jupyter_server_config.py).
#
#   npm start                                      the notebooks (the file browser opens in notebooks/)
#   npm start -- build/executed/05-implementing-backprop.ipynb  opens that notebook (e.g. an executed copy of
#                                                  `npm run export`, a graded one in build/graded/,
#                                                  a learner's build/student/NAME.ipynb)
#   npm start -- build/executed                    the file browser opens in that folder
#   npm start -- --port 9999                       extra options go to `jupyter lab`
#   npm start -- --notebook [PATH]                 Notebook 7 instead of JupyterLab
#
# The server's root is the project folder, so every copy the project writes under build/ can be
# opened; PATH must lie inside the project (outside it, copy the file into the project first).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
[ -d "$ROOT/dist" ] || (cd "$ROOT" && npm run build)

app=lab
open_path=""
extra=()
for arg in "$@"; do
  case "$arg" in
    --notebook) app=notebook ;;
    -*) extra+=("$arg") ;;
    *)
      if [ -z "$open_path" ] && [ -e "$arg" ]; then open_path="$arg"; else extra+=("$arg"); fi ;;
  esac
done

preferred="notebooks"
url_path=""
if [ -n "$open_path" ]; then
  abs="$(cd "$(dirname "$open_path")" && pwd -P)/$(basename "$open_path")"
  case "$abs" in
    "$ROOT"/*) rel="${abs#"$ROOT"/}" ;;
    *) echo "start: $open_path is outside the project ($ROOT); copy it into the project (e.g. build/) and open the copy" >&2; exit 1 ;;
  esac
  if [ -d "$abs" ]; then preferred="$rel"; else preferred="$(dirname "$rel")"; url_path="$rel"; fi
fi

if [ "$app" = "lab" ]; then
  default_url="/lab${url_path:+/tree/$url_path}"
else
  default_url="${url_path:+/notebooks/$url_path}"
  default_url="${default_url:-/tree/$preferred}"
fi

if [ "$app" = "lab" ]; then app_class=LabApp; else app_class=JupyterNotebookApp; fi
args=("$app" --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$ROOT" --FileContentsManager.preferred_dir="$preferred"
      --"$app_class".default_url="$default_url" --MappingKernelManager.default_kernel_name=tslab)
if [ "$(id -u)" = "0" ]; then args+=(--allow-root); fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = "Linux" ]; then args+=(--no-browser); fi
if [ "$app" = "lab" ]; then name=JupyterLab; else name="Notebook 7"; fi
echo "Starting $name on $ROOT (opens ${url_path:-$preferred/}; kernel: TypeScript (tslab) from $ROOT/.jupyter)."
echo "Open the http://127.0.0.1:... URL printed below; stop with Ctrl+C."
exec bash "$ROOT/scripts/jupyter-env.sh" jupyter "${args[@]}" ${extra[@]+"${extra[@]}"}
