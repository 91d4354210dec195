import copy

from conceptdyn.vae.claims import CLAIMS as VAE_CLAIMS
from conceptdyn.vae.keys import (
    DATA as VAE_DATA,
    SWEEP_TABLES,
    ModelKey,
    default_models,
    main_key,
)
from conceptdyn.vae.search import (
    SearchKey,
    architectures,
    default_arch,
    reseed_seeds,
    search_keys,
)

VAE = config["vae"]
VAE_TRAIN = {
    k: VAE[k]
    for k in (
        "epochs",
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
# architectures (hidden units, activation, batch size) by name: the search's, and the vae section's own
# under the name of the search's architecture it equals ("own" if none), the default run's models'
VAE_ARCH = default_arch(VAE) or "own"
VAE_ARCHS = {
    **architectures(VAE["search"]),
    VAE_ARCH: {k: VAE[k] for k in ("hidden", "activation", "batch_size")},
}


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
    # every other model: the default run's labelled variants and the search's models (snakemake
    # vae_search) that the default run does not train already, by architecture and training seed
    "train_vae_search": dict(
        stem="results/vae/search/{{arch}}/s{{seed}}/{kind}_b{{beta}}_z{{latent}}_{{data}}",
        suffix="_{arch}_s{seed}_b{beta}_z{latent}_{data}",
        latent=lambda w: int(w.latent),
        data=lambda w: w.data,
        beta=lambda w: float(w.beta),
        constraints=dict(
            arch=r"[A-Za-z0-9_]+",
            seed=r"\d+",
            beta=r"[0-9.]+",
            latent=r"\d+",
            data="|".join(VAE_DATA),
        ),
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
        # the VAE's inference waits for every training: the trainings start early
        priority: 1
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
            hidden=vae_arch("hidden"),
            activation=vae_arch("activation"),
            batch_size=vae_arch("batch_size"),
            latent=_m["latent"],
            data=_m["data"],
            beta=_m["beta"],
            seed=vae_seed,
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


# the default run's inference, one job per model (so that the models' inferences run side by side and
# spread over a cluster), then their tables joined
VAE_INFERENCE_MODEL = "results/vae/inference/b{beta}_z{latent}_{data}/{what}.csv"
VAE_INFERENCE_PROVENANCE = (
    "results/provenance/vae_inference_model_b{beta}_z{latent}_{data}.json"
)


rule vae_inference_model:
    input:
        mnist=rules.prepare_mnist.output.raw,
        model=lambda w: vae_files([vae_inference_key(w)], "model")[0],
        code=code("vae_inference_model"),
    output:
        **{what: VAE_INFERENCE_MODEL.replace("{what}", what) for what in SWEEP_TABLES},
        provenance=VAE_INFERENCE_PROVENANCE,
    log:
        "logs/vae_inference_model_b{beta}_z{latent}_{data}.log",
    benchmark:
        "results/benchmarks/vae_inference_model_b{beta}_z{latent}_{data}.tsv"
    wildcard_constraints:
        beta=r"[0-9.]+",
        latent=r"\d+",
        data="|".join(VAE_DATA),
    conda:
        "../envs/vae.yaml"
    threads: config["threads"]
    resources:
        runtime=20,
        mem_mb=3000,
        gpu=GPU,
    params:
        cfg=VAE["inference"],
        main=lambda w: vae_inference_key(w).model == VAE_MAIN,
        seed=config["seed"],
        device=config["device"],
        root=mnist_root,
    script:
        "../scripts/vae_inference_model.py"


rule vae_inference:
    input:
        **{what: vae_inference_parts(what) for what in SWEEP_TABLES},
        mnist=rules.prepare_mnist.output.raw,
        main=vae_files([VAE_MAIN], "model")[0],
        trainings=vae_files(VAE_DEFAULT_MODELS, "training"),
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
    threads: 1
    resources:
        runtime=10,
        mem_mb=2000,
        gpu=GPU,
    params:
        seed=config["seed"],
        device=config["device"],
        root=mnist_root,
    script:
        "../scripts/vae_inference.py"


# The search (snakemake --cores all vae_search; docs/vae.md): every setting of vae.search (architecture x
# KL weight x data x latent size) trained by train_vae_search -- a setting the default run trains
# already is that model -- and its repeated inference, one job per model (vae_search_model); every
# setting judged by every VAE claim at the master seed (vae_search_claims), the group chosen there by
# search.RESEED_RULE rerun on the next seeds of seeds.master_seeds, and search.REGIME_RULE on it
# (vae_search_regime).
VAE_SEARCH = VAE["search"]
VAE_SEARCH_KEYS = search_keys(VAE_SEARCH, config["seed"])
VAE_SEARCH_SEEDS = reseed_seeds(
    config["seed"], config["seeds"]["master_seeds"], VAE_SEARCH["seeds"]
)
VAE_SEARCH_MODEL = (
    "results/vae/search/{arch}/s{seed}/{what}_b{beta}_z{latent}_{data}.csv"
)


rule vae_search_model:
    input:
        mnist=rules.prepare_mnist.output.raw,
        model=lambda w: vae_files([vae_search_key(w)], "model")[0],
        training=lambda w: vae_files([vae_search_key(w)], "training")[0],
        code=code("vae_search_model"),
    output:
        **{
            what: VAE_SEARCH_MODEL.replace("{what}", what)
            for what in ("summary", "curves", "model")
        },
        provenance="results/provenance/vae_search_model_{arch}_s{seed}_b{beta}_z{latent}_{data}.json",
    log:
        "logs/vae_search_model_{arch}_s{seed}_b{beta}_z{latent}_{data}.log",
    benchmark:
        "results/benchmarks/vae_search_model_{arch}_s{seed}_b{beta}_z{latent}_{data}.tsv"
    wildcard_constraints:
        arch=r"[A-Za-z0-9_]+",
        seed=r"\d+",
        beta=r"[0-9.]+",
        latent=r"\d+",
        data="|".join(VAE_DATA),
    conda:
        "../envs/vae.yaml"
    threads: 1
    resources:
        runtime=20,
        mem_mb=3000,
        gpu=GPU,
    params:
        # only what one model's inference reads, so that a change of the search's grid or reseeding
        # reruns no model's inference
        search={k: VAE_SEARCH[k] for k in ("noises", "chains", "steps")},
        cfg=VAE["inference"],
        arch=lambda w: w.arch,
        seed=lambda w: int(w.seed),
        device=config["device"],
        root=mnist_root,
    script:
        "../scripts/vae_search_model.py"


VAE_SEARCH_PARAMS = dict(
    search=VAE_SEARCH,
    criteria={c.claim_id: config["scorecard"][c.claim_id] for c in VAE_CLAIMS},
    seed=config["seed"],
)


checkpoint vae_search_claims:
    input:
        summaries=vae_search_files(VAE_SEARCH_KEYS, "summary"),
        curves=vae_search_files(VAE_SEARCH_KEYS, "curves"),
        models=vae_search_files(VAE_SEARCH_KEYS, "model"),
        code=code("vae_search_claims"),
    output:
        search="results/vae/search/search.csv",
        curves="results/vae/search/search_curves.csv",
        models="results/vae/search/models.csv",
        choice="results/vae/search/choice.csv",
        provenance=prov("vae_search_claims"),
    log:
        "logs/vae_search_claims.log",
    benchmark:
        "results/benchmarks/vae_search_claims.tsv"
    conda:
        "../envs/report.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        **VAE_SEARCH_PARAMS,
        default={"arch": VAE_ARCH, **VAE_MAIN.columns()},
        max_t_min=config["scorecard"]["vae_approach_clean"]["max_t_min"],
    script:
        "../scripts/vae_search_claims.py"


rule vae_search_regime:
    input:
        choice=rules.vae_search_claims.output.choice,
        summaries=vae_search_reseeded("summary"),
        models=vae_search_reseeded("model"),
        code=code("vae_search_regime"),
    output:
        claims="results/vae/search/claims.csv",
        holds="results/vae/search/holds.csv",
        regime="results/vae/search/regime.csv",
        pairs="results/vae/search/pairs.csv",
        summary="results/vae/search/summary.md",
        provenance=prov("vae_search_regime"),
    log:
        "logs/vae_search_regime.log",
    benchmark:
        "results/benchmarks/vae_search_regime.tsv"
    conda:
        "../envs/report.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        **VAE_SEARCH_PARAMS,
        seeds=VAE_SEARCH_SEEDS,
    script:
        "../scripts/vae_search_regime.py"


register_stage(
    "vae",
    target="vae_search",
    outputs=[*rules.vae_search_claims.output, *rules.vae_search_regime.output],
)


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
        # the top-level workflow validated this config already
        skip_validation:
            True
        replace_prefix:
            {"results/": VAE_CONVERGED, "logs/": "logs/vae/converged/"}
    # its VAE rules only: the MNIST files are the default run's
    # fmt: off
    use rule train_vae, train_vae_sweep, train_vae_data, train_vae_search, vae_inference_model, vae_inference, plot_vae from vae_converged_run as vae_converged_*
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
            "sweep_training": vae_files(VAE_KEYS["sweep"], "training"),
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
        "vae_search": {"search": rules.vae_search_claims.output.search},
        "vae_search_curves": {
            "curves": rules.vae_search_claims.output.curves,
            "search": rules.vae_search_claims.output.search,
        },
        "vae_search_claims": {
            "holds": rules.vae_search_regime.output.holds,
            "claims": rules.vae_search_regime.output.claims,
            "pairs": rules.vae_search_regime.output.pairs,
            "regime": rules.vae_search_regime.output.regime,
        },
    },
    figure_targets={
        "vae_search": "vae_search",
        "vae_search_curves": "vae_search",
        "vae_search_claims": "vae_search",
    },
    outputs=[
        *[
            path
            for what in ("model", "training", "provenance")
            for path in vae_files(VAE_DEFAULT_MODELS, what)
        ],
        *[
            path
            for what in (*SWEEP_TABLES, "provenance")
            for path in vae_inference_parts(what)
        ],
        *rules.vae_inference.output,
    ],
    claim_tables={"inference_summary": rules.vae_inference.output.summary},
)
