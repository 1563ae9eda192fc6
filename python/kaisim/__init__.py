"""kaisim in Python: scenarios, runs, Monte Carlo, comparisons, sweeps, calibrations and policy
searches with their tables as pandas DataFrames.

    import kaisim
    sc = kaisim.load("scenarios/k-ai-2025.yaml")
    mc = kaisim.monte_carlo(sc, replicates=200)
    mc.teams.head()          # P(finalist), ability, ... per team (mc_teams.csv)
    mc.summary["metrics"]    # mc_summary.json as a dict
    mc.write("out/mc")       # the files `kaisim run --replicates` writes

Tables are read from the very text the command line writes to its CSV files, so a DataFrame and
a file never disagree. Simulations release the GIL; Ctrl-C stops them between batches.
"""
from __future__ import annotations

import io
import json
import operator
import os
import shutil
import tempfile
from typing import Callable, Iterable, Mapping, Optional

import pandas as pd

from . import _kaisim

__all__ = ["InputError", "Scenario", "load", "run", "monte_carlo", "compare", "sweep",
           "calibrate", "optimise", "version"]

version = _kaisim.version
InputError = _kaisim.InputError
InputError.__doc__ = ("Bad input (a ValueError): .file, .line, .column and .message say where and "
                      "what, as the command's file:line:col errors do.")
Scenario = _kaisim.Scenario

# Report assets: the build tree's (build/python/kaisim -> build/share/kaisim/reports), or the
# installed ones (PREFIX/lib/python3/dist-packages/kaisim -> PREFIX/share/kaisim/reports).
_here = os.path.dirname(os.path.abspath(__file__))
for _assets in (os.path.join(_here, "..", "..", "share", "kaisim", "reports"),
                os.path.join(_here, "..", "..", "..", "..", "share", "kaisim", "reports")):
    if os.path.isdir(os.path.join(_assets, "specs")):
        _kaisim.set_report_assets_dir(os.path.realpath(_assets))
        break


def _table(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])


class Result:
    """Output of one call: DataFrames per CSV table, dicts per JSON file, the terminal summary."""

    kind = ""
    tables: Mapping[str, str] = {}
    summary_file = ""

    def __init__(self, files: Iterable[tuple]):
        files = dict(files)  # in the order the command writes them
        self._files = {name: text for name, text in files.items() if name != "table"}
        self.text = files.get("table", "")
        for attribute, name in self.tables.items():
            setattr(self, attribute, _table(files[name]) if name in files else None)

    def __str__(self) -> str:
        return self.text

    @property
    def summary(self) -> dict:
        """The result's JSON summary file as a dict."""
        return json.loads(self._files[self.summary_file])

    def write(self, directory: str, xlsx: bool = False) -> str:
        """Writes the files the command would write into `directory` (all or nothing, with the
        folder's manifest, so `kaisim report DIRECTORY` works), and results.xlsx with `xlsx`;
        returns the directory."""
        directory = _path(directory, "directory")
        _kaisim.write_outputs(directory, self.kind, self._files)
        if xlsx:
            _kaisim.write_workbook(directory)
        return directory

    def report(self, directory: str) -> str:
        """Writes the files and a self-contained report.html; returns the report's path."""
        self.write(directory)
        directory = _path(directory, "directory")
        path = os.path.join(directory, "report.html")
        _kaisim.write_report(directory, path)
        return path


class RunResult(Result):
    """One replicate: teams, stages, timeline, consortia (DataFrames), summary (dict)."""
    kind = "run"
    tables = {"teams": "teams.csv", "stages": "stages.csv", "timeline": "timeline.csv",
              "consortia": "consortia.csv"}
    summary_file = "summary.json"


class MonteCarloResult(Result):
    """A Monte Carlo: teams (mc_teams), fields (mc_fields) as DataFrames, summary (dict)."""
    kind = "monte_carlo"
    tables = {"teams": "mc_teams.csv", "fields": "mc_fields.csv"}
    summary_file = "mc_summary.json"

    @property
    def metrics(self) -> pd.DataFrame:
        """The summary's metrics as a table (one row per metric)."""
        rows = self.summary["metrics"]
        return pd.DataFrame(rows if isinstance(rows, list) else
                            [dict(name=k, **v) for k, v in rows.items()])


class Comparison(Result):
    """A paired comparison: comparison (DataFrame, compare.csv), summary (dict)."""
    kind = "compare"
    tables = {"comparison": "compare.csv"}
    summary_file = "compare.json"


class SweepResult(Result):
    """A sweep: points (DataFrame, sweep.csv) and indices (sensitivity.csv, Sobol'/Morris)."""
    kind = "sweep"
    tables = {"points": "sweep.csv", "indices": "sensitivity.csv"}


class CalibrationResult(Result):
    """A calibration: posterior (DataFrame), summary (dict), calibrated (the overlay's YAML)."""
    kind = "calibration"
    tables = {"posterior": "posterior.csv"}
    summary_file = "calibration.json"

    @property
    def calibrated(self) -> str:
        return self._files["calibrated.yaml"]


class SearchResult(Result):
    """A policy search: front (pareto.csv), evaluated (every policy run), convergence
    (DataFrames), summary (optimise.json), overlays (pareto-N.yaml texts by candidate number)."""
    kind = "optimise"
    tables = {"front": "pareto.csv", "evaluated": "evaluated.csv", "convergence": "convergence.csv"}
    summary_file = "optimise.json"

    @property
    def overlays(self) -> dict:
        return {int(name[len("pareto-"):-len(".yaml")]): text for name, text in self._files.items()
                if name.startswith("pareto-") and name.endswith(".yaml")}


# The checks the command line's options make (sim/cli: --seed 0..2^32-2, --replicates up to
# 2^32-2, --threads 1..1024), made here so that a bad argument says which and why instead of
# pybind11's "incompatible function arguments".
_MAX_U32 = 0xFFFFFFFE


def _path(value, what: str) -> str:
    """A file or folder argument: a str or an os.PathLike of one, never str() of anything."""
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str):
            if not path or "\0" in path:
                raise ValueError(f"{what} is empty" if not path else f"{what} holds a NUL")
            return path
    raise TypeError(f"{what} must be a str or os.PathLike, not {type(value).__name__}")


def _paths(values, what: str) -> list:
    if isinstance(values, (str, os.PathLike)):
        raise TypeError(f"{what} must be a list of paths, not one path (write [{values!r}])")
    try:
        return [_path(v, f"each of {what}") for v in values]
    except TypeError as e:
        if not hasattr(values, "__iter__"):
            raise TypeError(f"{what} must be a list of paths, not {type(values).__name__}") from e
        raise


def _whole(value, what: str, low: int, high: int) -> int:
    """An int, or anything that is one (numpy's integers: operator.index), never a bool."""
    try:
        if isinstance(value, bool):
            raise TypeError
        value = operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be a whole number, not {type(value).__name__}") from None
    if not low <= value <= high:
        raise ValueError(f"{what} must be in {low}..{high}, got {value}")
    return value


def _seed(seed: Optional[int]) -> Optional[int]:
    return None if seed is None else _whole(seed, "seed", 0, _MAX_U32)


def _scenario(value, what: str) -> Scenario:
    if not isinstance(value, Scenario):
        raise TypeError(f"{what} must be a kaisim.Scenario (from kaisim.load), not "
                        f"{type(value).__name__}")
    return value


def _set_texts(values: Optional[Mapping[str, object]]) -> list:
    if values is not None and not isinstance(values, Mapping):
        raise TypeError("set must be a mapping of paths to values ({'stages[2].cut.keep': 3}), "
                        f"not {type(values).__name__}")
    texts = []
    for path, value in (values or {}).items():
        if not isinstance(path, str):
            raise TypeError(f"set: a path must be a str, not {type(path).__name__}")
        if isinstance(value, bool):
            value = "true" if value else "false"
        texts.append(f"{path}={value}")
    return texts


def load(path: str, overlays: Iterable[str] = (), set: Optional[Mapping[str, object]] = None,
         seed: Optional[int] = None) -> Scenario:
    """Reads and checks a scenario, with overlay files merged over it and `set` values
    ({"stages[2].cut.keep": 3}) applied after them, as `--overlay` and `--set` do."""
    return _kaisim.load(_path(path, "path"), _paths(overlays, "overlays"), _set_texts(set),
                        _seed(seed))


def _threads(threads: Optional[int]) -> int:
    if threads is None or (not isinstance(threads, bool) and threads == 0):  # 0: as None
        return len(os.sched_getaffinity(0))
    return _whole(threads, "threads", 1, 1024)


def run(scenario: Scenario, seed: Optional[int] = None) -> RunResult:
    """One replicate of the programme (what `kaisim run` does)."""
    return RunResult(_kaisim.run(_scenario(scenario, "scenario"), _seed(seed)))


def monte_carlo(scenario: Scenario, replicates: int = 1000, threads: Optional[int] = None,
                seed: Optional[int] = None,
                progress: Optional[Callable[[int, int], None]] = None) -> MonteCarloResult:
    """`replicates` replicates on `threads` threads (default: every core this process may use;
    results do not depend on it). `progress(done, total)` is called with the replicates counted
    so far after each batch (1,024 replicates on the CPU, 4,096 with CUDA) from the second on,
    and at the end; Ctrl-C is checked there."""
    return MonteCarloResult(
        _kaisim.monte_carlo(_scenario(scenario, "scenario"),
                            _whole(replicates, "replicates", 1, _MAX_U32), _threads(threads),
                            _seed(seed), progress))


def compare(a: Scenario, b: Scenario, replicates: int = 200, threads: Optional[int] = None,
            seed: Optional[int] = None,
            progress: Optional[Callable[[int, int], None]] = None) -> Comparison:
    """B against A on common random numbers (both on A's seed), as `kaisim compare` does."""
    return Comparison(_kaisim.compare(_scenario(a, "a"), _scenario(b, "b"),
                                      _whole(replicates, "replicates", 2, _MAX_U32),
                                      _threads(threads), _seed(seed), progress))


def sweep(path: str, threads: Optional[int] = None,
          progress: Optional[Callable[[int, int], None]] = None) -> SweepResult:
    """A sweep file's design, evaluated and analysed (`kaisim sweep` without resuming: its
    SQLite store lives in a temporary folder, removed afterwards)."""
    store = tempfile.mkdtemp(prefix="kaisim-sweep-")
    try:
        return SweepResult(_kaisim.sweep(_path(path, "path"), _threads(threads), store, progress))
    finally:
        shutil.rmtree(store, ignore_errors=True)


def calibrate(path: str, threads: Optional[int] = None,
              progress: Optional[Callable[[int, int], None]] = None) -> CalibrationResult:
    """ABC-SMC calibration of a calibration file (`kaisim calibrate`); `progress(generation, 0)`
    after each generation."""
    return CalibrationResult(_kaisim.calibrate(_path(path, "path"), _threads(threads), progress))


def optimise(path: str, threads: Optional[int] = None,
             progress: Optional[Callable[[int, int], None]] = None) -> SearchResult:
    """A search file's many-objective policy search (`kaisim optimise` without resuming: its
    SQLite store lives in a temporary folder, removed afterwards); `progress(generation,
    generations)` after each generation."""
    store = tempfile.mkdtemp(prefix="kaisim-search-")
    try:
        return SearchResult(_kaisim.optimise(_path(path, "path"), _threads(threads), store, progress))
    finally:
        shutil.rmtree(store, ignore_errors=True)
