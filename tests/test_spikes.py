"""Synthetic face-cell generator, renewal spikes and NWB reading/writing with its refusals."""

import numpy as np
import pandas as pd
import pytest

from conceptdyn.core.settings import defaults
from conceptdyn.facecells import catalogue, generator, nwb

GEN = ("facecells.synthetic", "facecells.session")

CATS = [
    {"name": "monkey", "fine_prefix": "expression", "fine_labels": 5, "per_fine": 4},
    {"name": "human", "fine_prefix": "identity", "fine_labels": 4, "per_fine": 3},
    {"name": "shape", "fine_prefix": "form", "fine_labels": 3, "per_fine": 2},
]
SMALL = defaults(generator.GeneratorConfig, *GEN, neurons=6, trials=3)


def test_catalogue_is_the_38_stimulus_hierarchy():
    cat = catalogue.stimulus_catalogue(CATS)
    assert len(cat) == 38
    assert cat["global_label"].value_counts().to_dict() == {"monkey": 20, "human": 12, "shape": 6}
    _g, _f, globals_, pairs = catalogue.label_codes(cat)
    assert globals_ == ["monkey", "human", "shape"] and len(pairs) == 12
    assert cat["stimulus_id"].is_unique


@pytest.mark.parametrize(("process", "shape", "fano"), [("poisson", 1.0, 1.0), ("gamma", 4.0, 0.25)])
def test_renewal_counts_match_renewal_theory(rng, process, shape, fano):
    """Mean count = integral of the rate (exact); Fano factor -> 1/shape for long windows."""
    rate = np.full((4000, 1000), 40.0)  # 40 Hz for 1 s: 40 expected spikes
    rate[:, 500:] = 80.0  # then 80 Hz: 20 + 40 = 60 expected
    counts = np.array([len(s) for s in generator.renewal_spikes(rng, rate, process, shape)])
    assert counts.mean() == pytest.approx(60.0, abs=4 * np.sqrt(60 * fano / 4000) + 0.2)
    assert counts.var() / counts.mean() == pytest.approx(fano, rel=0.12)
    trains = generator.renewal_spikes(rng, rate[:50], process, shape)
    assert all(np.all(np.diff(s) >= 0) and s.min() >= 0 and s.max() < 1000 for s in trains)


def test_rates_carry_information_only_after_the_configured_onsets(rng):
    cfg = defaults(generator.GeneratorConfig, *GEN, neurons=20)
    cat = catalogue.stimulus_catalogue(CATS)
    par = generator.neuron_parameters(rng, cfg, cat)
    rates = generator.rate_functions(cfg, cat, par)  # (stimuli, neurons, time), time = -pre .. duration
    t = np.arange(-cfg.pre_ms, cfg.duration_ms) + 0.5
    g, _f, _, _ = catalogue.label_codes(cat)
    # before the global onset all stimuli give the same rate; before the fine onset, stimuli of one
    # category do; afterwards both differ
    before_g = t < cfg.global_onset_ms
    assert np.ptp(rates[:, :, before_g], axis=0).max() < 1e-9
    for c in range(3):
        within = rates[g == c][:, :, t < cfg.fine_onset_ms]
        assert np.ptp(within, axis=0).max() < 1e-9
    assert np.ptp(rates[:, :, t > cfg.global_onset_ms + 40], axis=0).max() > 1.0
    assert np.ptp(rates[g == 0][:, :, t > cfg.fine_onset_ms + 40], axis=0).max() > 1.0
    assert np.all(par["global_onset_ms"] >= cfg.global_onset_ms)
    assert np.all(par["fine_onset_ms"] >= cfg.fine_onset_ms)
    assert np.all(rates >= 0)


def test_generator_is_seeded():
    a, b, c = (generator.generate(SMALL, CATS, s) for s in (3, 3, 4))
    assert all(np.array_equal(x, y) for x, y in zip(a.spike_times, b.spike_times, strict=True))
    assert not np.array_equal(a.spike_times[0], c.spike_times[0])
    pd.testing.assert_frame_equal(a.trials, b.trials)


@pytest.fixture(scope="module")
def small_data():
    return generator.generate(SMALL, CATS, 7)


def _write(path, trials, spike_times):
    nwb.write_nwb(path, trials, spike_times, description="test", identifier="test")
    return path


def test_nwb_round_trip_and_counts(tmp_path, small_data):
    d = small_data
    path = _write(tmp_path / "x.nwb", d.trials, d.spike_times)
    rec = nwb.read_nwb(path)
    for col in ("start_time", "stop_time", catalogue.ONSET_COLUMN, *catalogue.TRIAL_COLUMNS):
        assert list(rec.trials[col]) == list(d.trials[col]), col
    assert all(np.array_equal(x, y) for x, y in zip(rec.spike_times, d.spike_times, strict=True))
    counts = nwb.trial_counts(rec, 400)
    # brute force: spikes of unit 2 in trial 5, 1 ms bins after its onset
    onset = d.trials[catalogue.ONSET_COLUMN][5]
    rel = (d.spike_times[2] - onset) * 1000.0
    expected, _ = np.histogram(rel, bins=np.arange(401))
    assert np.array_equal(counts[5, 2], expected)
    nwb.check_trials(rec.trials, d.catalogue, "x")
    assert not list(tmp_path.glob("*.part*"))


def test_written_nwb_passes_the_best_practice_inspector(tmp_path, small_data):
    """nwbinspector, the field's validator: no critical finding and no best-practice violation."""
    pytest.importorskip("nwbinspector")
    path = _write(tmp_path / "x.nwb", small_data.trials, small_data.spike_times)
    findings = nwb.inspect(path)
    assert not [f for f in findings if f.startswith(("CRITICAL", "BEST_PRACTICE_VIOLATION"))], findings


def test_onset_column_is_optional(tmp_path, small_data):
    """A recording whose trials start at stimulus onset needs no stimulus_onset column."""
    from pynwb import NWBHDF5IO, NWBFile

    path = tmp_path / "plain.nwb"
    import datetime as dt

    nwbfile = NWBFile(
        session_description="t", identifier="t", session_start_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    for col in catalogue.TRIAL_COLUMNS:
        nwbfile.add_trial_column(name=col, description=col)
    nwbfile.add_trial(start_time=1.0, stop_time=1.4, stimulus_id="s1", global_label="a", fine_label="x")
    nwbfile.add_unit(spike_times=[1.0005, 1.2])
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwbfile)
    rec = nwb.read_nwb(path)
    assert rec.trials[catalogue.ONSET_COLUMN].tolist() == [1.0]
    c = nwb.trial_counts(rec, 400)
    assert c[0, 0, 0] == 1 and c[0, 0, 200] == 1 and c.sum() == 2


def test_bad_recordings_are_refused_with_a_clear_message(tmp_path, small_data):
    d = small_data
    with pytest.raises(catalogue.RecordingError, match="does not exist"):
        nwb.read_nwb(tmp_path / "missing.nwb")
    (tmp_path / "junk.nwb").write_text("not hdf5")
    with pytest.raises(catalogue.RecordingError, match="could not be read as NWB"):
        nwb.read_nwb(tmp_path / "junk.nwb")
    # unsorted spike times
    bad = [s.copy() for s in d.spike_times]
    bad[1][[3, 4]] = bad[1][[4, 3]]
    with pytest.raises(catalogue.RecordingError, match="not sorted"):
        nwb.read_nwb(_write(tmp_path / "unsorted.nwb", d.trials, bad))
    # negative spike times
    bad = [s.copy() for s in d.spike_times]
    bad[0] = np.concatenate([[-0.5], bad[0]])
    with pytest.raises(catalogue.RecordingError, match="negative spike times"):
        nwb.read_nwb(_write(tmp_path / "negative.nwb", d.trials, bad))
    # unknown stimuli and wrong labels
    rec = nwb.read_nwb(_write(tmp_path / "ok.nwb", d.trials, d.spike_times))
    trials = rec.trials.copy()
    trials.loc[0, "stimulus_id"] = "unicorn_1"
    with pytest.raises(catalogue.RecordingError, match="unicorn_1"):
        nwb.check_trials(trials, d.catalogue, "x")
    trials = rec.trials.copy()
    trials.loc[0, "global_label"] = "shape" if trials.loc[0, "global_label"] != "shape" else "monkey"
    with pytest.raises(catalogue.RecordingError, match="global_label"):
        nwb.check_trials(trials, d.catalogue, "x")
    with pytest.raises(catalogue.RecordingError, match="fewer than 5 trials"):
        nwb.check_trials(rec.trials, d.catalogue, "x", min_trials=5)


def test_missing_trial_column_is_refused(tmp_path, small_data):
    import datetime as dt

    from pynwb import NWBHDF5IO, NWBFile

    nwbfile = NWBFile(
        session_description="t", identifier="t", session_start_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    nwbfile.add_trial_column(name="stimulus_id", description="id")
    nwbfile.add_trial(start_time=0.0, stop_time=0.4, stimulus_id="s1")
    nwbfile.add_unit(spike_times=[0.1])
    path = tmp_path / "nolabels.nwb"
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwbfile)
    with pytest.raises(catalogue.RecordingError, match=r"lacks columns \['global_label', 'fine_label'\]"):
        nwb.read_nwb(path)


def test_bad_catalogue_is_refused():
    with pytest.raises(catalogue.RecordingError, match="lacks columns"):
        catalogue.check_catalogue(pd.DataFrame({"stimulus_id": ["a"], "global_label": ["x"]}))
    cat = catalogue.stimulus_catalogue(CATS)
    with pytest.raises(catalogue.RecordingError, match="more than once"):
        catalogue.check_catalogue(pd.concat([cat, cat.iloc[:1]]))


def test_trials_shorter_than_the_analysed_span_are_refused_by_trial(small_data):
    trials = small_data.trials.copy()
    onset = trials[catalogue.ONSET_COLUMN]
    nwb.check_span(trials, 350, "rec.nwb")  # the generator's trials last 400 ms after onset
    trials.loc[4, "stop_time"] = onset[4] + 0.300
    with pytest.raises(catalogue.RecordingError, match=r"trial 4 .* lasts 300.0 ms .* reads 350 ms"):
        nwb.check_span(trials, 350, "rec.nwb")


def test_silent_units_are_named_and_an_all_silent_recording_refused(caplog):
    from conceptdyn.facecells.analysis import check_silent_units

    counts = np.zeros((4, 3, 10), dtype=np.int32)
    with pytest.raises(catalogue.RecordingError, match="none of the 3 units fires"):
        check_silent_units(counts, ["a", "b", "c"], "rec.nwb")
    counts[:, 1, 3] = 1
    with caplog.at_level("WARNING"):
        check_silent_units(counts, ["a", "b", "c"], "rec.nwb")
    assert "2 of 3 units never fire" in caplog.text and "['a', 'c']" in caplog.text
