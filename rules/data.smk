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
        code=code("prepare_mnist"),
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
    # seconds; the neocognitron and the VAE trainings wait for it
    priority: 4
    conda:
        "../envs/data.yaml"
    resources:
        runtime=20,
        mem_mb=2000,
    # mnist.local_dir says where the files are, not what they are (their MD5s are fixed): it is read
    # by the script from the config, so pointing it at another folder with the same files reruns nothing
    params:
        samples_per_digit=config["mnist"]["samples_per_digit"],
        root=lambda w, output: str(Path(output.raw[0]).parents[2]),
    script:
        "../scripts/prepare_mnist.py"


register_stage(
    "data",
    figures={
        "data_mnist_samples": {"mnist_samples": rules.prepare_mnist.output.samples}
    },
    outputs=[
        rules.prepare_mnist.output.checksums,
        rules.prepare_mnist.output.counts,
        rules.prepare_mnist.output.samples,
        rules.prepare_mnist.output.provenance,
    ],
)
