rule effective_config:
    input:
        # the environment record names the commit of the code: remade whenever the code changes
        code=sorted(
            str(p.relative_to(workflow.basedir))
            for pattern in (
                "src/conceptdyn/**/*.py",
                "scripts/*.py",
                "rules/*.smk",
                "Snakefile",
            )
            for p in Path(workflow.basedir).glob(pattern)
        ),
    output:
        config="results/config.yaml",
        environment="results/environment.json",
    log:
        "logs/effective_config.log",
    conda:
        "../envs/report.yaml"
    resources:
        runtime=5,
        mem_mb=1000,
    params:
        config=config,
    script:
        "../scripts/effective_config.py"


rule scorecard:
    input:
        overlap_dynamics=rules.compare_overlap_dynamics.output.table,
        capacity_estimates=rules.compare_capacity.output.estimates,
        fixed_points=rules.concept_fixed_points.output.fixed_points,
        bifurcation=rules.concept_fixed_points.output.bifurcation,
        plateaus=rules.analyse_plateaus.output.table,
        onsets=rules.facecell_onsets.output.table,
        mixture_data=f"results/facecells/{FC_DATA}/mixture.csv",
        mixture_model="results/facecells/model/mixture.csv",
        inference_summary=rules.vae_inference.output.summary,
        delta_diagnostic=rules.train_neocognitron.output.delta,
        comparison=rules.train_neocognitron.output.comparison,
        code=pkg("core/scorecard"),
    output:
        table=report(
            "results/scorecard.csv",
            caption="../report/scorecard.rst",
            category="Scorecard",
        ),
        text="results/scorecard.txt",
        provenance=prov("scorecard"),
    log:
        "logs/scorecard.log",
    conda:
        "../envs/report.yaml"
    resources:
        runtime=5,
        mem_mb=1000,
    params:
        criteria=config["scorecard"],
    script:
        "../scripts/scorecard.py"


FINAL_OUTPUTS += [*rules.scorecard.output]


# every output of the default DAG under results/ (tables incl. sweep tables, models, figures, provenance,
# scorecard), the effective config and the environment; not the downloaded MNIST files (resources/),
# whose checksums are in results/data/mnist_checksums.csv
rule archive:
    input:
        [f for f in FINAL_OUTPUTS if f.startswith("results/")],
        rules.effective_config.output,
    output:
        "results/conceptdyn_results.tar.gz",
    log:
        "logs/archive.log",
    conda:
        "../envs/report.yaml"
    resources:
        runtime=10,
        mem_mb=1000,
    script:
        "../scripts/archive.py"
