MNIST_RAW = [
    f"resources/mnist/MNIST/raw/{name}"
    for name in (
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    )
]


rule prepare_mnist:
    input:
        code=pkg("mnist"),
    output:
        raw=MNIST_RAW,
        checksums="results/data/mnist_checksums.csv",
        counts="results/data/mnist_counts.csv",
        samples="results/data/mnist_samples.csv",
        provenance=prov("prepare_mnist"),
    log:
        "logs/prepare_mnist.log",
    benchmark:
        "results/benchmarks/prepare_mnist.tsv"
    conda:
        "../envs/data.yaml"
    resources:
        runtime=20,
        mem_mb=2000,
    params:
        local_dir=config["mnist"]["local_dir"],
        samples_per_digit=config["mnist"]["samples_per_digit"],
        root=lambda w, output: str(Path(output.raw[0]).parents[2]),
    script:
        "../scripts/prepare_mnist.py"


rule plot_mnist_samples:
    input:
        mnist_samples=rules.prepare_mnist.output.samples,
        code=pkg("plotting"),
    output:
        png=report(
            "results/figures/data_mnist_samples.png",
            caption="../report/data_mnist_samples.rst",
            category="Data",
        ),
        pdf="results/figures/data_mnist_samples.pdf",
        provenance=prov("plot_mnist_samples"),
    log:
        "logs/plot_mnist_samples.log",
    conda:
        "../envs/report.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        figure="data_mnist_samples",
    script:
        "../scripts/plot_figure.py"


FINAL_OUTPUTS += [
    rules.prepare_mnist.output.checksums,
    rules.prepare_mnist.output.counts,
    rules.prepare_mnist.output.samples,
    rules.prepare_mnist.output.provenance,
    *rules.plot_mnist_samples.output,
]
