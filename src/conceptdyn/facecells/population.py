"""Population analysis of face-cell recordings (Matsumoto et al., Cereb Cortex 2005).

Sliding windows, population vectors, PCA snapshots, class-conditional Gaussian decoding of global and
fine labels with a permutation test, onsets of significant information, and a variational Bayesian
Gaussian mixture (Dirichlet-process prior) over time.

Conventions: a window is ``[start, start + width)`` ms after stimulus onset; time courses are indexed
by the window's **end**, the earliest time by which the information in that window must have been
present, so that an onset read off at a window end is never earlier than the truth (up to chance).
Single-trial counts are square-root transformed (``sqrt(count + 3/8)``, variance-stabilising for
Poisson counts) before decoding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


def window_starts(first: int, last: int, step: int) -> np.ndarray:
    if step < 1 or last < first:
        raise ValueError(f"need step >= 1 and last >= first, got {first}, {last}, {step}")
    return np.arange(first, last + 1, step)


def sliding_counts(counts: np.ndarray, width: int, starts: np.ndarray) -> np.ndarray:
    """Spike counts in windows ``[s, s + width)``: ``(trials, units, T)`` -> ``(trials, windows, units)``."""
    t = counts.shape[-1]
    if starts.min() < 0 or starts.max() + width > t:
        raise ValueError(f"windows [{starts.min()}, {starts.max() + width}] ms exceed the {t} ms of data")
    cum = np.concatenate([np.zeros((*counts.shape[:-1], 1), counts.dtype), np.cumsum(counts, -1)], -1)
    return np.moveaxis(cum[..., starts + width] - cum[..., starts], -1, 1).astype(np.float32)


def stimulus_means(x: np.ndarray, stim: np.ndarray, n_stim: int) -> np.ndarray:
    """Trial-averaged vectors: ``(trials, W, units)`` -> ``(stimuli, W, units)``."""
    onehot = np.zeros((len(stim), n_stim), np.float32)
    onehot[np.arange(len(stim)), stim] = 1.0
    sums = np.einsum("ns,nwd->swd", onehot, x)
    return sums / onehot.sum(0)[:, None, None]


def pca(v: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Scores of the rows of ``v`` (points x dims) on the first ``k`` PCs and explained variance ratios.

    The sign of each component is fixed so that its largest loading is positive (deterministic).
    """
    c = v - v.mean(0)
    u, s, vt = np.linalg.svd(c, full_matrices=False)
    k = min(k, len(s))
    signs = np.sign(vt[np.arange(k), np.argmax(np.abs(vt[:k]), axis=1)])
    signs[signs == 0] = 1
    scores = (u[:, :k] * s[:k]) * signs
    total = (s**2).sum()
    return scores, (s[:k] ** 2) / total if total > 0 else np.zeros(k)


# ---------------------------------------------------------------------------------------------
# Class-conditional Gaussian decoding
# ---------------------------------------------------------------------------------------------


def stratified_folds(rng: np.random.Generator, stim: np.ndarray, folds: int) -> np.ndarray:
    """Fold of each trial, balanced within every stimulus (so every class is in every training set)."""
    fold = np.empty(len(stim), dtype=np.int64)
    for s in np.unique(stim):
        idx = np.flatnonzero(stim == s)
        fold[rng.permutation(idx)] = np.arange(len(idx)) % folds
    return fold


def gaussian_decode(z: np.ndarray, y: np.ndarray, fold: np.ndarray, var_floor: float = 1e-3) -> np.ndarray:
    """Cross-validated predictions of a Gaussian classifier with class means and a pooled diagonal
    covariance (equal priors), for every window at once.

    z: ``(trials, W, d)``; y: class codes ``0..C-1``; fold: fold per trial.  Returns ``(trials, W)``.
    Every fold's class sums and squares are taken at once as matrix products, and the class scores
    window by window as one batched product (BLAS: several times faster than the einsum loops they
    replaced; only the last bits of the scores differ, not the predictions).
    """
    n_class = int(y.max()) + 1
    folds, f_of = np.unique(fold, return_inverse=True)
    n, W, d = z.shape
    flat = z.reshape(n, W * d)
    cell = np.zeros((n, len(folds) * n_class), z.dtype)  # (fold, class) of each trial, one-hot
    cell[np.arange(n), f_of * n_class + y] = 1.0
    sums = (cell.T @ flat).reshape(len(folds), n_class, W, d)  # test trials' class sums per fold
    squares = (cell.T @ (flat * flat)).reshape(len(folds), n_class, W, d).sum(1)  # (folds, W, d)
    counts = cell.sum(0).reshape(len(folds), n_class)
    count_all, sum_all, square_all = counts.sum(0), sums.sum(0), squares.sum(0)
    by_window = z.transpose(1, 0, 2)  # (W, trials, d)
    pred = np.empty((n, W), dtype=np.int64)
    for k in range(len(folds)):
        test = f_of == k
        n_c = count_all - counts[k]
        if np.any(n_c == 0):
            raise ValueError("a class has no training trial in some fold; use fewer folds")
        mu = (sum_all - sums[k]) / n_c[:, None, None]  # (C, W, d)
        within = square_all - squares[k] - (n_c @ (mu * mu).reshape(n_class, -1)).reshape(W, d)
        var = within / max(n_c.sum() - n_class, 1)
        var = np.maximum(var, var_floor * (var.mean(-1, keepdims=True) + 1e-12)) + 1e-9
        weighted = mu / var[None]  # (C, W, d): mu / var
        # sum_d x mu / var - 0.5 sum_d mu^2 / var: -0.5 (x - mu)^2 / var without the class-free x^2 term
        cross = np.matmul(by_window[:, test], weighted.transpose(1, 2, 0))  # (W, n_test, C)
        quad = 0.5 * (mu * weighted).sum(-1).T  # (W, C)
        pred[test] = np.argmax(cross - quad[:, None, :], axis=-1).T
    return pred


@dataclass
class Problem:
    """One decoding problem: labels to decode, groups within which labels are permuted and decoded."""

    name: str
    labels: np.ndarray  # (trials,) codes
    groups: np.ndarray  # (trials,) decode separately within each group (global: one group)


def group_parts(z: np.ndarray, prob: Problem, fold: np.ndarray) -> list[tuple]:
    """``(mask, z, fold)`` of each group; they do not change under permutation, so take them once."""
    return [(m, z[m], fold[m]) for m in (prob.groups == g for g in np.unique(prob.groups))]


def problem_accuracy(
    z: np.ndarray, prob: Problem, labels: np.ndarray, fold: np.ndarray, parts: list | None = None
) -> np.ndarray:
    """Accuracy per window, decoding within each group (trials of groups with one class are skipped).

    ``parts``: :func:`group_parts` of ``z``, when the caller decodes many label sets.
    """
    correct = np.zeros(z.shape[1])
    n = 0
    for m, z_g, fold_g in group_parts(z, prob, fold) if parts is None else parts:
        classes, codes = np.unique(labels[m], return_inverse=True)
        if len(classes) < 2:
            continue
        pred = gaussian_decode(z_g, codes, fold_g)
        correct += (pred == codes[:, None]).sum(0)
        n += m.sum()
    return correct / max(n, 1)


def chance_level(prob: Problem) -> float:
    """Expected accuracy of guessing (equal priors, balanced classes): mean over trials of 1/classes."""
    out = []
    for g in np.unique(prob.groups):
        lab = prob.labels[prob.groups == g]
        k = len(np.unique(lab))
        if k >= 2:
            out.extend([1.0 / k] * len(lab))
    return float(np.mean(out))


def permuted_labels(rng: np.random.Generator, prob: Problem, stim: np.ndarray) -> np.ndarray:
    """Labels of whole stimuli shuffled within each group (trials of one stimulus keep one label)."""
    _, first, index = np.unique(stim, return_index=True, return_inverse=True)
    label, group = prob.labels[first], prob.groups[first]  # per stimulus, sorted by id
    new = label.copy()
    for g in np.unique(group):
        new[group == g] = rng.permutation(label[group == g])
    return new[index]


def information_time_course(
    z: np.ndarray,
    prob: Problem,
    stim: np.ndarray,
    fold: np.ndarray,
    rng: np.random.Generator,
    permutations: int,
    progress=None,
) -> pd.DataFrame:
    """Decoding accuracy per window with a permutation null (stimulus labels shuffled within groups).

    p-value per window: ``(1 + #{null >= observed}) / (1 + permutations)``.
    """
    parts = group_parts(z, prob, fold)
    acc = problem_accuracy(z, prob, prob.labels, fold, parts)
    null = np.empty((permutations, z.shape[1]))
    it = range(permutations) if progress is None else progress(range(permutations))
    for i in it:
        null[i] = problem_accuracy(z, prob, permuted_labels(rng, prob, stim), fold, parts)
    p = (1 + (null >= acc[None] - 1e-12).sum(0)) / (1 + permutations)
    return pd.DataFrame(
        {
            "accuracy": acc,
            "chance": chance_level(prob),
            "null_mean": null.mean(0) if permutations else np.nan,
            "null_q95": np.quantile(null, 0.95, axis=0) if permutations else np.nan,
            "p_value": p,
        }
    )


def onset(times: np.ndarray, p_values: np.ndarray, alpha: float, run: int) -> float:
    """First time at which ``p <= alpha`` holds for ``run`` consecutive windows (nan if never)."""
    sig = np.asarray(p_values) <= alpha
    if run < 1:
        raise ValueError("run must be >= 1")
    streak = np.convolve(sig.astype(int), np.ones(run, int), mode="valid")
    hits = np.flatnonzero(streak == run)
    return float(times[hits[0]]) if len(hits) else float("nan")


# ---------------------------------------------------------------------------------------------
# Unsupervised: variational Bayesian Gaussian mixture
# ---------------------------------------------------------------------------------------------


def mixture_clusters(
    v: np.ndarray, n_pcs: int, max_clusters: int, concentration: float, seed: int
) -> np.ndarray:
    """Cluster the rows of ``v`` (stimuli x units) in their first PCs with a Dirichlet-process mixture.

    Returns the hard assignment of each stimulus; the number of distinct values is the effective
    number of clusters.
    """
    from sklearn.mixture import BayesianGaussianMixture

    scores, _ = pca(v, n_pcs)
    scale = scores[:, 0].std() or 1.0
    bgm = BayesianGaussianMixture(
        n_components=min(max_clusters, len(v)),
        covariance_type="spherical",
        weight_concentration_prior_type="dirichlet_process",
        weight_concentration_prior=concentration,
        max_iter=500,
        n_init=1,
        random_state=seed,
    )
    return bgm.fit(scores / scale).predict(scores / scale)


def cluster_agreement(assign: np.ndarray, global_codes: np.ndarray, fine_codes: np.ndarray) -> dict:
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    return {
        "n_clusters": len(np.unique(assign)),
        "ari_global": adjusted_rand_score(global_codes, assign),
        "ari_fine": adjusted_rand_score(fine_codes, assign),
        "ami_global": adjusted_mutual_info_score(global_codes, assign),
        "ami_fine": adjusted_mutual_info_score(fine_codes, assign),
    }
