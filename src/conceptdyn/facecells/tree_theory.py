"""Exact N -> infinity overlap map of the face-cell model's ±1 tree (category -> fine-label prototype ->
stimulus), for the category of the cued stimulus.

The concepts stage's exact few-pattern map (``concepts.patterns.macro_map``) extended to three levels:
one category with ``F`` fine labels of ``K`` stimuli each (the catalogue's counts), prototypes drawn
from the category with correlation ``b_fine`` and stimuli from their prototype with ``b_stimulus``, as
``facecells.model.tree_patterns`` draws them; only the stimuli are stored.  With a finite number of
stored patterns the other categories' patterns stay uncorrelated with the state, so at N -> infinity the
synchronous Glauber dynamics of the model (``E[x_i] = tanh(h_i / T)``) moves the overlaps by

    m_mu(t+1) = E[ xi^mu tanh( (sum_nu xi^nu m_nu + H y) / T ) ],

an average over the joint distribution of one site's pattern bits (``y``: the noisy stimulus of a
sustained field of strength ``H``, correlated ``c`` with the stimulus).  The state is taken symmetric
within its three groups — the cued stimulus (``m_s``), each of its ``K - 1`` siblings (same fine label,
``m_sib``), each of the ``(F - 1) K`` cousins (same category, other fine labels, ``m_cou``) — which the
map preserves, so the site average is a finite sum over the counts of +1 bits in each group.

This is this project's derivation, not the papers' (their equations could not be retrieved); it is
tested against the engine on large networks in ``tests/test_facemodel.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from conceptdyn.concepts.patterns import _gain


@dataclass(frozen=True)
class Tree:
    """One category of the tree: ``fine`` labels with ``per_fine`` stimuli each."""

    fine: int
    per_fine: int
    b_fine: float
    b_stimulus: float


@lru_cache(maxsize=256)
def _sites(tree: Tree, field_overlap: float) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of one site's ``(zeta, xi_s, S_sib, S_cou, y)`` with their probabilities,
    for the category bit +1 (the map is odd in the bits, so the other sign adds the same).
    ``zeta``: the cued stimulus's prototype bit; ``S_sib``, ``S_cou``: sums of the siblings' and the
    cousins' bits; ``y``: the bit of the field's noisy stimulus (``xi_s`` with P((1 + c) / 2))."""
    from scipy.stats import binom  # here: the workflow imports this package while Snakemake parses it

    F, K, bf, bs = tree.fine, tree.per_fine, tree.b_fine, tree.b_stimulus
    rows: dict[tuple, float] = {}
    c = field_overlap
    for zeta in (1, -1):
        p_zeta = (1 + bf * zeta) / 2
        p_stim = (1 + bs * zeta) / 2  # P(a stimulus bit = +1 | its prototype bit zeta)
        for xi in (1, -1):
            p_xi = p_stim if xi == 1 else 1 - p_stim
            for n_sib in range(K):
                p_sib = binom.pmf(n_sib, K - 1, p_stim)
                s_sib = 2 * n_sib - (K - 1)
                for n_plus in range(F):  # other prototypes with bit +1
                    p_pp = binom.pmf(n_plus, F - 1, (1 + bf) / 2)
                    a, b = n_plus * K, (F - 1 - n_plus) * K
                    pa = binom.pmf(np.arange(a + 1), a, (1 + bs) / 2)
                    pb = binom.pmf(np.arange(b + 1), b, (1 - bs) / 2)
                    p_cou = np.convolve(pa, pb)  # P(cousin bits with +1 = j)
                    for j, pj in enumerate(p_cou):
                        s_cou = 2 * j - (F - 1) * K
                        for y in (xi, -xi):
                            p_y = (1 + c) / 2 if y == xi else (1 - c) / 2
                            w = p_zeta * p_xi * p_sib * p_pp * pj * p_y
                            if w > 0:
                                key = (zeta, xi, s_sib, s_cou, y)
                                rows[key] = rows.get(key, 0.0) + w
    values = np.array(list(rows), dtype=float)
    weights = np.array(list(rows.values()))
    return values, weights / weights.sum()


def tree_map(
    m: np.ndarray, tree: Tree, temperature: float, field: float = 0.0, field_overlap: float = 0.0
) -> dict[str, np.ndarray]:
    """One synchronous step from the group overlaps ``m = (m_s, m_sib, m_cou)`` (shape ``(..., 3)``):
    the new group overlaps and the overlaps with the prototype and the category pattern."""
    sites, w = _sites(tree, field_overlap if field else 0.0)
    zeta, _, _, _, y = sites.T
    m_new, g = _step(np.asarray(m, dtype=float), tree, sites, w, lambda h: _gain(h, temperature), field * y)
    return {"m": m_new, "m_prototype": g @ zeta, "m_category": g.sum(-1)}


def _step(m, tree: Tree, sites, w, gain, h_ext):
    """The map's step shared by :func:`tree_map` and :func:`batch_trajectories`: the field of each
    site from the group overlaps ``m`` (``(..., 3)``) and ``h_ext``, the gain weighted by the sites'
    probabilities ``g``, and the new group overlaps; returns ``(m_new, g)``."""
    _, xi, s_sib, s_cou, _ = sites.T
    h = m[..., :1] * xi + m[..., 1:2] * s_sib + m[..., 2:3] * s_cou + h_ext
    g = gain(h) * w  # (..., sites)
    K, F = tree.per_fine, tree.fine
    m_sib = (g @ s_sib) / (K - 1) if K > 1 else np.zeros(g.shape[:-1])
    m_cou = (g @ s_cou) / ((F - 1) * K) if F > 1 else np.zeros(g.shape[:-1])
    return np.stack([g @ xi, m_sib, m_cou], axis=-1), g


def cue_start(tree: Tree, cue_overlap: float) -> np.ndarray:
    """Group overlaps of the stimulus with a fraction ``(1 - c) / 2`` of its bits flipped: ``c`` with
    the stimulus, ``c b_s^2`` with each sibling, ``c b_s^2 b_f^2`` with each cousin."""
    bs2, bf2 = tree.b_stimulus**2, tree.b_fine**2
    return np.array([cue_overlap, cue_overlap * bs2, cue_overlap * bs2 * bf2])


def coarse_start(tree: Tree, bias: float) -> np.ndarray:
    """Group overlaps of the model's coarse start: the category's mixed state (the sign of the sum of
    its stimulus patterns, ties +1) with a fraction ``bias`` of the neurons carrying the stimulus.  The
    tie's +1 is even in the category bit, so over both signs of it a tie adds nothing: the site average
    over the category bit +1 takes sgn with sgn(0) = 0."""
    sites, w = _sites(tree, 0.0)
    _, xi, s_sib, s_cou, _ = sites.T
    K, F = tree.per_fine, tree.fine
    groups = np.stack(
        [xi, s_sib / max(K - 1, 1) if K > 1 else 0 * xi, s_cou / max((F - 1) * K, 1) if F > 1 else 0 * xi]
    )
    mixed = np.sign(xi + s_sib + s_cou)
    return bias * (groups * xi) @ w + (1 - bias) * (groups * mixed) @ w


def tree_trajectory(
    m0: np.ndarray,
    tree: Tree,
    temperature: float,
    steps: int,
    field: float = 0.0,
    field_overlap: float = 0.0,
    step_ms: float = 10.0,
    start_ms: float = 0.0,
    a: float | None = None,
) -> pd.DataFrame:
    """The N -> infinity route from ``m0``, in the columns of the model's ``model_overlaps.csv``:
    ``m_stimulus``, ``m_siblings`` (mean overlap with the category's other stimuli), ``m_prototype``,
    ``m_category``, per step of ``step_ms``; ±1 coding, or sparse coding at level ``a``
    (:func:`sparse_tree_map`)."""
    K, F = tree.per_fine, tree.fine
    others = F * K - 1
    m = np.asarray(m0, dtype=float)
    rows = []
    proto = cat = np.nan
    for t in range(steps + 1):
        sib_mean = ((K - 1) * m[1] + (F - 1) * K * m[2]) / others if others else 0.0
        rows.append(
            {
                "step": t,
                "time_ms": start_ms + t * step_ms,
                "m_stimulus": m[0],
                "m_siblings": sib_mean,
                "m_same_fine": m[1],
                "m_other_fine": m[2],
                "m_prototype": proto,
                "m_category": cat,
            }
        )
        if a is None:
            out = tree_map(m, tree, temperature, field, field_overlap)
        else:
            out = sparse_tree_map(m, tree, a, temperature, field, field_overlap)
        m, proto, cat = out["m"], float(out["m_prototype"]), float(out["m_category"])
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------------
# The sparse (0/1) tree: coding level a, covariance rule, activity held at a


@lru_cache(maxsize=256)
def _sparse_sites(tree: Tree, a: float, field_overlap: float) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of one site's ``(eta, zeta, xi_s, n_sib, n_cou, y)`` with their
    probabilities for 0/1 patterns drawn as ``facecells.model.tree_patterns`` draws them (sparse
    coding): ``eta`` the category bit (P(1) = a); ``zeta`` the cued stimulus's prototype bit; ``xi_s``
    its bit; ``n_sib``, ``n_cou`` the numbers of active siblings and cousins; ``y`` the bit of the
    field's noisy stimulus (``xi_s`` kept with probability c, else drawn anew at level a).  A child is
    active with probability ``a + (1 - a) b`` where its ancestor is active and ``a (1 - b)`` where not."""
    from scipy.stats import binom

    F, K, bf, bs, c = tree.fine, tree.per_fine, tree.b_fine, tree.b_stimulus, field_overlap

    def on(ancestor, b):
        return a + (1 - a) * b if ancestor else a * (1 - b)

    rows: dict[tuple, float] = {}
    for eta in (1, 0):
        p_eta, pz = (a if eta else 1 - a), on(eta, bf)
        for zeta in (1, 0):
            q = on(zeta, bs)
            for xi in (1, 0):
                p_top = p_eta * (pz if zeta else 1 - pz) * (q if xi else 1 - q)
                for n_sib in range(K):
                    p_sib = binom.pmf(n_sib, K - 1, q)
                    for n_plus in range(F):  # other prototypes of the category that are active
                        p_pp = binom.pmf(n_plus, F - 1, pz)
                        na, nb = n_plus * K, (F - 1 - n_plus) * K
                        p_cou = np.convolve(
                            binom.pmf(np.arange(na + 1), na, on(1, bs)),
                            binom.pmf(np.arange(nb + 1), nb, on(0, bs)),
                        )
                        p_y1 = c * xi + (1 - c) * a
                        for j, pj in enumerate(p_cou):
                            for y in (1, 0):
                                w = p_top * p_sib * p_pp * pj * (p_y1 if y else 1 - p_y1)
                                if w > 0:
                                    key = (eta, zeta, xi, n_sib, j, y)
                                    rows[key] = rows.get(key, 0.0) + w
    values = np.array(list(rows), dtype=float)
    weights = np.array(list(rows.values()))
    return values, weights / weights.sum()


def sparse_tree_map(
    m: np.ndarray, tree: Tree, a: float, temperature: float, field: float = 0.0, field_overlap: float = 0.0
) -> dict[str, np.ndarray | float]:
    """One synchronous step of the sparse tree from the group overlaps ``m = (m_s, m_sib, m_cou)``:
    the field of a site is ``h = sum_mu (xi^mu - a) m_mu + H y`` (the covariance rule; the other
    categories' overlaps are 0 at N -> infinity), the activity is held at a as the engine's
    ``SparseCoding(a, control="mean")`` holds it (:func:`conceptdyn.concepts.sparse._activity_rule`),
    and the overlaps are ``m_mu = sum_sites P (xi^mu - a) x / (a (1 - a))``.  Returns the new group
    overlaps ``m``, the prototype's and the category's overlaps and the activity.

    This project's extension of the concepts stage's sparse map to the three-level tree, not the papers'
    equations; tested against the engine at large N (tests/test_facecells_scale.py)."""
    from conceptdyn.concepts.sparse import _activity_rule

    sites, w = _sparse_sites(tree, float(a), float(field_overlap) if field else 0.0)
    eta, zeta, xi, n_sib, n_cou, y = sites.T
    K, F = tree.per_fine, tree.fine
    m_s, m_sib, m_cou = np.asarray(m, dtype=float)
    h = m_s * (xi - a) + m_sib * (n_sib - (K - 1) * a) + m_cou * (n_cou - (F - 1) * K * a) + field * y
    fire = w * _activity_rule(h, w, a, temperature)
    norm = a * (1 - a)
    m_new = np.array(
        [
            fire @ (xi - a),
            fire @ (n_sib / (K - 1) - a) if K > 1 else 0.0,
            fire @ (n_cou / ((F - 1) * K) - a) if F > 1 else 0.0,
        ]
    )
    return {
        "m": m_new / norm,
        "m_prototype": float(fire @ (zeta - a) / norm),
        "m_category": float(fire @ (eta - a) / norm),
        "activity": float(fire.sum()),
    }


# ---------------------------------------------------------------------------------------------------
# The route the theory predicts for a setting of the regime map, and a dense scan of settings


def catalogue_trees(catalogue: pd.DataFrame) -> list[tuple[int, int, int]] | None:
    """``(fine labels, stimuli per fine label, stimuli)`` of each category, or ``None`` if a category's
    fine labels hold different numbers of stimuli (the symmetric map needs equal counts)."""
    out = []
    for _, cat in catalogue.groupby("global_label", sort=True):
        per = cat.groupby("fine_label").size()
        if per.nunique() != 1:
            return None
        out.append((int(per.size), int(per.iloc[0]), len(cat)))
    return out


def _gain_t(h: np.ndarray, temperature: np.ndarray) -> np.ndarray:
    """``tanh(h / T)`` per row, the sign where a row's ``T`` is 0."""
    t = temperature[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        soft = np.tanh(h / np.where(t > 0, t, 1.0))
    return np.where(t > 0, soft, np.where(h >= 0, 1.0, -1.0))


def batch_trajectories(
    tree: Tree,
    m0: np.ndarray,
    temperatures: np.ndarray,
    fields: np.ndarray,
    field_overlap: float,
    steps: int,
) -> np.ndarray:
    """The map of :func:`tree_map` for a batch of starts ``m0`` ``(B, 3)``, temperatures and field
    strengths ``(B,)`` that share one field overlap: the group overlaps ``(steps + 1, B, 3)``."""
    sites, w = _sites(tree, field_overlap if np.any(fields) else 0.0)
    temps = np.asarray(temperatures, dtype=float)
    h_ext = np.asarray(fields, dtype=float)[:, None] * sites[:, 4][None]
    m = np.asarray(m0, dtype=float)
    out = [m]
    for _ in range(steps):
        m, _ = _step(m, tree, sites, w, lambda h: _gain_t(h, temps), h_ext)
        out.append(m)
    return np.stack(out)


THEORY_COLUMNS = (
    "theory_route",
    "theory_t_retrieved_ms",
    "theory_sibling_peak",
    "theory_t_sibling_peak_ms",
    "theory_m_stimulus_end",
    "theory_m_siblings_end",
    "theory_plateau_steps",
)


def predict_routes(
    settings: pd.DataFrame,
    shape: list[tuple[int, int, int]] | None,
    steps: int,
    step_ms: float,
    start_ms: float,
    retrieved: float,
    margin: float,
) -> pd.DataFrame:
    """The N -> infinity route of each row of ``settings`` (columns ``coding, input, b_fine, b_stimulus,
    temperature, input_strength, cue_overlap``): the trial-averaged overlaps of the model (each
    category's tree weighted by its number of stimuli, as every stimulus gets the same trials)
    classified by the model's own :func:`conceptdyn.facecells.model.classify_route`, in the columns
    :data:`THEORY_COLUMNS`, in the order of ``settings``.  ``theory_plateau_steps``: steps from the
    sibling peak to the retrieval of the stimulus, for a ``category_first`` route.

    The map covers ±1 coding with every input: ``cue`` (start: the noisy stimulus), ``field`` (start:
    the spontaneous state, m = 0; sustained field of the noisy stimulus), ``coarse`` (start:
    :func:`coarse_start`) and ``coarse_field`` (that start and the field); other rows (sparse coding,
    the balanced rule) and catalogues with unequal fine-label sizes get an
    empty route and NaN."""
    n = len(settings)
    cols = _no_prediction(n)
    if shape is None or n == 0:
        return pd.DataFrame(cols)
    s = settings.reset_index(drop=True)
    ok = (s["coding"] == "pm1") & s["input"].isin(["cue", "field", "coarse", "coarse_field"])
    if "learning" in s:
        ok &= s["learning"] == "hebb"  # the balanced rule reweights the patterns: not in this map
    total = sum(n_stim for _, _, n_stim in shape)
    weights = [n_stim / total for _, _, n_stim in shape]
    times = start_ms + step_ms * np.arange(steps + 1)
    keys = ["b_fine", "b_stimulus", "input", "cue_overlap", "coarse_bias"]
    for (bf, bs, inp, c, bias), rows in s[ok].groupby(keys, sort=False):
        idx = rows.index.to_numpy()
        temps = rows["temperature"].to_numpy(float)
        with_field = inp in ("field", "coarse_field")
        fields = rows["input_strength"].to_numpy(float) if with_field else np.zeros(len(rows))
        m_s = np.zeros((steps + 1, len(rows)))
        m_sib = np.zeros_like(m_s)
        for (F, K, _), wk in zip(shape, weights, strict=True):
            tree = Tree(F, K, float(bf), float(bs))
            if inp == "cue":
                start = cue_start(tree, float(c))
            elif inp == "field":
                start = np.zeros(3)
            else:
                start = coarse_start(tree, float(bias))
            traj = batch_trajectories(tree, np.tile(start, (len(rows), 1)), temps, fields, float(c), steps)
            others = F * K - 1
            sib = ((K - 1) * traj[..., 1] + (F - 1) * K * traj[..., 2]) / others if others else 0.0
            m_s += wk * traj[..., 0]
            m_sib += wk * sib
        for j, i in enumerate(idx):
            _classify(cols, i, times, m_s[:, j], m_sib[:, j], step_ms, retrieved, margin)
    return pd.DataFrame(cols)


def _no_prediction(n: int) -> dict[str, list]:
    """The :data:`THEORY_COLUMNS` of ``n`` rows before any prediction: empty route, NaN values."""
    cols: dict[str, list] = {c: [np.nan] * n for c in THEORY_COLUMNS}
    cols["theory_route"] = [""] * n
    return cols


def _classify(cols: dict, i: int, times, m_s, m_sib, step_ms: float, retrieved: float, margin: float) -> None:
    """Row ``i`` of the :data:`THEORY_COLUMNS` from the theory's trial-averaged overlaps, classified
    by the model's own :func:`conceptdyn.facecells.model.classify_route`."""
    from conceptdyn.facecells.model import classify_route

    r = classify_route({"time_ms": times, "m_stimulus": m_s, "m_siblings": m_sib}, retrieved, margin)
    plateau = (
        (r["t_retrieved_ms"] - r["t_sibling_peak_ms"]) / step_ms if r["route"] == "category_first" else np.nan
    )
    values = (
        r["route"],
        r["t_retrieved_ms"],
        r["sibling_peak"],
        r["t_sibling_peak_ms"],
        r["m_stimulus_end"],
        r["m_siblings_end"],
        plateau,
    )
    for c, v in zip(THEORY_COLUMNS, values, strict=True):
        cols[c][i] = v


def predict_sparse_routes(
    settings: pd.DataFrame,
    shape: list[tuple[int, int, int]],
    a: float,
    steps: int,
    step_ms: float,
    start_ms: float,
    retrieved: float,
    margin: float,
) -> pd.DataFrame:
    """:func:`predict_routes` for sparse coding at level ``a`` with the activity held at a
    (:func:`sparse_tree_map`), for the stimulus-aligned inputs ``cue`` (start: the noisy stimulus, kept
    with probability c: the same group overlaps as :func:`cue_start`) and ``field`` (start: the
    spontaneous state, m = 0); row by row."""
    n = len(settings)
    cols = _no_prediction(n)
    total = sum(n_stim for _, _, n_stim in shape)
    times = start_ms + step_ms * np.arange(steps + 1)
    for i, row in enumerate(settings.reset_index(drop=True).itertuples(index=False)):
        m_s, m_sib = np.zeros(steps + 1), np.zeros(steps + 1)
        field = float(row.input_strength) if row.input == "field" else 0.0
        for F, K, n_stim in shape:
            tree = Tree(F, K, float(row.b_fine), float(row.b_stimulus))
            start = cue_start(tree, float(row.cue_overlap)) if row.input == "cue" else np.zeros(3)
            traj = tree_trajectory(
                start, tree, float(row.temperature), steps, field, float(row.cue_overlap), a=a
            )
            m_s += n_stim / total * traj["m_stimulus"].to_numpy()
            m_sib += n_stim / total * traj["m_siblings"].to_numpy()
        _classify(cols, i, times, m_s, m_sib, step_ms, retrieved, margin)
    return pd.DataFrame(cols)


def mixed_state(tree: Tree, temperature: float, level: str, iterations: int = 400) -> dict[str, float]:
    """The mixed state of the cued stimulus's ``category`` (every stimulus of the category alike:
    ``m_s = m_sib = m_cou``) or its ``fine`` label (``m_s = m_sib``, the cousins lower), as the fixed
    point of :func:`tree_map` reached from the symmetric start (the map keeps that symmetry), and the
    largest eigenvalue modulus ``lambda`` of the map's Jacobian there (central differences in the three
    group overlaps): ``lambda > 1``, a saddle the state leaves towards one stimulus; ``< 1``, an
    attractor.  ``m`` is the overlap with each stimulus of the group (0: the state melted); at T = 0
    everything is NaN (the sign map has no Jacobian)."""
    if temperature <= 0:  # the sign map: piecewise constant, no Jacobian (and ties break the symmetry)
        return {"m": np.nan, "m_cousins": np.nan, "lambda": np.nan}
    m = {"category": np.array([0.5, 0.5, 0.5]), "fine": np.array([0.6, 0.6, 0.2])}[level]
    for _ in range(iterations):
        new = tree_map(m, tree, temperature)["m"]
        done = np.max(np.abs(new - m)) < 1e-10
        m = new
        if done:
            break
    eps = 1e-6
    jac = np.empty((3, 3))
    for j in range(3):
        d = np.zeros(3)
        d[j] = eps
        jac[:, j] = (tree_map(m + d, tree, temperature)["m"] - tree_map(m - d, tree, temperature)["m"]) / (
            2 * eps
        )
    lam = float(np.max(np.abs(np.linalg.eigvals(jac))))
    return {"m": float(m[0]), "m_cousins": float(m[2]), "lambda": lam}


MIXED_COLUMNS = (
    "category_m",
    "category_lambda",
    "fine_m",
    "fine_m_cousins",
    "fine_lambda",
)


def mixed_state_table(shape: list[tuple[int, int, int]] | None, triples) -> pd.DataFrame:
    """:func:`mixed_state` of the category and of the fine label for every ``(b_fine, b_stimulus, T)``
    of ``triples``, in the catalogue's largest category (most of the trials), in the columns
    :data:`MIXED_COLUMNS` (NaN without a catalogue shape)."""
    rows = []
    largest = max(shape, key=lambda c: c[2]) if shape else None
    for bf, bs, t in triples:
        row = {"b_fine": float(bf), "b_stimulus": float(bs), "temperature": float(t)}
        if largest is None:
            rows.append({**row, **dict.fromkeys(MIXED_COLUMNS, np.nan)})
            continue
        tree = Tree(largest[0], largest[1], float(bf), float(bs))
        cat, fine = mixed_state(tree, float(t), "category"), mixed_state(tree, float(t), "fine")
        rows.append(
            {
                **row,
                "category_m": cat["m"],
                "category_lambda": cat["lambda"],
                "fine_m": fine["m"],
                "fine_m_cousins": fine["m_cousins"],
                "fine_lambda": fine["lambda"],
            }
        )
    return pd.DataFrame(rows, columns=["b_fine", "b_stimulus", "temperature", *MIXED_COLUMNS])
