import copy

from conceptdyn.vae.claims import CLAIMS as VAE_CLAIMS
from conceptdyn.vae.keys import DATA as VAE_DATA, default_models, main_key
from conceptdyn.vae.search import search_settings

VAE = config["vae"]
VAE_TRAIN = {
    k: VAE[k]
    for k in (
        "hidden",
        "epochs",
        "batch_size",
        "lr",
        "train_subset",
        "validation",
        "stop_window",
        "stop_improvement",
    )
}
# The default run's models by role (main, sweep, data, variants), each named by its ModelKey
# (KL weight, latent size, data): conceptdyn.vae.model.default_models
VAE_MAIN = main_key(VAE)
VAE_KEYS = default_models(VAE)


# Every VAE is trained by one rule definition and one stopping rule (vae.epochs as the cap,
# vae.validation/stop_*): the main model, the latent-size sweep and the model on the other data differ
# only in their paths and in how latent size and data follow from them.
VAE_MODELS = {
    "train_vae": dict(
        role="main",
        stem="results/vae/{kind}",
        suffix="",
        latent=lambda w: VAE_MAIN.latent,
        data=lambda w: VAE_MAIN.data,
        beta=VAE_MAIN.beta,
        constraints={},
    ),
    "train_vae_sweep": dict(
        role="sweep",
        stem="results/vae/sweep/{kind}_z{{latent}}",
        suffix="_z{latent}",
        latent=lambda w: int(w.latent),
        data=lambda w: VAE_MAIN.data,
        beta=VAE_MAIN.beta,
        constraints=dict(latent=r"\d+"),
    ),
    "train_vae_data": dict(
        role="data",
        stem="results/vae/data/{kind}_z{{latent}}_{{data}}",
        suffix="_z{latent}_{data}",
        latent=lambda w: int(w.latent),
        data=lambda w: w.data,
        beta=VAE_MAIN.beta,
        constraints=dict(latent=r"\d+", data="|".join(VAE_DATA)),
    ),
    # the search's models (snakemake vae_search) that the default run does not train already
    "train_vae_search": dict(
        stem="results/vae/search/{kind}_b{{beta}}_z{{latent}}_{{data}}",
        suffix="_b{beta}_z{latent}_{data}",
        latent=lambda w: int(w.latent),
        data=lambda w: w.data,
        beta=lambda w: float(w.beta),
        constraints=dict(beta=r"[0-9.]+", latent=r"\d+", data="|".join(VAE_DATA)),
    ),
}

for _name, _m in VAE_MODELS.items():

    rule:
        name:
            _name
        input:
            mnist=rules.prepare_mnist.output.raw,
            code=code("train_vae"),
        output:
            model=_m["stem"].format(kind="vae") + ".pt",
            training=_m["stem"].format(kind="training") + ".csv",
            provenance=f"results/provenance/{_name}{_m['suffix']}.json",
        log:
            f"logs/{_name}{_m['suffix']}.log",
        benchmark:
            f"results/benchmarks/{_name}{_m['suffix']}.tsv"
        wildcard_constraints:
            **_m["constraints"],
        conda:
            "../envs/vae.yaml"
        # one thread: the MLP's batches are too small to gain from a second one (1.4x idle, slower
        # than one thread beside other work; benchmarks/loaded_machine.py), so two models train side
        # by side on two cores
        threads: 1
        resources:
            runtime=60,
            mem_mb=4000,
            gpu=GPU,
        params:
            **VAE_TRAIN,
            latent=_m["latent"],
            data=_m["data"],
            beta=_m["beta"],
            seed=config["seed"],
            device=config["device"],
            root=mnist_root,
        script:
            "../scripts/train_vae.py"


# the rule that trains a model of the default run, by its role (VAE_MODELS); every other model, the
# variants included, is train_vae_search's
VAE_TRAINED_BY = {
    k: name
    for name, m in VAE_MODELS.items()
    if "role" in m
    for k in VAE_KEYS[m["role"]]
}
# the models vae_inference reads, the main one first
VAE_DEFAULT_MODELS = [
    k for role in ("main", "sweep", "data", "variants") for k in VAE_KEYS[role]
]


rule vae_inference:
    input:
        mnist=rules.prepare_mnist.output.raw,
        models=vae_files(VAE_TRAINED_BY, VAE_DEFAULT_MODELS, "model"),
        trainings=vae_files(VAE_TRAINED_BY, VAE_DEFAULT_MODELS, "training"),
        code=code("vae_inference"),
    output:
        distance="results/vae/concept_distance.csv",
        units="results/vae/latent_units.csv",
        models="results/vae/models.csv",
        summary="results/vae/inference_summary.csv",
        strips="results/vae/inference_strips.csv",
        images="results/vae/images.csv",
        hierarchy="results/vae/concept_hierarchy.csv",
        provenance=prov("vae_inference"),
    log:
        "logs/vae_inference.log",
    benchmark:
        "results/benchmarks/vae_inference.tsv"
    conda:
        "../envs/vae.yaml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=4000,
        gpu=GPU,
    params:
        cfg=VAE["inference"],
        main=VAE_MAIN.columns(),
        seed=config["seed"],
        device=config["device"],
        root=mnist_root,
    script:
        "../scripts/vae_inference.py"


# The search (snakemake --cores all vae_search): the models of vae.search; a setting the default run
# trains already (same KL weight, data and latent size) is that model, not a second one.
VAE_SEARCH = VAE["search"]


VAE_SEARCH_KEYS = search_settings(VAE_SEARCH)


rule vae_search_inference:
    input:
        mnist=rules.prepare_mnist.output.raw,
        models=vae_files(VAE_TRAINED_BY, VAE_SEARCH_KEYS, "model"),
        trainings=vae_files(VAE_TRAINED_BY, VAE_SEARCH_KEYS, "training"),
        code=code("vae_search"),
    output:
        search="results/vae/search/search.csv",
        curves="results/vae/search/search_curves.csv",
        models="results/vae/search/models.csv",
        provenance=prov("vae_search_inference"),
    log:
        "logs/vae_search_inference.log",
    benchmark:
        "results/benchmarks/vae_search_inference.tsv"
    conda:
        "../envs/vae.yaml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=4000,
        gpu=GPU,
    params:
        search=VAE_SEARCH,
        cfg=VAE["inference"],
        default=VAE_MAIN.columns(),
        max_t_min=config["scorecard"]["vae_approach_clean"]["max_t_min"],
        seed=config["seed"],
        device=config["device"],
        root=mnist_root,
    script:
        "../scripts/vae_search.py"


register_stage("vae", target="vae_search", outputs=[*rules.vae_search_inference.output])


# The long version (snakemake --cores all vae_converged, not in the default run): the VAE stage once more
# with vae.converged_epochs as the cap of the same stopping rule, a module of this workflow (like a seed
# run) with every output under results/vae/converged/: its models, tables and VAE figures, and the VAE
# claims judged on both runs side by side (verdicts.csv) with the models' epochs (training_compared.csv).
VAE_CONVERGED = "results/vae/converged/"
VAE_CONVERGED_FIGURES = [
    "vae_training",
    "vae_concept_distance",
    "vae_strips",
    "vae_hierarchy",
    "vae_variants",
]
register_stage("vae", target="vae_converged")
if (
    TOP_LEVEL
    and VAE["converged_epochs"] != VAE["epochs"]
    and module_needed(JOB_RULES, "vae_converged")
):

    module vae_converged_run:
        snakefile:
            "../Snakefile"
        config:
            {
                **copy.deepcopy(config),
                "vae": {**copy.deepcopy(VAE), "epochs": VAE["converged_epochs"]},
                "seeds": {"master_seeds": []},
            }
        replace_prefix:
            {"results/": VAE_CONVERGED, "logs/": "logs/vae/converged/"}
    # its VAE rules only: the MNIST files are the default run's
    # fmt: off
    use rule train_vae, train_vae_sweep, train_vae_data, train_vae_search, vae_inference, plot_vae from vae_converged_run as vae_converged_*
    # fmt: on
    rule vae_converged_verdicts:
        input:
            default=rules.vae_inference.output.summary,
            default_models=rules.vae_inference.output.models,
            converged=f"{VAE_CONVERGED}vae/inference_summary.csv",
            converged_models=f"{VAE_CONVERGED}vae/models.csv",
            code=code("vae_converged"),
        output:
            verdicts=f"{VAE_CONVERGED}verdicts.csv",
            training=f"{VAE_CONVERGED}training_compared.csv",
            provenance=prov("vae_converged_verdicts"),
        log:
            "logs/vae_converged_verdicts.log",
        benchmark:
            "results/benchmarks/vae_converged_verdicts.tsv"
        conda:
            "../envs/report.yaml"
        resources:
            runtime=5,
            mem_mb=1000,
        params:
            criteria={c.claim_id: config["scorecard"][c.claim_id] for c in VAE_CLAIMS},
        script:
            "../scripts/vae_converged.py"

    register_stage(
        "vae",
        target="vae_converged",
        outputs=[
            *rules.vae_converged_verdicts.output,
            *[
                f"{VAE_CONVERGED}{p.removeprefix('results/')}"
                for p in rules.vae_inference.output
            ],
            *[
                f"{VAE_CONVERGED}figures/{name}.{ext}"
                for name in VAE_CONVERGED_FIGURES
                for ext in ("png", "pdf")
            ],
        ],
    )


register_stage(
    "vae",
    figures={
        "vae_training": {
            "training": rules.train_vae.output.training,
            "sweep_training": vae_files(VAE_TRAINED_BY, VAE_KEYS["sweep"], "training"),
        },
        "vae_images": {"images": rules.vae_inference.output.images},
        "vae_concept_distance": {
            "concept_distance": rules.vae_inference.output.distance,
            "inference_summary": rules.vae_inference.output.summary,
        },
        "vae_strips": {"strips": rules.vae_inference.output.strips},
        "vae_hierarchy": {
            "concept_hierarchy": rules.vae_inference.output.hierarchy,
            "inference_summary": rules.vae_inference.output.summary,
        },
        "vae_variants": {
            "concept_distance": rules.vae_inference.output.distance,
            "inference_summary": rules.vae_inference.output.summary,
            "latent_units": rules.vae_inference.output.units,
        },
        "vae_search": {"search": rules.vae_search_inference.output.search},
        "vae_search_curves": {
            "curves": rules.vae_search_inference.output.curves,
            "search": rules.vae_search_inference.output.search,
        },
    },
    figure_targets={"vae_search": "vae_search", "vae_search_curves": "vae_search"},
    outputs=[
        *[
            path
            for what in ("model", "training", "provenance")
            for path in vae_files(VAE_TRAINED_BY, VAE_DEFAULT_MODELS, what)
        ],
        *rules.vae_inference.output,
    ],
    claim_tables={"inference_summary": rules.vae_inference.output.summary},
)
