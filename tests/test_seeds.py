"""The seeds stage: the scorecards of several master seeds side by side and per claim how many seeds
say yes, on hand-made scorecards whose answers are known."""

import math

import pandas as pd
import pytest

from conceptdyn.core.scorecard import COLUMNS
from conceptdyn.seeds.robustness import render, robustness, scorecard_seeds, with_holds


def card(values, verdicts):
    rows = [
        (cid, part, f"claim {cid}", "m", v, "c", verdict, "t.csv", "s")
        for (cid, part), v, verdict in zip(
            [("a", "part 1"), ("b", "part 1"), ("c", "part 2")], values, verdicts, strict=True
        )
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


CARDS = {
    5: card([1.0, 0.2, math.nan], ["yes", "no", "no"]),
    7: card([0.9, 0.8, math.nan], ["yes", "yes", "no"]),
    9: card([0.95, 0.3, 2.0], ["yes", "no", "no"]),
}


def test_one_row_per_claim_and_seed_in_order():
    long = scorecard_seeds(CARDS)
    assert len(long) == 9 and list(long["seed"][:3]) == [5, 5, 5]
    assert list(long.loc[long["seed"] == 7, "verdict"]) == ["yes", "yes", "no"]


def test_robustness_counts_agreement_and_spread():
    r = robustness(scorecard_seeds(CARDS), default_seed=7).set_index("claim_id")
    assert list(r.index) == ["a", "b", "c"]
    assert r.loc["a", "holds"] == "3 of 3" and bool(r.loc["a", "unanimous"])
    # one seed of three says yes: not unanimous, and the default seed's verdict is that one
    assert r.loc["b", "holds"] == "1 of 3" and not bool(r.loc["b", "unanimous"])
    assert r.loc["b", "verdict_default_seed"] == "yes" and r.loc["b", "value_default_seed"] == 0.8
    assert r.loc["b", "value_median"] == pytest.approx(0.3)
    assert (r.loc["b", "value_min"], r.loc["b", "value_max"]) == (0.2, 0.8)
    # nan values (a table that cannot answer) are counted, not averaged
    assert r.loc["c", "n_nan"] == 2 and r.loc["c", "value_median"] == 2.0
    assert r.loc["c", "holds"] == "0 of 3" and bool(r.loc["c", "unanimous"])


def test_scorecards_with_other_claims_are_refused():
    other = CARDS[7].iloc[:2]
    with pytest.raises(ValueError, match="seed 9 lists other claims"):
        scorecard_seeds({5: CARDS[5], 9: other})
    with pytest.raises(ValueError, match="no seeds"):
        scorecard_seeds({})


def test_holds_beside_each_verdict_of_the_default_card():
    from conceptdyn.core.scorecard import render as render_card

    r = robustness(scorecard_seeds(CARDS), default_seed=7)
    held = with_holds(CARDS[7], r)
    assert list(held["holds"]) == ["3 of 3", "1 of 3", "0 of 3"]
    text = render_card(held)
    assert "[holds on 1 of 3 seeds]" in text
    summary = render(r, [5, 7, 9])
    assert "2 of 3 claims unanimous" in summary and "~ [yes on 1 of 3] claim b" in summary
