"""Per-stage times from the benchmark files of a run."""

import os

from conceptdyn.core import timing

HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"


def _bench(path, seconds, cpu, rss=100.0):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + f"{seconds}\t0:00:01\t{rss}\t1\t1\t1\t0\t0\t50\t{cpu}\n")


def test_job_and_stage_times_sum_this_runs_benchmarks(tmp_path):
    b = tmp_path / "results/benchmarks"
    _bench(b / "train_vae.tsv", 40.0, 30.0, 900)
    _bench(b / "train_vae_sweep_z2.tsv", 20.0, 19.0)
    _bench(b / "facecell_analysis_model.tsv", 10.0, 9.0)
    _bench(b / "facecell_analysis_synthetic.tsv", 12.0, 11.0)
    old = b / "plot_vae_strips.tsv"
    _bench(old, 5.0, 5.0)
    os.utime(old, (100.0, 100.0))  # an earlier run's job
    patterns = {
        "train_vae": ("vae", str(b / "train_vae.tsv")),
        "train_vae_sweep": ("vae", str(b / "train_vae_sweep_z{latent}.tsv")),
        "facecell_analysis": ("facecells", str(b / "facecell_analysis_{source}.tsv")),
        "plot_vae": ("figures", str(b / "plot_{figure}.tsv")),
    }
    jobs = timing.job_times(patterns, since=1000.0)
    assert len(jobs) == 4 and "plot_vae" not in set(jobs["rule"])
    per = timing.stage_times(jobs, order=["facecells", "vae"])
    assert per["stage"].tolist() == ["facecells", "vae"]
    assert per.set_index("stage").loc["vae", ["jobs", "seconds", "cpu_seconds", "max_rss_mb"]].tolist() == [
        2,
        60.0,
        49.0,
        900.0,
    ]
    text = timing.render(per, wall_seconds=41.0)
    assert "all" in text and "CPU / wall 1.68 cores" in text and "job time / wall 2.00" in text


def test_job_processes_declare_the_nested_runs_only_for_their_jobs():
    from conceptdyn.core.jobmode import module_needed, target_job_rules

    argv = ["snakemake", "--target-jobs", "plot_vae:figure=vae_training", "seed7_train_vae:", "--cores", "1"]
    rules = target_job_rules(argv)
    assert rules == {"plot_vae", "seed7_train_vae"}
    assert module_needed(rules, "seed7_") and not module_needed(rules, "seed8_")
    assert not module_needed(rules, "vae_converged")
    # the main process plans every job: every module
    assert target_job_rules(["snakemake", "--cores", "2", "all"]) is None
    assert module_needed(None, "seed7_")
