"""How large must the face-cell network be for the tree theory's window to show?

The theory-guided rows of ``results/facecells/regimes.csv`` (settings where the N -> infinity tree map
predicts category first, then the stimulus) run at the map's N.  This script reruns some of them -- the
overlaps only, no spike analysis -- at growing N and prints, per setting and N, the simulated route and
final overlaps beside the theory's, with the finite-size scale 1/sqrt(N) next to the cue's overlap.

    python benchmarks/facecells_finite_size.py [--table results/facecells/regimes.csv] [--sizes 12000 48000]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np
import pandas as pd

from conceptdyn.core.settings import default_config, defaults
from conceptdyn.facecells import catalogue as fc_catalogue
from conceptdyn.facecells import model as fm
from conceptdyn.facecells import regimes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--table", default="results/facecells/regimes.csv")
    ap.add_argument("--sizes", type=int, nargs="+", default=[12000, 48000, 192000])
    ap.add_argument("--settings", type=int, default=6, help="theory-guided rows to rerun (spread evenly)")
    ap.add_argument("--trials", type=int, default=2, help="trials per stimulus")
    ap.add_argument("--seed", type=int, default=20261130)
    args = ap.parse_args()

    table = pd.read_csv(args.table)
    guided = table[table["grid"] == "theory"].reset_index(drop=True)
    if guided.empty:
        raise SystemExit(f"{args.table} has no theory-guided rows (grid = theory)")
    n_pick = min(args.settings, len(guided))
    pick = np.unique(np.round(np.linspace(0, len(guided) - 1, n_pick)).astype(int))
    cat = fc_catalogue.stimulus_catalogue(default_config()["facecells"]["categories"])
    base = defaults(fm.ModelConfig, "facecells.model", "facecells.session")
    print(
        f"theory-guided rows: {len(guided)}; rerun: {len(pick)} at N = {args.sizes}, "
        f"{args.trials} trials per stimulus"
    )
    for i in pick:
        row = guided.iloc[i]
        setting = {k: row[k] if isinstance(row[k], str) else float(row[k]) for k in regimes.SETTING_KEYS}
        print(
            f"\n{setting['input']}, b_fine {setting['b_fine']:g}, b_stimulus {setting['b_stimulus']:g}, "
            f"T {setting['temperature']:g}, cue overlap {setting['cue_overlap']:g}, "
            f"h {setting['input_strength']:g}: "
            f"theory {row['theory_route']} (plateau {row['theory_plateau_steps']:g} steps, sibling peak "
            f"{row['theory_sibling_peak']:.3f}, final stimulus overlap {row['theory_m_stimulus_end']:.3f})"
        )
        for n in args.sizes:
            run_cfg = replace(base, N=n, trials=args.trials, neurons=min(base.neurons, n), **setting)
            t0 = time.perf_counter()
            run = fm.simulate(run_cfg, cat, args.seed)
            r = fm.classify_route(run.overlaps, 0.8, 0.05)
            print(
                f"  N = {n:>7}: {r['route']:<16} sibling peak {r['sibling_peak']:.3f}, final stimulus "
                f"overlap "
                f"{r['m_stimulus_end']:.3f}  (1/sqrt(N) = {n**-0.5:.4f}; {time.perf_counter() - t0:.1f} s)"
            )


if __name__ == "__main__":
    main()
