# The seeds target (`snakemake --cores all seeds`, not in the default run): the whole pipeline once
# more for every master seed of `seeds.master_seeds` other than the default run's, each as a Snakemake
# module of this workflow with its own config (`seed` changed) and its outputs under
# results/seeds/<seed>/ (logs under logs/seeds/<seed>/). The default seed's scorecard is the default
# run's own. Jobs of different seeds are independent, so a cluster runs them side by side.
import copy

SEEDS = config["seeds"]["master_seeds"]
# only the top-level workflow defines seed runs (a seed run has none of its own)
SEED_RUNS = [s for s in SEEDS if s != config["seed"]] if TOP_LEVEL else []
# each seed's scorecard: the default run's for the default seed
SEED_CARDS = {
    s: (
        "results/scorecard.csv"
        if s == config["seed"]
        else f"results/seeds/{s}/scorecard.csv"
    )
    for s in SEEDS
}


for seed_run_seed in SEED_RUNS:
    # a seed run is this workflow with another master seed, and no seeds of its own
    seed_run = f"seed{seed_run_seed}_"
    if not module_needed(JOB_RULES, seed_run):
        continue

    module:
        name: seed_run
        snakefile:
            "../Snakefile"
        config:
            {
                **copy.deepcopy(config),
                "seed": seed_run_seed,
                "seeds": {"master_seeds": []},
            }
        replace_prefix:
            {
                "results/": f"results/seeds/{seed_run_seed}/",
                "logs/": f"logs/seeds/{seed_run_seed}/",
            }

    # not imported: the targets, the archive and the seeds rules of a seed run (it has no seeds)
    use rule * from seed_run exclude all, scaling, seeds, vae_search, vae_converged, archive, effective_config, reproduction, seed_robustness, plot_seeds as seed_run*

    # the MNIST files (resources/) are shared: the default run's rule makes them
    workflow.ruleorder("prepare_mnist", f"{seed_run}prepare_mnist")


rule seed_robustness:
    input:
        cards=list(SEED_CARDS.values()),
        code=code("seed_robustness"),
    output:
        seeds="results/seeds/scorecard_seeds.csv",
        robustness="results/seeds/robustness.csv",
        text="results/seeds/robustness.txt",
        provenance=prov("seed_robustness"),
    log:
        "logs/seed_robustness.log",
    benchmark:
        "results/benchmarks/seed_robustness.tsv"
    conda:
        "../envs/report.yaml"
    resources:
        runtime=5,
        mem_mb=1000,
    params:
        seeds=SEEDS,
        default_seed=config["seed"],
    script:
        "../scripts/seed_robustness.py"


FIGURES["seeds"] = {
    "seeds_verdicts": {
        "scorecard_seeds": rules.seed_robustness.output.seeds,
        "robustness": rules.seed_robustness.output.robustness,
    }
}

OPTIONAL_OUTPUTS["seeds"] = [*rules.seed_robustness.output]
