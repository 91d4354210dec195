"""Regime scan of the face-cell model: does the state approach the category, then converge to the stimulus?

    python benchmarks/scan_facecell_model.py [--trials 10] [--seed 1]

For every (b, temperature, cue overlap) with b = b_fine = b_stimulus, prints the model's mean overlaps
with the cued stimulus and with its category at the first step and at the end, the step at which the
category overlap exceeds the stimulus overlap (if ever), and the onsets and peak times of global and
fine decoding accuracy through the pipeline's analysis (20 permutations, alpha 0.05, 5 ms steps).
The lecture's picture (Matsumoto et al. 2005) needs: category (global) information first, the
stimulus (fine) later, i.e. m_category ahead early and m_stimulus ahead late.
"""

from __future__ import annotations

import argparse
import itertools
import time

from conceptdyn.core.runtime import pick_device
from conceptdyn.core.settings import defaults
from conceptdyn.facecells import analysis as fa
from conceptdyn.facecells import catalogue, nwb
from conceptdyn.facecells import model as facemodel

CATEGORIES = [
    {"name": "monkey", "fine_prefix": "expression", "fine_labels": 5, "per_fine": 4},
    {"name": "human", "fine_prefix": "identity", "fine_labels": 4, "per_fine": 3},
    {"name": "shape", "fine_prefix": "form", "fine_labels": 3, "per_fine": 2},
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--b", type=float, nargs="+", default=[0.3, 0.45, 0.6])
    ap.add_argument("--temperatures", type=float, nargs="+", default=[0.0, 0.15, 0.3])
    ap.add_argument("--cues", type=float, nargs="+", default=[0.1, 0.2])
    args = ap.parse_args()
    cat = catalogue.stimulus_catalogue(CATEGORIES)
    acfg = defaults(
        fa.AnalysisConfig,
        "facecells.analysis",
        permutations=20,
        alpha=0.05,
        step_ms=5,
        run_ms=10,
        folds=5,
        last_start_ms=300,
    )
    print(
        "b     T     cue   m_stim(1) m_cat(1) m_stim(end) m_cat(end) cat>stim@ms "
        "onset_g onset_f peak_g peak_f  seconds"
    )
    for b, temp, cue in itertools.product(args.b, args.temperatures, args.cues):
        t0 = time.perf_counter()
        cfg = defaults(
            facemodel.ModelConfig,
            "facecells.model",
            "facecells.session",
            b_fine=b,
            b_stimulus=b,
            temperature=temp,
            cue_overlap=cue,
            trials=args.trials,
        )
        run = facemodel.simulate(cfg, cat, args.seed, device=pick_device("auto"))
        ov = run.overlaps
        ahead = ov["time_ms"][ov["m_category"] > ov["m_stimulus"]]
        rec = nwb.Recording(run.trials, run.spike_times, list(range(cfg.neurons)))
        d = fa.prepare(rec, cat, acfg, "model")
        info = fa.information_table(d, acfg, args.seed)
        on = fa.onsets_table(info, acfg, "model", {}).set_index("information")["onset_ms"]
        best = info.groupby("information")["accuracy"].idxmax()
        peak = info.loc[best].set_index("information")["window_end"]
        print(
            f"{b:<5} {temp:<5} {cue:<5} {ov['m_stimulus'][1]:9.2f} {ov['m_category'][1]:8.2f} "
            f"{ov['m_stimulus'].iloc[-1]:11.2f} {ov['m_category'].iloc[-1]:10.2f} "
            f"{(str(int(ahead.iloc[0])) if len(ahead) else 'never'):>11} "
            f"{on['global']:7.0f} {on['fine']:7.0f} {peak['global']:6.0f} {peak['fine']:6.0f} "
            f"{time.perf_counter() - t0:8.1f}"
        )
    print(f"(cue at {cfg.cue_ms} ms; onsets and peaks are window ends; nan = never significant)")


if __name__ == "__main__":
    main()
