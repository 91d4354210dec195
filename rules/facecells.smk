from conceptdyn.facecells.regimes import VARIED as REGIME_VARIED

FACECELLS = config["facecells"]

# The face-cell data source: the synthetic recording, or a real one when facecells.recording is set.
FC_DATA = "recording" if config["facecells"]["recording"] else "synthetic"
FC_SOURCES = [FC_DATA, "model"]
# Figure inputs: the named tables of the data source (keys <name>_data) and of the model (<name>_model).
FC_FIGURE_SOURCES = {"data": FC_DATA, "model": "model"}
FC_STIMULI = FACECELLS["stimuli"] or "results/data/facecell_stimuli.csv"
# Ground truth of the onsets: the generator's population onsets; the model's cue (it carries both).
FC_TRUTH = {
    "synthetic": {
        "global": FACECELLS["synthetic"]["global_onset_ms"],
        "fine": FACECELLS["synthetic"]["fine_onset_ms"],
    },
    "model": {
        "global": FACECELLS["model"]["cue_ms"],
        "fine": FACECELLS["model"]["cue_ms"],
    },
    "recording": {},
}


rule facecell_synthetic:
    input:
        code=code("facecell_synthetic"),
    output:
        nwb="results/data/facecells_synthetic.nwb",
        stimuli="results/data/facecell_stimuli.csv",
        neurons="results/facecells/synthetic_neurons.csv",
        provenance=prov("facecell_synthetic"),
    log:
        "logs/facecell_synthetic.log",
    benchmark:
        "results/benchmarks/facecell_synthetic.tsv"
    # seconds; the regime map (the longest job) waits for its stimuli
    priority: 4
    conda:
        "../envs/facecells.yaml"
    resources:
        runtime=10,
        mem_mb=3000,
    params:
        synthetic=FACECELLS["synthetic"],
        session=FACECELLS["session"],
        categories=FACECELLS["categories"],
        seed=config["seed"],
    script:
        "../scripts/facecell_synthetic.py"


rule facecell_model:
    input:
        stimuli=FC_STIMULI,
        code=code("facecell_model"),
    output:
        nwb="results/data/facecells_model.nwb",
        overlaps="results/facecells/model_overlaps.csv",
        provenance=prov("facecell_model"),
    log:
        "logs/facecell_model.log",
    benchmark:
        "results/benchmarks/facecell_model.tsv"
    conda:
        "../envs/facecells.yaml"
    resources:
        runtime=10,
        mem_mb=4000,
        gpu=GPU,
    params:
        model=FACECELLS["model"],
        session=FACECELLS["session"],
        seed=config["seed"],
        device=config["device"],
    script:
        "../scripts/facecell_model.py"


rule facecell_regimes:
    input:
        stimuli=FC_STIMULI,
        code=code("facecell_regimes"),
    output:
        table="results/facecells/regimes.csv",
        theory="results/facecells/regime_theory.csv",
        agreement="results/facecells/regime_theory_agreement.csv",
        choice="results/facecells/regime_choice.csv",
        confirm="results/facecells/regime_confirm.csv",
        provenance=prov("facecell_regimes"),
    log:
        "logs/facecell_regimes.log",
    benchmark:
        "results/benchmarks/facecell_regimes.tsv"
    # the longest job (about 8 minutes on one core): started first, the rest packs beside it
    priority: 3
    conda:
        "../envs/facecells.yaml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=4000,
        gpu=GPU,
    params:
        # facecells.model without the settings the map varies: the map does not depend on the default
        model={k: v for k, v in FACECELLS["model"].items() if k not in REGIME_VARIED},
        session=FACECELLS["session"],
        regimes=FACECELLS["regimes"],
        analysis=FACECELLS["analysis"],
        seed=config["seed"],
        device=config["device"],
    script:
        "../scripts/facecell_regimes.py"


rule facecell_analysis:
    input:
        # each source its own spikes: the recording the user gave, else the synthetic data or the model
        nwb=lambda wc: (
            FACECELLS["recording"]
            if wc.source == "recording"
            else f"results/data/facecells_{wc.source}.nwb"
        ),
        stimuli=FC_STIMULI,
        code=code("facecell_analysis"),
    output:
        pca="results/facecells/{source}/pca.csv",
        information="results/facecells/{source}/information.csv",
        mixture="results/facecells/{source}/mixture.csv",
        onsets="results/facecells/{source}/onsets.csv",
        vectors="results/facecells/{source}/population_vectors.npz",
        provenance="results/provenance/facecell_analysis_{source}.json",
    log:
        "logs/facecell_analysis_{source}.log",
    benchmark:
        "results/benchmarks/facecell_analysis_{source}.tsv"
    wildcard_constraints:
        source=r"synthetic|model|recording|scale/seed\d+",
    conda:
        "../envs/facecells.yaml"
    resources:
        runtime=30,
        mem_mb=4000,
    params:
        analysis=FACECELLS["analysis"],
        truth=lambda w: FC_TRUTH["model" if w.source.startswith("scale/") else w.source],
        seed=config["seed"],
    script:
        "../scripts/facecell_analysis.py"


rule facecell_onsets:
    input:
        onsets=expand("results/facecells/{source}/onsets.csv", source=FC_SOURCES),
        code=code("facecell_onsets"),
    output:
        table="results/facecells/onsets.csv",
        provenance=prov("facecell_onsets"),
    log:
        "logs/facecell_onsets.log",
    benchmark:
        "results/benchmarks/facecell_onsets.tsv"
    conda:
        "../envs/facecells.yaml"
    resources:
        runtime=5,
        mem_mb=1000,
    script:
        "../scripts/facecell_onsets.py"


# ---------------------------------------------------------------------------------------------------
# Face cells at scale (target facecells_scale, not in the default run): the tree theory's window at
# growing N, one setting x size per job; the chosen setting analysed like the data at the largest N on
# the first seeds of seeds.master_seeds (the master seed first).
FC_SCALE = FACECELLS["scale"]
FC_SCALE_SEEDS = list(
    dict.fromkeys([config["seed"], *config["seeds"]["master_seeds"]])
)[: FC_SCALE["seeds"]]
FC_SCALE_RUNS = expand(
    "results/facecells/scale/runs/s{setting}_N{n}.csv",
    setting=range(FC_SCALE["settings"]),
    n=FC_SCALE["sizes"],
)


rule facecell_scale_run:
    input:
        theory=rules.facecell_regimes.output.theory,
        stimuli=FC_STIMULI,
        code=code("facecell_scale_run"),
    output:
        table="results/facecells/scale/runs/s{setting}_N{n}.csv",
        provenance="results/provenance/facecell_scale_run_s{setting}_N{n}.json",
    log:
        "logs/facecell_scale_run_s{setting}_N{n}.log",
    benchmark:
        "results/benchmarks/facecell_scale_run_s{setting}_N{n}.tsv"
    wildcard_constraints:
        setting=r"\d+",
        n=r"\d+",
    conda:
        "../envs/facecells.yaml"
    resources:
        runtime=30,
        # patterns, 4 arrays of trial states and the noisy stimuli's draws (float64)
        mem_mb=lambda wc: 1500 + int(wc.n) * 38 * FC_SCALE["trials"] * 40 // 1_000_000,
        gpu=GPU,
    params:
        model={k: v for k, v in FACECELLS["model"].items() if k not in REGIME_VARIED},
        session=FACECELLS["session"],
        scale=FC_SCALE,
        seed=config["seed"],
        device=config["device"],
    script:
        "../scripts/facecell_scale_run.py"


rule facecell_scale_routes:
    input:
        runs=FC_SCALE_RUNS,
        theory=rules.facecell_regimes.output.theory,
        code=code("facecell_scale_routes"),
    output:
        routes="results/facecells/scale/routes.csv",
        extrapolation="results/facecells/scale/extrapolation.csv",
        agreement="results/facecells/scale/agreement.csv",
        trajectories="results/facecells/scale/trajectories.csv",
        choice="results/facecells/scale/choice.csv",
        provenance=prov("facecell_scale_routes"),
    log:
        "logs/facecell_scale_routes.log",
    benchmark:
        "results/benchmarks/facecell_scale_routes.tsv"
    conda:
        "../envs/facecells.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        scale=FC_SCALE,
        regimes={k: FACECELLS["regimes"][k] for k in ("retrieved", "margin")},
        seed=config["seed"],
    script:
        "../scripts/facecell_scale_routes.py"


rule facecell_scale_model:
    input:
        choice=rules.facecell_scale_routes.output.choice,
        stimuli=FC_STIMULI,
        code=code("facecell_model"),
    output:
        nwb="results/data/facecells_scale/seed{seed}.nwb",
        overlaps="results/facecells/scale/seed{seed}/model_overlaps.csv",
        provenance="results/provenance/facecell_scale_model_seed{seed}.json",
    log:
        "logs/facecell_scale_model_seed{seed}.log",
    benchmark:
        "results/benchmarks/facecell_scale_model_seed{seed}.tsv"
    wildcard_constraints:
        seed=r"\d+",
    conda:
        "../envs/facecells.yaml"
    resources:
        runtime=60,
        mem_mb=lambda wc: 2000
        + max(FC_SCALE["sizes"]) * 38 * FC_SCALE["model_trials"] * 40 // 1_000_000,
        gpu=GPU,
    params:
        model=FACECELLS["model"],
        session=FACECELLS["session"],
        seed=lambda wc: int(wc.seed),
        device=config["device"],
        scale_trials=FC_SCALE["model_trials"],
    script:
        "../scripts/facecell_model.py"


rule facecell_scale_verdicts:
    input:
        choice=rules.facecell_scale_routes.output.choice,
        scale_onsets=expand(
            "results/facecells/scale/seed{seed}/onsets.csv", seed=FC_SCALE_SEEDS
        ),
        scale_mixture=expand(
            "results/facecells/scale/seed{seed}/mixture.csv", seed=FC_SCALE_SEEDS
        ),
        scale_overlaps=expand(
            rules.facecell_scale_model.output.overlaps, seed=FC_SCALE_SEEDS
        ),
        onsets=rules.facecell_onsets.output.table,
        mixture_model="results/facecells/model/mixture.csv",
        regimes=rules.facecell_regimes.output.table,
        code=code("facecell_scale_verdicts"),
    output:
        verdicts="results/facecells/scale/verdicts.csv",
        provenance=prov("facecell_scale_verdicts"),
    log:
        "logs/facecell_scale_verdicts.log",
    benchmark:
        "results/benchmarks/facecell_scale_verdicts.tsv"
    conda:
        "../envs/facecells.yaml"
    resources:
        runtime=5,
        mem_mb=1000,
    params:
        seeds=FC_SCALE_SEEDS,
        seed=config["seed"],
        criteria=config["scorecard"],
        default_N=FACECELLS["model"]["N"],
        retrieved=FACECELLS["regimes"]["retrieved"],
        margin=FACECELLS["regimes"]["margin"],
    script:
        "../scripts/facecell_scale_verdicts.py"


rule facecell_scale_sparse:
    input:
        theory=rules.facecell_regimes.output.theory,
        stimuli=FC_STIMULI,
        code=code("facecell_scale_sparse"),
    output:
        theory="results/facecells/scale/sparse_theory.csv",
        comparison="results/facecells/scale/window_comparison.csv",
        provenance=prov("facecell_scale_sparse"),
    log:
        "logs/facecell_scale_sparse.log",
    benchmark:
        "results/benchmarks/facecell_scale_sparse.tsv"
    conda:
        "../envs/facecells.yaml"
    resources:
        runtime=30,
        mem_mb=2000,
    params:
        model={k: v for k, v in FACECELLS["model"].items() if k not in REGIME_VARIED},
        session=FACECELLS["session"],
        sparse=FC_SCALE["sparse"],
        regimes=FACECELLS["regimes"],
    script:
        "../scripts/facecell_scale_sparse.py"


register_stage(
    "facecells",
    target="facecells_scale",
    outputs=[
        *rules.facecell_scale_routes.output,
        *rules.facecell_scale_verdicts.output,
        *rules.facecell_scale_sparse.output,
    ],
    figures={
        "facecells_scale": {
            "routes": rules.facecell_scale_routes.output.routes,
            "extrapolation": rules.facecell_scale_routes.output.extrapolation,
            "agreement": rules.facecell_scale_routes.output.agreement,
        },
        "facecells_scale_sparse": {
            "comparison": rules.facecell_scale_sparse.output.comparison,
            "sparse_theory": rules.facecell_scale_sparse.output.theory,
            "regime_theory": rules.facecell_regimes.output.theory,
        },
        "facecells_scale_trajectories": {
            "routes": rules.facecell_scale_routes.output.routes,
            "trajectories": rules.facecell_scale_routes.output.trajectories,
        },
    },
    claim_tables=dict(scale_verdicts=rules.facecell_scale_verdicts.output.verdicts),
)


register_stage(
    "facecells",
    figures={
        "facecells_pca": source_tables("facecells", FC_FIGURE_SOURCES, "pca"),
        "facecells_multiples": source_tables("facecells", FC_FIGURE_SOURCES, "pca"),
        "facecells_information": {
            **source_tables("facecells", FC_FIGURE_SOURCES, "information"),
            "onsets": rules.facecell_onsets.output.table,
            "model_overlaps": rules.facecell_model.output.overlaps,
        },
        "facecells_mixture": source_tables("facecells", FC_FIGURE_SOURCES, "mixture"),
        "facecells_regimes": {
            "regimes": rules.facecell_regimes.output.table,
            "regime_choice": rules.facecell_regimes.output.choice,
        },
        "facecells_tradeoff": {"regimes": rules.facecell_regimes.output.table},
        "facecells_theory": {
            "regime_theory": rules.facecell_regimes.output.theory,
            "regimes": rules.facecell_regimes.output.table,
        },
    },
    outputs=[
        *expand(
            "results/facecells/{source}/{name}",
            source=FC_SOURCES,
            name=(
                "pca.csv",
                "information.csv",
                "mixture.csv",
                "onsets.csv",
                "population_vectors.npz",
            ),
        ),
        *expand(
            "results/provenance/facecell_analysis_{source}.json", source=FC_SOURCES
        ),
        *rules.facecell_model.output,
        *rules.facecell_onsets.output,
        *rules.facecell_regimes.output,
        *(rules.facecell_synthetic.output if FC_DATA == "synthetic" else []),
    ],
    claim_tables=dict(
        onsets=rules.facecell_onsets.output.table,
        mixture_data=f"results/facecells/{FC_DATA}/mixture.csv",
        mixture_model="results/facecells/model/mixture.csv",
        regimes=rules.facecell_regimes.output.table,
    ),
)
