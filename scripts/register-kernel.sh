#!/usr/bin/env bash
# `npm run register-kernel`: installs a per-user "tslab" kernelspec with ABSOLUTE paths to this
# checkout's node and tslab, so that any Jupyter of this user (not only `npm start`) can run the
# notebooks. Re-run it after moving the project. Remove with: jupyter kernelspec remove tslab
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
NODE="$(command -v node)"
TSLAB="$ROOT/node_modules/tslab/bin/tslab"
[ -f "$TSLAB" ] || { echo "register-kernel: error: $TSLAB missing; run 'npm install' first" >&2; exit 1; }
if [ -x "$ROOT/.venv/bin/jupyter" ]; then JUPYTER="$ROOT/.venv/bin/jupyter"
elif command -v jupyter >/dev/null 2>&1; then JUPYTER="$(command -v jupyter)"
else echo "register-kernel: error: no jupyter found; run 'npm install' first" >&2; exit 1; fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/tslab"
"$NODE" -e '
const [node, tslab, out] = process.argv.slice(1);
const spec = {
  argv: [node, "--enable-source-maps", tslab, "kernel", "--config-path", "{connection_file}"],
  display_name: "TypeScript (tslab)",
  language: "typescript",
  metadata: { debugger: false },
};
require("fs").writeFileSync(out, JSON.stringify(spec, null, 2) + "\n");
' "$NODE" "$TSLAB" "$TMP/tslab/kernel.json"
"$JUPYTER" kernelspec install --user --replace --name tslab "$TMP/tslab"
echo "register-kernel: kernel 'tslab' now runs: $NODE --enable-source-maps $TSLAB"
