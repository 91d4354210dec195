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
        source="synthetic|model|recording",
    conda:
        "../envs/facecells.yaml"
    resources:
        runtime=30,
        mem_mb=4000,
    params:
        analysis=FACECELLS["analysis"],
        truth=lambda w: FC_TRUTH[w.source],
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
