"""Finite-size scaling analysis: statistics with the network as the unit, the fit, the theory table."""

import numpy as np
import pandas as pd
import pytest
from scipy import special

from conceptdyn.scaling import analysis as sc


def test_intraclass_correlation_limits_and_hand_value():
    assert sc.intraclass_correlation(np.array([[1, 1, 1], [0, 0, 0], [1, 1, 1]])) == pytest.approx(1.0)
    # no between-network spread: the ANOVA estimate is -1/(k-1)
    assert sc.intraclass_correlation(np.array([[1, 0], [0, 1], [1, 0]])) == pytest.approx(-1.0)
    v = np.array([[1.0, 2.0], [3.0, 5.0]])  # MSB = 2 * ((1.5-2.75)^2 + (4-2.75)^2) = 6.25, MSW = 2.5 / 2
    assert sc.intraclass_correlation(v) == pytest.approx((6.25 - 1.25) / (6.25 + 1.25))
    assert np.isnan(sc.intraclass_correlation(np.ones((1, 4))))


def test_fit_recovers_an_exact_scaling_law():
    n = np.array([1000, 4000, 16000, 64000])
    y = 0.138 + 0.9 * n**-0.5
    a_inf, c, chi2 = sc.fit_scaling(n, y, np.full(4, 1e-3), 0.5)
    assert a_inf == pytest.approx(0.138) and c == pytest.approx(0.9) and chi2 == pytest.approx(0, abs=1e-12)


def _fake_capacity(alpha_c_of_n, networks=6, starts=5):
    """Retrieved exactly when alpha < alpha_c(N): the crossing is where the fraction jumps."""
    rows = []
    for n, a_c in alpha_c_of_n.items():
        for alpha in np.round(np.arange(0.12, 0.20, 0.01), 3):
            for net in range(networks):
                for s in range(starts):
                    rows.append(
                        {
                            "N": n,
                            "alpha": alpha,
                            "network": net,
                            "start": s,
                            "m_final": 1.0 if alpha < a_c else 0.3,
                            "status": "settled" if alpha < a_c else "failed",
                            "steps": 20,
                        }
                    )
    return pd.DataFrame(rows)


def test_capacity_tables_and_extrapolation_on_a_known_answer():
    truth = {1000: 0.165, 4000: 0.1515, 16000: 0.14475}  # 0.138 + 0.855 / sqrt(N), roughly
    frac, cap, reps = sc.capacity_tables(_fake_capacity(truth), 0.8, reps=50, seed=1)
    assert set(frac["networks"]) == {6} and set(frac["starts"]) == {5}
    # the fraction drops from 1 to 0 between the grid points around alpha_c: the crossing is their middle
    for n, a_c in truth.items():
        lo = np.floor(a_c * 100) / 100
        assert cap.set_index("N").loc[n, "alpha_c"] == pytest.approx(lo + 0.005)
    assert reps.shape == (50, 3)
    ext = sc.extrapolate(cap.assign(se=1e-3), reps)
    assert ext.loc[ext["default"], "form"].item() == sc.DEFAULT_FORM
    assert {r["source"] for r in sc.REFERENCES} <= set(ext["source"])


def test_first_step_of_large_network_matches_the_exact_limit(cpu):
    """m(1) = erf(m0 / sqrt(2 alpha)) for N -> infinity (both theories); the table's z-score says so."""
    sim = sc.simulate_trajectories([4000], [4], [0.1], [0.3, 0.5], 4, 1, seed=3, tag=22, device=cpu)
    table = sc.dynamics_table(sim)
    t1 = table[table["t"] == 1]
    np.testing.assert_allclose(t1["m_amari_maginu"], special.erf(t1["m0"] / np.sqrt(0.2)))
    assert (t1["diff_okada"].abs() < 4 * t1["se"] + 0.01).all()
    assert (table["networks"] == 4).all()


def test_extrapolation_recovers_alpha_inf_and_its_interval_from_noisy_data():
    """Noisy alpha_c(N) drawn from alpha_inf + c N^-1/2 with known standard errors: the fit recovers
    alpha_inf within its interval, the interval has the width the noise implies (a bootstrap that
    does not refit each replicate, or refits the same data, gives zero width), chi^2 is of the order
    of its degrees of freedom under the true form and far larger under the wrong exponent."""
    rng = np.random.default_rng(11)
    n = np.array([1000, 2000, 5000, 10000, 20000, 50000])
    se = np.full(n.size, 0.0008)
    truth = 0.139 + 0.8 * n**-0.5
    y = truth + rng.normal(0, se)
    replicates = truth + rng.normal(0, se, size=(400, n.size))  # the noise a bootstrap would see
    cap = pd.DataFrame({"N": n, "alpha_c": y, "se": se})
    ext = sc.extrapolate(cap, replicates).set_index("form")
    half = ext.loc["N^-1/2"]
    # the standard error of alpha_inf from the design of the weighted fit
    X = np.column_stack([np.ones(n.size), n**-0.5])
    sd_inf = float(np.sqrt(np.linalg.inv(X.T @ X / 0.0008**2)[0, 0]))
    assert half["ci_low"] < 0.139 < half["ci_high"]
    assert half["ci_high"] - half["ci_low"] == pytest.approx(2 * 1.96 * sd_inf, rel=0.2)
    assert half["chi2"] < 4 * half["dof"]
    assert ext.loc["N^-1", "chi2"] > 10 * half["chi2"]
