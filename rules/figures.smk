# Figures: one plot rule per stage, made from the registry's figures (stage -> figure -> {table name:
# path}), which the stage files declare (register_stage, rules/common.smk). A plot job imports only its own stage's figure module, so editing one stage's
# figures reruns only that stage's figure jobs.
for stage in REGISTRY.figures:

    rule:
        name:
            f"plot_{stage}"
        input:
            unpack(figure_tables(stage)),
            code=code("plot_figure", f"{stage}/figures"),
        output:
            png=report(
                "results/figures/{figure}.png",
                caption=f"../report/{stage}.rst",
                category=STAGE_TITLES[stage],
                subcategory="{figure}",
            ),
            pdf="results/figures/{figure}.pdf",
            provenance="results/provenance/plot_{figure}.json",
        log:
            "logs/plot_{figure}.log",
        benchmark:
            "results/benchmarks/plot_{figure}.tsv"
        wildcard_constraints:
            figure=f"{stage}_[a-z_]+",
        conda:
            "../envs/report.yaml"
        resources:
            runtime=10,
            mem_mb=2000,
        params:
            stage=stage,
            figure=lambda wildcards: wildcards.figure,
        script:
            "../scripts/plot_figure.py"

    for name in REGISTRY.figures[stage]:
        # a figure is built by the target its stage registered it with
        REGISTRY.targets[REGISTRY.figure_targets[name]] += [
            path.format(figure=name)
            for path in (
                "results/figures/{figure}.png",
                "results/figures/{figure}.pdf",
                "results/provenance/plot_{figure}.json",
            )
        ]
