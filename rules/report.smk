# the top-level workflow's alone (not a seed run's or the converged VAE run's): the effective config,
# the reproduction report and the archive
if TOP_LEVEL:

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
        benchmark:
            "results/benchmarks/effective_config.tsv"
        conda:
            "../envs/report.yaml"
        resources:
            runtime=5,
            mem_mb=1000,
        params:
            config=config,
        script:
            "../scripts/effective_config.py"


from conceptdyn.core import scorecard as _scorecard
from conceptdyn.core.stages import stage_modules

CLAIM_STAGES = list(stage_modules("claims"))
_unknown = [
    t
    for t in (*_scorecard.table_names(), *_scorecard.table_names(optional=True))
    if t not in REGISTRY.claim_tables
]
if _unknown:
    raise WorkflowError(
        f"scorecard claims read tables {_unknown} that no stage registers "
        "(register_stage(..., claim_tables=...) in rules/<stage>.smk)"
    )


rule scorecard:
    input:
        unpack(optional_claim_tables),
        **{name: REGISTRY.claim_tables[name] for name in _scorecard.table_names()},
        code=code("scorecard", *(f"{s}/claims" for s in CLAIM_STAGES)),
    output:
        table=report(
            "results/scorecard.csv",
            caption="../report/scorecard.rst",
            category="Scorecard",
        ),
        provenance=prov("scorecard"),
    log:
        "logs/scorecard.log",
    benchmark:
        "results/benchmarks/scorecard.tsv"
    conda:
        "../envs/report.yaml"
    resources:
        runtime=5,
        mem_mb=1000,
    params:
        criteria=config["scorecard"],
    script:
        "../scripts/scorecard.py"


register_stage("report", outputs=[*rules.scorecard.output])


# The scorecard as documents: the text printed at the end of a run, results/reproduction.md (one
# section per stage) and the HTML report's front page; once the seeds target has run, each verdict
# with the number of seeds it holds on.
if TOP_LEVEL:

    rule reproduction:
        input:
            card=rules.scorecard.output.table,
            intro=here("report/workflow.rst"),
            robustness=lambda wildcards: (
                ["results/seeds/robustness.csv"]
                if Path("results/seeds/robustness.csv").is_file()
                else []
            ),
            code=code("reproduction", *(f"{s}/claims" for s in CLAIM_STAGES)),
        output:
            text="results/scorecard.txt",
            reproduction="results/reproduction.md",
            front_page="results/report_front.rst",
            provenance=prov("reproduction"),
        log:
            "logs/reproduction.log",
        benchmark:
            "results/benchmarks/reproduction.tsv"
        conda:
            "../envs/report.yaml"
        resources:
            runtime=5,
            mem_mb=1000,
        params:
            seed=config["seed"],
        script:
            "../scripts/reproduction.py"

    register_stage("report", outputs=[*rules.reproduction.output])

    # every output of the default DAG under results/ (tables incl. sweep tables, models, figures, provenance,
    # scorecard), the effective config and the environment; not the downloaded MNIST files (resources/),
    # whose checksums are in results/data/mnist_checksums.csv
    rule archive:
        input:
            [f for f in REGISTRY.targets[DEFAULT_RUN] if f.startswith("results/")],
            rules.effective_config.output,
        output:
            "results/conceptdyn_results.tar.gz",
        log:
            "logs/archive.log",
        benchmark:
            "results/benchmarks/archive.tsv"
        conda:
            "../envs/report.yaml"
        resources:
            runtime=10,
            mem_mb=1000,
        script:
            "../scripts/archive.py"
