NEO = config["neocognitron"]


rule train_neocognitron:
    input:
        mnist=rules.prepare_mnist.output.raw,
        code=code("train_neocognitron"),
    output:
        curves="results/neocognitron/curves.csv",
        accuracy="results/neocognitron/accuracy.csv",
        kernels="results/neocognitron/kernels.csv",
        delta="results/neocognitron/delta_diagnostic.csv",
        comparison="results/neocognitron/comparison.csv",
        provenance=prov("train_neocognitron"),
    log:
        "logs/train_neocognitron.log",
    benchmark:
        "results/benchmarks/train_neocognitron.tsv"
    # long (about 4 minutes): started early
    priority: 2
    conda:
        "../envs/vae.yaml"
    # one thread: batches of 16 small images are too small for a second one (3.4 ms per iteration on
    # one thread, 5-9 ms on two; benchmarks/RESULTS.md), and the other core runs other jobs
    threads: 1
    resources:
        runtime=60,
        mem_mb=4000,
        gpu=GPU,
    params:
        cfg=NEO,
        seed=config["seed"],
        device=config["device"],
        root=mnist_root,
    script:
        "../scripts/train_neocognitron.py"


register_stage(
    "neocognitron",
    figures={
        "neocognitron_curves": {
            "curves": rules.train_neocognitron.output.curves,
            "accuracy": rules.train_neocognitron.output.accuracy,
        },
        "neocognitron_kernels": {
            "kernels": rules.train_neocognitron.output.kernels,
            "delta": rules.train_neocognitron.output.delta,
        },
        "neocognitron_comparison": {
            "comparison": rules.train_neocognitron.output.comparison
        },
    },
    outputs=[*rules.train_neocognitron.output],
    claim_tables=dict(
        delta_diagnostic=rules.train_neocognitron.output.delta,
        comparison=rules.train_neocognitron.output.comparison,
        accuracy=rules.train_neocognitron.output.accuracy,
    ),
)
