VAE = config["vae"]
VAE_TRAIN = {k: VAE[k] for k in ("hidden", "beta", "batch_size", "lr", "train_subset")}
# the other way of seeing MNIST than the main model's (vae.binarize), for the comparison of training data
VAE_OTHER_DATA = "grey" if VAE["binarize"] else "binarized"
VAE_SWEEP = sorted(set(VAE["sweep_latents"]) - {VAE["latent"]})


rule train_vae:
    input:
        mnist=rules.prepare_mnist.output.raw,
        code=pkg("vae/model", "vae/training", "vae/inference", "data/mnist"),
    output:
        model="results/vae/vae.pt",
        training="results/vae/training.csv",
        provenance=prov("train_vae"),
    log:
        "logs/train_vae.log",
    benchmark:
        "results/benchmarks/train_vae.tsv"
    conda:
        "../envs/vae.yaml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=4000,
        gpu=1 if config["device"] == "cuda" else 0,
    params:
        **VAE_TRAIN,
        latent=VAE["latent"],
        epochs=VAE["epochs"],
        binarize=VAE["binarize"],
        seed=config["seed"],
        device=config["device"],
        root=lambda w, input: str(Path(input.mnist[0]).parents[2]),
    script:
        "../scripts/train_vae.py"


rule train_vae_sweep:
    input:
        mnist=rules.prepare_mnist.output.raw,
        code=pkg("vae/model", "vae/training", "vae/inference", "data/mnist"),
    output:
        model="results/vae/sweep/vae_z{latent}.pt",
        training="results/vae/sweep/training_z{latent}.csv",
        provenance="results/provenance/train_vae_sweep_z{latent}.json",
    log:
        "logs/train_vae_sweep_z{latent}.log",
    benchmark:
        "results/benchmarks/train_vae_sweep_z{latent}.tsv"
    wildcard_constraints:
        latent=r"\d+",
    conda:
        "../envs/vae.yaml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=4000,
        gpu=1 if config["device"] == "cuda" else 0,
    params:
        **VAE_TRAIN,
        latent=lambda w: int(w.latent),
        epochs=VAE["sweep_epochs"],
        binarize=VAE["binarize"],
        seed=config["seed"],
        device=config["device"],
        root=lambda w, input: str(Path(input.mnist[0]).parents[2]),
    script:
        "../scripts/train_vae.py"


rule train_vae_data:
    input:
        mnist=rules.prepare_mnist.output.raw,
        code=pkg("vae/model", "vae/training", "vae/inference", "data/mnist"),
    output:
        model="results/vae/data/vae_z{latent}_{data}.pt",
        training="results/vae/data/training_z{latent}_{data}.csv",
        provenance="results/provenance/train_vae_data_z{latent}_{data}.json",
    log:
        "logs/train_vae_data_z{latent}_{data}.log",
    benchmark:
        "results/benchmarks/train_vae_data_z{latent}_{data}.tsv"
    wildcard_constraints:
        latent=r"\d+",
        data="grey|binarized",
    conda:
        "../envs/vae.yaml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=4000,
        gpu=1 if config["device"] == "cuda" else 0,
    params:
        **VAE_TRAIN,
        latent=lambda w: int(w.latent),
        epochs=VAE["epochs"],
        binarize=lambda w: w.data == "binarized",
        seed=config["seed"],
        device=config["device"],
        root=lambda w, input: str(Path(input.mnist[0]).parents[2]),
    script:
        "../scripts/train_vae.py"


VAE_DATA_MODELS = expand(
    rules.train_vae_data.output.model,
    latent=VAE["data_latents"],
    data=VAE_OTHER_DATA,
)


rule vae_inference:
    input:
        mnist=rules.prepare_mnist.output.raw,
        main=rules.train_vae.output.model,
        sweep=expand(rules.train_vae_sweep.output.model, latent=VAE_SWEEP),
        data=VAE_DATA_MODELS,
        code=pkg("vae/model", "vae/training", "vae/inference", "data/mnist"),
    output:
        distance="results/vae/concept_distance.csv",
        units="results/vae/latent_units.csv",
        summary="results/vae/inference_summary.csv",
        strips="results/vae/inference_strips.csv",
        images="results/vae/images.csv",
        provenance=prov("vae_inference"),
    log:
        "logs/vae_inference.log",
    benchmark:
        "results/benchmarks/vae_inference.tsv"
    conda:
        "../envs/vae.yaml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=4000,
        gpu=1 if config["device"] == "cuda" else 0,
    params:
        cfg=VAE["inference"],
        seed=config["seed"],
        device=config["device"],
        root=lambda w, input: str(Path(input.mnist[0]).parents[2]),
    script:
        "../scripts/vae_inference.py"


FIGURES["vae"] = {
    "vae_training": {
        "training": rules.train_vae.output.training,
        "sweep_training": expand(
            rules.train_vae_sweep.output.training, latent=VAE_SWEEP
        ),
    },
    "vae_images": {"images": rules.vae_inference.output.images},
    "vae_concept_distance": {
        "concept_distance": rules.vae_inference.output.distance,
        "inference_summary": rules.vae_inference.output.summary,
    },
    "vae_strips": {"strips": rules.vae_inference.output.strips},
    "vae_variants": {
        "concept_distance": rules.vae_inference.output.distance,
        "inference_summary": rules.vae_inference.output.summary,
        "latent_units": rules.vae_inference.output.units,
    },
}


FINAL_OUTPUTS += [
    *rules.train_vae.output,
    *expand(rules.train_vae_sweep.output, latent=VAE_SWEEP),
    *expand(
        rules.train_vae_data.output, latent=VAE["data_latents"], data=VAE_OTHER_DATA
    ),
    *rules.vae_inference.output,
]
