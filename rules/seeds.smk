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
        # the top-level workflow validated this config already
        skip_validation:
            True
        replace_prefix:
            {
                "results/": f"results/seeds/{seed_run_seed}/",
                "logs/": f"logs/seeds/{seed_run_seed}/",
            }

    # every rule of the seed run: it defines no targets, archive, reproduction or seeds rules (those
    # are the top-level workflow's alone, TOP_LEVEL)
    use rule * from seed_run as seed_run*

    # the MNIST files (resources/) are shared: the default run's rule makes them
    workflow.ruleorder("prepare_mnist", f"{seed_run}prepare_mnist")


# the seeds rules are the top-level workflow's alone (a seed run has no seeds)
if TOP_LEVEL:

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

    register_stage(
        "seeds",
        target="seeds",
        figures={
            "seeds_verdicts": {
                "scorecard_seeds": rules.seed_robustness.output.seeds,
                "robustness": rules.seed_robustness.output.robustness,
            }
        },
        outputs=[*rules.seed_robustness.output],
    )
