# Figures: one plot rule per stage, made from FIGURES (stage -> figure -> {table name: path}), which
# the stage files fill. A plot job imports only its own stage's figure module, so editing one stage's
# figures reruns only that stage's figure jobs.
for stage in FIGURES:

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

    for name in FIGURES[stage]:
        # a figure goes with its stage's target, or with the optional target it names
        group = OPTIONAL_FIGURES.get(name, stage)
        outputs = (
            OPTIONAL_OUTPUTS[group] if group in OPTIONAL_OUTPUTS else FINAL_OUTPUTS
        )
        outputs += [
            path.format(figure=name)
            for path in (
                "results/figures/{figure}.png",
                "results/figures/{figure}.pdf",
                "results/provenance/plot_{figure}.json",
            )
        ]
