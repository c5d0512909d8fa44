#!/usr/bin/env python3
"""Render notebooks to HTML with the course template (nbconvert, scripts/nbconvert-templates/offline).

Usage (with the project's Jupyter environment; scripts/export.ts and scripts/grade.ts call it):

    bash scripts/jupyter-env.sh python scripts/render_html.py PLAN.json

PLAN.json is a list of {"notebook": PATH.ipynb, "html": OUT.html, "title": TEXT}. Each page gets
the stylesheet scripts/page/course.css and no script or stylesheet from the network; math,
navigation and the chart library are added afterwards by scripts/lib/page.ts.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "scripts" / "nbconvert-templates"
CSS = ROOT / "scripts" / "page" / "course.css"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    plan = json.loads(Path(sys.argv[1]).read_text())
    css = CSS.read_text(encoding="utf-8")
    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES)])
    for job in plan:
        nb = nbformat.read(job["notebook"], as_version=4)
        body, _ = exporter.from_notebook_node(
            nb, resources={"metadata": {"name": job["title"], "path": str(Path(job["notebook"]).parent)}, "bp_css": css}
        )
        out = Path(job["html"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
