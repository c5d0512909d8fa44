"""Helpers shared by the project's Python scripts: the project's trust database and import links.

- `notary()`: the NotebookNotary of the project's Jupyter servers, configured by
  .jupyter/jupyter_server_config.py (one source of truth for where signatures live).
- `sign(nb)`: marks an executed copy as trusted for those servers, so its chart scripts run when
  it is opened (`npm start -- build/executed/NAME.ipynb`).
- `link_imports(source_dir, copy_path, nb)`: an executed copy lives elsewhere than its source, so
  the relative imports of its cells (`'../dist'`) would not resolve when it is re-run; this makes
  them resolve by adding symlinks inside build/ (for example build/dist -> ../dist).
"""
from __future__ import annotations

import base64
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
SERVER_CONFIG = ROOT / ".jupyter" / "jupyter_server_config.py"

# import ... from './x' | '../x'; import './x'; require('../x')
RELATIVE_IMPORT = re.compile(r"""(?:\bfrom\s+|\bimport\s+|\brequire\s*\(\s*)['"](\.{1,2}/[^'"]*)['"]""")

_notary = None


def notary():
    """The project's NotebookNotary (its data_dir comes from .jupyter/jupyter_server_config.py)."""
    global _notary
    if _notary is None:
        from nbformat.sign import NotebookNotary
        from traitlets.config.loader import PyFileConfigLoader

        config = PyFileConfigLoader(SERVER_CONFIG.name, path=str(SERVER_CONFIG.parent)).load_config()
        _notary = NotebookNotary(config=config)
        Path(_notary.data_dir).mkdir(parents=True, exist_ok=True)
        ensure_secret(Path(_notary.secret_file))
        _notary.store  # opens (and on first use creates) the signature database now
    return _notary


def ensure_secret(secret_file: Path) -> None:
    """Creates the signing secret once, atomically.

    NotebookNotary writes a fresh random secret when it finds none. Several processes that start
    together on a fresh clone (tests, the export's kernels, a server) would each write their own,
    and a copy signed with one secret reads as untrusted with the next. So the first one links a
    complete file into place, and the others keep it.
    """
    if secret_file.exists():
        return
    tmp = secret_file.with_name(f".{secret_file.name}.{os.getpid()}")
    tmp.write_bytes(base64.encodebytes(os.urandom(1024)))
    os.chmod(tmp, 0o600)
    try:
        os.link(tmp, secret_file)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def sign(nb) -> None:
    """Signs `nb` (as it will be written) in the project's trust database."""
    notary().sign(nb)


def is_trusted(nb) -> bool:
    return bool(notary().check_signature(nb))


def relative_imports(nb) -> list[str]:
    """The relative module specifiers imported by the notebook's code cells, in order, unique."""
    seen: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for spec in RELATIVE_IMPORT.findall(cell.source):
            if spec not in seen:
                seen.append(spec)
    return seen


def link_imports(source_dir: Path, copy_path: Path, nb) -> list[str]:
    """Symlinks that make the notebook's relative imports resolve from `copy_path`'s folder as they
    do from `source_dir`. Only links inside build/ are made; returns the links created."""
    made = []
    copy_dir = copy_path.parent.resolve()
    source_dir = source_dir.resolve()
    for spec in relative_imports(nb):
        parts = [p for p in spec.split("/") if p not in ("", ".")]
        ups = 0
        while ups < len(parts) and parts[ups] == "..":
            ups += 1
        if ups == len(parts):
            continue
        head = Path(*parts[: ups + 1])  # e.g. ../dist
        target = Path(os.path.normpath(source_dir / head))
        link = Path(os.path.normpath(copy_dir / head))
        if link == target or not target.exists():
            continue
        if os.path.lexists(link):
            continue  # an existing file, folder or link wins
        if not link.is_relative_to(BUILD):
            continue
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(target, link.parent), link, target_is_directory=target.is_dir())
        made.append(str(link))
    return made
