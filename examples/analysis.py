"""A worked analysis with the Python package: who reaches the final under the announced plan,
and what "GPUs follow scores" changes, as pandas tables.

    scripts/build.sh                       # builds build/python/kaisim
    PYTHONPATH=build/python /usr/bin/python3 examples/analysis.py
"""
import kaisim

announced = kaisim.load("scenarios/k-ai-2025.yaml")
mc = kaisim.monte_carlo(announced, replicates=1000)
finalists = mc.teams[["team", "name", "p_finalist", "p_finalist_lo", "p_finalist_hi"]]
print(finalists.sort_values("p_finalist", ascending=False).head(6).to_string(index=False))

follow = kaisim.load("scenarios/k-ai-2025.yaml", overlays=["scenarios/what-if/gpus-follow-scores.yaml"])
cmp = kaisim.compare(announced, follow, replicates=400)
rows = cmp.comparison.set_index("metric").loc[["mean_finalist_ability", "selection_correct_all"]]
print(rows[["mean_a", "mean_b", "diff", "diff_lo", "diff_hi"]].to_string())

mc.write("out/python-mc")  # the files `kaisim run --replicates 1000` writes; kaisim report reads them
