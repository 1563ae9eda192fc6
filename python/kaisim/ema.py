"""An EMA Workbench-shaped model: a plain callable `f(**kwargs) -> dict` of outcomes.

    from ema_workbench import IntegerParameter, Model, RealParameter, ScalarOutcome
    import kaisim, kaisim.ema
    f = kaisim.ema.function_model(
        "scenarios/k-ai-2025.yaml",
        uncertainties={"skill_sd": "team_variation.skill_log_sd"},
        levers={"keep_final": "stages[4].cut.keep"},
        outcomes=["mean_finalist_ability", "selection_correct_all"], replicates=200)
    model = Model("kaisim", function=f)
    model.uncertainties = [RealParameter("skill_sd", 0.05, 0.4)]
    model.levers = [IntegerParameter("keep_final", 1, 2)]
    model.outcomes = [ScalarOutcome("mean_finalist_ability"), ScalarOutcome("selection_correct_all")]

Each call loads the scenario with the keyword values set at their paths (as `--set` does), runs a
Monte Carlo on the scenario's seed (so two calls with the same values give the same outcomes,
and calls that differ differ by the policy, not by noise) and returns the Monte Carlo means of
the outcomes named. SALib and other samplers can call it the same way.
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping, Optional

from . import load, monte_carlo


def function_model(scenario: str, uncertainties: Mapping[str, str] = None,
                   levers: Mapping[str, str] = None, outcomes: Iterable[str] = (),
                   replicates: int = 200, overlays: Iterable[str] = (),
                   threads: Optional[int] = None) -> Callable[..., dict]:
    paths = dict(uncertainties or {})
    for name, path in (levers or {}).items():
        if name in paths:
            raise ValueError(f"'{name}' is both an uncertainty and a lever")
        paths[name] = path
    wanted = list(outcomes)
    if not wanted:
        raise ValueError("name at least one outcome (a Monte Carlo metric)")
    overlays = list(overlays)

    def model(**kwargs) -> dict:
        unknown = sorted(set(kwargs) - set(paths))
        if unknown:
            raise TypeError(f"unknown inputs {unknown}; the model takes {sorted(paths)}")
        sc = load(scenario, overlays=overlays, set={paths[k]: v for k, v in kwargs.items()})
        metrics = monte_carlo(sc, replicates=replicates, threads=threads).summary["metrics"]
        out = {}
        for name in wanted:
            if name not in metrics:
                raise KeyError(f"no metric '{name}'; the metrics: {sorted(metrics)}")
            out[name] = float(metrics[name]["mean"])
        return out

    model.inputs = sorted(paths)
    model.outcomes = wanted
    return model
