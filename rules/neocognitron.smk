NEO = config["neocognitron"]


rule train_neocognitron:
    input:
        mnist=rules.prepare_mnist.output.raw,
        code=pkg("neocognitron", "mnist"),
    output:
        curves="results/neocognitron/curves.csv",
        accuracy="results/neocognitron/accuracy.csv",
        kernels="results/neocognitron/kernels.csv",
        delta="results/neocognitron/delta_diagnostic.csv",
        provenance=prov("train_neocognitron"),
    log:
        "logs/train_neocognitron.log",
    benchmark:
        "results/benchmarks/train_neocognitron.tsv"
    conda:
        "../envs/vae.yaml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=4000,
        gpu=1 if config["device"] == "cuda" else 0,
    params:
        cfg=NEO,
        device=config["device"],
        root=lambda w, input: str(Path(input.mnist[0]).parents[2]),
    script:
        "../scripts/train_neocognitron.py"


NEO_FIGURES = {
    "neocognitron_curves": {
        "curves": rules.train_neocognitron.output.curves,
        "accuracy": rules.train_neocognitron.output.accuracy,
    },
    "neocognitron_kernels": {
        "kernels": rules.train_neocognitron.output.kernels,
        "delta": rules.train_neocognitron.output.delta,
    },
}


rule plot_neocognitron:
    input:
        unpack(lambda w: NEO_FIGURES[w.figure]),
        code=pkg("plotting"),
    output:
        png=report(
            "results/figures/{figure}.png",
            caption="../report/neocognitron.rst",
            category="Neocognitron",
            subcategory="{figure}",
        ),
        pdf="results/figures/{figure}.pdf",
        provenance="results/provenance/plot_{figure}.json",
    log:
        "logs/plot_{figure}.log",
    wildcard_constraints:
        figure="neocognitron_[a-z_]+",
    conda:
        "../envs/report.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        figure=lambda w: w.figure,
    script:
        "../scripts/plot_figure.py"


FINAL_OUTPUTS += [
    *rules.train_neocognitron.output,
    *expand("results/figures/{figure}.{ext}", figure=NEO_FIGURES, ext=("png", "pdf")),
]
