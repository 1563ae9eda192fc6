#!/usr/bin/env python3
"""Checks kaisim's house rules on the layout of sim/ and include/kaisim/ (README, "For
contributors"). Exits 1, naming each offending file and line, when:

- a file of a layer includes a header of a higher layer (the layer order is LAYERS below): a
  public header (`kaisim/<layer>/...`) or a private one of another folder (`../<layer>/...`,
  `sim/<layer>/...`);
- a library is included outside its folders (LIBRARIES: yaml-cpp in the folders that parse YAML,
  SQLite in store/), CUDA sources are outside sim/eval/cuda/;
- a source file in sim/ is longer than MAX_LINES lines;
- two files share a name (file names are unique across the project).
Standard library only, so any python3 runs it.
"""
import os
import pathlib
import re
import sys

# Each layer may include its own headers and those of the layers before it, never after.
# Between the simulation and the front ends, the folders of reading and writing files: the
# scenario language (scenario), the study files read with it (study_files: sweep, calibration
# and search files, posterior.csv, the JSON Schemas of every input file), the result writers
# (output), the SQLite stores (store, which export through output's CSV cells) and the HTML
# reports (report, which read the outputs back). cli (the command) and python (the Python
# module) are both front ends over them.
LAYERS = ["core", "model", "policy", "eval", "programme", "run", "study",
          "scenario", "study_files", "output", "store", "report", "cli", "python"]
# Libraries kept to the folders that use them: an include that starts so elsewhere is refused.
LIBRARIES = {"yaml-cpp/": ("scenario", "study_files"), "sqlite3.h": ("store",)}
MAX_LINES = 450
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(path: pathlib.Path, root: pathlib.Path) -> str:
    parts = path.relative_to(root).parts
    if parts[0] == "sim":
        return parts[1]
    return parts[2]  # include/kaisim/<layer>/...


def private_layer(path: pathlib.Path, target: str, root: pathlib.Path):
    """The layer of the private header `#include "target"` names from `path`, or None when
    it is not in sim/ (a generated header, a test's). A path starting with sim/ is from the
    repository's root (the Highway sources); any other from the including file's folder."""
    base = root if target.startswith("sim/") else path.parent
    resolved = pathlib.Path(os.path.normpath(base / target))
    try:
        parts = resolved.relative_to(root).parts
    except ValueError:
        return None
    return parts[1] if len(parts) > 2 and parts[0] == "sim" else None


def main() -> int:
    # The tree to check: the repository, or the folder given (the test of this script).
    here = pathlib.Path(__file__).resolve().parent.parent
    root = pathlib.Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else here
    files = [p for d in ("sim", "include/kaisim") if (root / d).is_dir()
             for p in (root / d).rglob("*") if p.suffix in (".cpp", ".hpp", ".cu")]
    order = " < ".join(LAYERS)
    problems = []
    seen = {}
    for path in sorted(files):
        rel = path.relative_to(root)
        layer = layer_of(path, root)
        if layer not in LAYERS:
            problems.append(f"{rel}: folder '{layer}' is not a layer ({', '.join(LAYERS)})")
            continue
        rank = LAYERS.index(layer)
        if path.name in seen:
            problems.append(f"{rel}: file name also used by {seen[path.name]}")
        seen.setdefault(path.name, rel)
        if path.suffix == ".cu" and rel.parts[:3] != ("sim", "eval", "cuda"):
            problems.append(f"{rel}: CUDA sources belong in sim/eval/cuda/")
        lines = path.read_text(encoding="utf-8").splitlines()
        if rel.parts[0] == "sim" and len(lines) > MAX_LINES:
            problems.append(f"{rel}: {len(lines)} lines, more than {MAX_LINES}: split it")
        for n, line in enumerate(lines, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            quoted, target = m.group(1) == '"', m.group(2)
            for prefix, folders in LIBRARIES.items():
                if target.startswith(prefix) and layer not in folders:
                    problems.append(f"{rel}:{n}: {prefix.rstrip('/')} is for "
                                    f"{' and '.join(f + '/' for f in folders)} only")
            if target.startswith("kaisim/"):
                other = target.split("/")[1]
                if other not in LAYERS:
                    problems.append(f"{rel}:{n}: includes {target}: no such layer")
                elif LAYERS.index(other) > rank:
                    problems.append(f"{rel}:{n}: {layer} includes {target}, a higher layer "
                                    f"({other}); the order is {order}")
            elif quoted:
                other = private_layer(path, target, root)
                if other is None or other == layer:
                    continue
                if other not in LAYERS:
                    problems.append(f"{rel}:{n}: includes {target}: no such layer")
                elif LAYERS.index(other) > rank:
                    problems.append(f"{rel}:{n}: {layer} includes {target}, a private header "
                                    f"of a higher layer ({other}); the order is {order}")
    for p in problems:
        print(f"check-layers: {p}")
    print(f"check-layers: {len(files)} files, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
