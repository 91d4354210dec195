"""Config checks of the face-cell stage that the schema cannot express: a recording needs its
stimulus catalogue, analysis windows on their grid, enough trials for the folds, recorded units that
exist."""

from __future__ import annotations

from pathlib import Path


def off_grid(an, starts, key: str, where: str) -> list[str]:
    """A problem if any window start is not on the analysis grid first_start_ms + k * step_ms."""
    off = [
        s
        for s in starts
        if (s - an["first_start_ms"]) % an["step_ms"] or not an["first_start_ms"] <= s <= an["last_start_ms"]
    ]
    if not off:
        return []
    return [f"{key} {off} are not on the {where} windows (first_start_ms + k * step_ms up to last_start_ms)"]


def span_problems(fc) -> list[str]:
    """The analysed span (last window start + width) must end inside the trial that the synthetic
    data and the model record (facecells.session.duration_ms after stimulus onset): past it the
    windows would count no spikes, or the next trial's."""
    duration = fc["session"]["duration_ms"]
    found = []
    for where, an in (
        ("facecells.analysis", fc["analysis"]),
        ("facecells.regimes.analysis", {**fc["analysis"], **fc["regimes"]["analysis"]}),
    ):
        end = an["last_start_ms"] + an["width_ms"]
        if end > duration:
            found.append(
                f"{where}: last_start_ms + width_ms = {end} ms runs past the trial "
                f"(facecells.session.duration_ms ({duration}) after stimulus onset); lower "
                f"last_start_ms to {duration - an['width_ms']} or lengthen the session"
            )
    return found


def check(cfg) -> list[str]:
    fc = cfg["facecells"]
    problems = []
    if fc["recording"] is not None:
        if fc["stimuli"] is None:
            problems.append(
                "facecells.recording needs facecells.stimuli: a CSV with columns "
                "stimulus_id,global_label,fine_label (one row per stimulus)"
            )
        for key in ("recording", "stimuli"):
            if fc[key] is not None and not Path(fc[key]).is_file():
                problems.append(f"facecells.{key}: file {fc[key]} does not exist")
    an = fc["analysis"]
    if an["last_start_ms"] < an["first_start_ms"]:
        problems.append("facecells.analysis.last_start_ms must be >= first_start_ms")
    problems += span_problems(fc)
    problems += off_grid(an, an["snapshots"], "facecells.analysis.snapshots", "facecells.analysis")
    problems += off_grid(
        {**an, **fc["regimes"]["analysis"]},
        fc["regimes"]["split_windows"],
        "facecells.regimes.split_windows",
        "facecells.regimes.analysis",
    )
    for key in ("multiples_every_ms", "mixture_every_ms"):
        if an[key] % an["step_ms"]:
            problems.append(
                f"facecells.analysis.{key} ({an[key]}) must be a multiple of step_ms ({an['step_ms']})"
            )
    for part in ("synthetic", "model"):
        if fc[part]["trials"] < an["folds"]:
            problems.append(
                f"facecells.{part}.trials ({fc[part]['trials']}) must be >= "
                f"facecells.analysis.folds ({an['folds']})"
            )
    for where in ("model", "regimes"):
        if fc["model"]["neurons"] > fc[where]["N"]:
            problems.append(f"facecells.model.neurons must not exceed facecells.{where}.N")
    for key in ("trials", "confirm_trials"):
        if fc["regimes"][key] < fc["regimes"]["analysis"]["folds"]:
            problems.append(
                f"facecells.regimes.{key} ({fc['regimes'][key]}) must be >= "
                f"facecells.regimes.analysis.folds ({fc['regimes']['analysis']['folds']})"
            )
    return problems + scale_problems(cfg)


def scale_problems(cfg) -> list[str]:
    """The face cells at scale: sizes increasing and above the recorded units, enough trials for the
    analysis's folds, no more seeds than seeds.master_seeds lists."""
    fc, found = cfg["facecells"], []
    sc = fc["scale"]
    if list(sc["sizes"]) != sorted(set(sc["sizes"])):
        found.append(f"facecells.scale.sizes {sc['sizes']} must be increasing, each once")
    if min(sc["sizes"]) < fc["model"]["neurons"]:
        found.append(
            f"facecells.scale.sizes must all be >= facecells.model.neurons ({fc['model']['neurons']})"
        )
    if sc["model_trials"] < fc["analysis"]["folds"]:
        found.append(
            f"facecells.scale.model_trials ({sc['model_trials']}) must be >= facecells.analysis.folds "
            f"({fc['analysis']['folds']})"
        )
    listed = cfg["seeds"]["master_seeds"]  # empty in a seed run of the seeds target
    if listed and sc["seeds"] > len(set(listed) | {cfg["seed"]}):
        found.append(
            f"facecells.scale.seeds ({sc['seeds']}) exceeds the seeds available: the master seed and "
            "seeds.master_seeds; list more there or lower facecells.scale.seeds"
        )
    return found


def memory(cfg) -> list[tuple[str, int, str]]:
    """The model's patterns (stimuli, prototypes, categories) and its trials' states, noisy inputs and
    fields, float32, at facecells.model.N and facecells.regimes.N."""
    fc = cfg["facecells"]
    cats = fc["categories"]
    stimuli = sum(c["fine_labels"] * c["per_fine"] for c in cats)
    vectors = stimuli + sum(c["fine_labels"] for c in cats) + len(cats)
    found = []
    sc = fc["scale"]
    sizes = [
        ("model", fc["model"]["N"], fc["model"]["trials"]),
        ("regimes", fc["regimes"]["N"], fc["regimes"]["trials"]),
        ("scale", max(sc["sizes"]), max(sc["trials"], sc["model_trials"])),
    ]
    for where, n, trials in sizes:
        nbytes = 4 * n * (vectors + 4 * trials * stimuli)
        what = f"{vectors} patterns and 4 arrays of {trials * stimuli:,} trial states"
        key = "sizes" if where == "scale" else "N"
        found.append((f"facecells.{where}.{key} = {n}", nbytes, what))
    return found
