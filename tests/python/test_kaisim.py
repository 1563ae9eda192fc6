"""The Python package against the command line: same tables, same files, errors with their
location, the GIL released, Ctrl-C honoured, the EMA-shaped model's contract.

Run from ctest (PYTHONPATH=build/python, KAISIM_BINARY, KAISIM_SOURCE_DIR set), or by hand:
    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python
"""
import _thread
import json
import os
import subprocess
import threading
import time

import pandas as pd
import pytest

import kaisim
import kaisim.ema

SRC = os.environ.get("KAISIM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("KAISIM_BINARY", os.path.join(SRC, "build", "kaisim"))
REFERENCE = os.path.join(SRC, "scenarios", "k-ai-2025.yaml")


def cli(*args):
    subprocess.run([BIN, *args, "--quiet"], check=True, cwd=SRC)


def read(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.fixture(scope="module")
def reference():
    return kaisim.load(REFERENCE)


def test_monte_carlo_tables_are_the_command_line_files(reference, tmp_path):
    mc = kaisim.monte_carlo(reference, replicates=200, threads=2)
    assert isinstance(mc.teams, pd.DataFrame)
    assert list(mc.teams["team"]) == reference.teams
    assert mc.teams["p_finalist"].between(0, 1).all()
    cli("run", REFERENCE, "--replicates", "200", "--threads", "1", "--out", str(tmp_path / "cli"))
    mc.write(str(tmp_path / "py"))
    for name in ("mc_teams.csv", "mc_fields.csv"):
        assert read(tmp_path / "py" / name) == read(tmp_path / "cli" / name), name
    # The summary differs only in the file name the command line records.
    with open(tmp_path / "cli" / "mc_summary.json", encoding="utf-8") as f:
        assert mc.summary["metrics"] == json.load(f)["metrics"]


def test_run_reproduces_the_golden_outputs():
    r = kaisim.run(kaisim.load(REFERENCE), seed=1)
    golden = os.path.join(SRC, "tests", "golden", "k-ai-2025-seed1")
    for attribute, name in (("teams", "teams.csv"), ("stages", "stages.csv")):
        expected = pd.read_csv(os.path.join(golden, name), keep_default_na=False, na_values=[""])
        pd.testing.assert_frame_equal(getattr(r, attribute), expected)
    assert r.summary["seed"] == 1
    assert "finalists" in str(r)


def test_bad_input_raises_input_error_with_its_location():
    bad = os.path.join(SRC, "tests", "inputs", "invalid", "11-keep-exceeds-eligible.yaml")
    with pytest.raises(kaisim.InputError) as caught:
        kaisim.load(bad)
    e = caught.value
    assert isinstance(e, ValueError)
    assert e.file.endswith("11-keep-exceeds-eligible.yaml")
    assert (e.line, e.column) == (15, 17)
    assert "keeps 3 teams" in e.message
    with pytest.raises(kaisim.InputError) as caught:
        kaisim.load(REFERENCE, set={"stages[2].cut.keep": "three"})
    assert caught.value.file == "--set stages[2].cut.keep=three"


def test_bad_arguments_raise_type_or_value_errors_not_crashes(reference, tmp_path, monkeypatch):
    """Issue 32: None scenarios segfaulted, None paths were read as the file 'None', ranges gave
    pybind11's "incompatible function arguments"."""
    for call in (lambda: kaisim.run(None), lambda: kaisim.monte_carlo(None, replicates=2),
                 lambda: kaisim.compare(None, reference), lambda: kaisim.compare(reference, None),
                 lambda: kaisim.load(None), lambda: kaisim.load(5),
                 lambda: kaisim.load(REFERENCE, overlays=REFERENCE),
                 lambda: kaisim.load(REFERENCE, overlays=5),
                 lambda: kaisim.load(REFERENCE, set=["stages[2].cut.keep=3"]),
                 lambda: kaisim.load(REFERENCE, set="stages[2].cut.keep=3"),
                 lambda: kaisim.monte_carlo(reference, replicates=2.5),
                 lambda: kaisim.calibrate(None), lambda: kaisim.sweep(None),
                 lambda: kaisim.optimise(None)):
        with pytest.raises(TypeError):
            call()
    # The native module's own guard, for a caller that bypasses the package's checks.
    with pytest.raises(TypeError):
        kaisim._kaisim.run(None, None)
    for call, word in ((lambda: kaisim.monte_carlo(reference, replicates=-1), "replicates"),
                       (lambda: kaisim.monte_carlo(reference, replicates=0), "replicates"),
                       (lambda: kaisim.compare(reference, reference, replicates=1), "replicates"),
                       (lambda: kaisim.run(reference, seed=-1), "seed"),
                       (lambda: kaisim.run(reference, seed=2**40), "seed"),
                       (lambda: kaisim.monte_carlo(reference, replicates=2, threads=2**31),
                        "threads"),
                       (lambda: kaisim.load(""), "path"),
                       (lambda: kaisim.load(REFERENCE + "\0x"), "NUL")):
        with pytest.raises(ValueError) as caught:
            call()
        assert word in str(caught.value)
    import numpy as np
    mc = kaisim.monte_carlo(reference, replicates=np.int64(2), threads=np.int32(1),
                            seed=np.uint32(7))  # numpy's integers are whole numbers
    with pytest.raises(TypeError):
        kaisim.monte_carlo(reference, replicates=True)
    monkeypatch.chdir(tmp_path)
    for directory in (None, 5):
        with pytest.raises(TypeError):
            mc.write(directory)
    assert os.listdir(tmp_path) == []  # no folder ./None or ./5
    assert mc.write(tmp_path / "out") == str(tmp_path / "out")  # an os.PathLike is a path


def test_the_gil_is_released_while_simulating(reference):
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    start = len(ticks)
    kaisim.monte_carlo(reference, replicates=3000, threads=1)
    during = len(ticks) - start
    stop.set()
    t.join()
    assert during > 20  # a held GIL would have let the counter run only between calls


def test_ctrl_c_stops_a_long_monte_carlo(reference):
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        kaisim.monte_carlo(reference, replicates=10_000_000, threads=1)
    assert time.monotonic() - started < 30
    timer.cancel()


def test_progress_is_called_per_batch_up_to_the_total(reference):
    seen = []
    kaisim.monte_carlo(reference, replicates=2100, threads=1,
                       progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1024, 2100), (2048, 2100), (2100, 2100)]


def test_compare_matches_the_command_line(reference, tmp_path):
    b = kaisim.load(REFERENCE, overlays=[os.path.join(SRC, "scenarios", "what-if",
                                                      "gpus-follow-scores.yaml")])
    cmp = kaisim.compare(reference, b, replicates=60, threads=2)
    assert "metric" in cmp.comparison.columns
    cli("compare", REFERENCE, "--overlay", "scenarios/what-if/gpus-follow-scores.yaml",
        "--replicates", "60", "--out", str(tmp_path / "cli"))
    cmp.write(str(tmp_path / "py"))
    assert read(tmp_path / "py" / "compare.csv") == read(tmp_path / "cli" / "compare.csv")


def test_sweep_points_and_indices(tmp_path):
    s = kaisim.sweep(os.path.join(SRC, "tests", "inputs", "sweep-small.yaml"), threads=2)
    assert len(s.points) == 16 * 4  # Saltelli: N x (k + 2) for k = 2
    assert {"noise_sd", "judges", "selection_correct_panel"} <= set(s.points.columns)
    assert set(s.indices["index"]) >= {"S1", "ST"}
    cli("sweep", "tests/inputs/sweep-small.yaml", "--out", str(tmp_path / "cli"))
    pd.testing.assert_frame_equal(s.points, pd.read_csv(tmp_path / "cli" / "sweep.csv"))


def test_calibrate_gives_a_posterior(tmp_path):
    c = kaisim.calibrate(os.path.join(SRC, "tests", "inputs", "calibration-small.yaml"),
                         threads=2)
    assert "theta" in c.posterior.columns
    assert abs((c.posterior["theta"] * c.posterior["weight"]).sum()
               / c.posterior["weight"].sum() - 1.5) < 1.0
    assert c.summary["generations"]


def test_optimise_front_evaluated_and_convergence(tmp_path):
    search = os.path.join(SRC, "tests", "inputs", "search-robust.yaml")
    seen = []
    o = kaisim.optimise(search, threads=2, progress=lambda g, n: seen.append((g, n)))
    assert seen[-1] == (3, 3)  # generations 0..3 of 3
    assert {"noise_sd", "judges", "mean_finalist_ability_regret_q90", "dominates_plan"} <= set(
        o.front.columns)
    assert len(o.evaluated) >= len(o.front) >= 1
    assert list(o.convergence["generation"]) == [0, 1, 2, 3]
    assert sorted(o.overlays) == list(range(1, len(o.front) + 1))
    assert o.summary["objectives"][1]["statistic"] == "regret"
    cli("optimise", "tests/inputs/search-robust.yaml", "--threads", "2", "--out", str(tmp_path / "cli"))
    for attribute, name in [("front", "pareto.csv"), ("evaluated", "evaluated.csv"),
                            ("convergence", "convergence.csv")]:
        pd.testing.assert_frame_equal(getattr(o, attribute), pd.read_csv(tmp_path / "cli" / name))
    with open(o.report(str(tmp_path / "py")), encoding="utf-8") as f:
        assert "The front in parallel coordinates" in f.read()


def test_written_outputs_make_a_report(reference, tmp_path):
    path = kaisim.run(reference).report(str(tmp_path / "run"))
    with open(path, encoding="utf-8") as f:
        assert "vega-lite" in f.read()


def test_ema_function_model_contract():
    f = kaisim.ema.function_model(
        REFERENCE, uncertainties={"skill_sd": "team_variation.skill_log_sd"},
        levers={"final_keep": "stages[4].cut.keep"},
        outcomes=["mean_finalist_ability", "selection_correct_all"], replicates=40)
    out = f(skill_sd=0.2, final_keep=2)
    assert set(out) == {"mean_finalist_ability", "selection_correct_all"}
    assert all(isinstance(v, float) for v in out.values())
    assert f(skill_sd=0.2, final_keep=2) == out  # same inputs, same outcomes (fixed seed)
    assert f(skill_sd=0.2, final_keep=1) != out  # the lever moves the outcomes
    with pytest.raises(TypeError):
        f(skill_sd=0.2, bogus=1)
    assert f.inputs == ["final_keep", "skill_sd"]


def test_xlsx_holds_every_table_typed_with_korean_names(reference, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    cli("run", REFERENCE, "--replicates", "50", "--xlsx", "--out", str(tmp_path / "mc"))
    book = openpyxl.load_workbook(tmp_path / "mc" / "results.xlsx")
    assert book.sheetnames == ["mc_teams", "mc_fields"]
    sheet = book["mc_teams"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["team", "name"]
    assert sheet.cell(row=2, column=2).value == "네이버클라우드"
    csv = pd.read_csv(tmp_path / "mc" / "mc_teams.csv")
    p = header.index("p_finalist") + 1
    for row in range(2, sheet.max_row + 1):
        value = sheet.cell(row=row, column=p).value
        assert isinstance(value, float) or isinstance(value, int)  # a number, not text
        assert value == pytest.approx(csv["p_finalist"][row - 2], rel=1e-15)
    # From Python too, beside the files the command writes.
    kaisim.run(reference).write(str(tmp_path / "run"), xlsx=True)
    assert openpyxl.load_workbook(tmp_path / "run" / "results.xlsx").sheetnames == \
        ["teams", "stages", "timeline", "consortia"]
