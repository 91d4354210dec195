VAE = config["vae"]
VAE_TRAIN = {k: VAE[k] for k in ("hidden", "beta", "batch_size", "lr", "train_subset")}
# the other way of seeing MNIST than the main model's (vae.binarize), for the comparison of training data
VAE_OTHER_DATA = "grey" if VAE["binarize"] else "binarized"
VAE_SWEEP = sorted(set(VAE["sweep_latents"]) - {VAE["latent"]})


# Every VAE is trained by one rule definition: the main model, the latent-size sweep and the model on
# the other data differ only in their paths and in how latent size, epochs and data follow from them.
VAE_MODELS = {
    "train_vae": dict(
        stem="results/vae/{kind}",
        suffix="",
        latent=lambda w: VAE["latent"],
        epochs=VAE["epochs"],
        binarize=lambda w: VAE["binarize"],
        constraints={},
    ),
    "train_vae_sweep": dict(
        stem="results/vae/sweep/{kind}_z{{latent}}",
        suffix="_z{latent}",
        latent=lambda w: int(w.latent),
        epochs=VAE["sweep_epochs"],
        binarize=lambda w: VAE["binarize"],
        constraints=dict(latent=r"\d+"),
    ),
    "train_vae_data": dict(
        stem="results/vae/data/{kind}_z{{latent}}_{{data}}",
        suffix="_z{latent}_{data}",
        latent=lambda w: int(w.latent),
        epochs=VAE["epochs"],
        binarize=lambda w: w.data == "binarized",
        constraints=dict(latent=r"\d+", data="grey|binarized"),
    ),
}

for _name, _m in VAE_MODELS.items():

    rule:
        name:
            _name
        input:
            mnist=rules.prepare_mnist.output.raw,
            code=code("train_vae"),
        output:
            model=_m["stem"].format(kind="vae") + ".pt",
            training=_m["stem"].format(kind="training") + ".csv",
            provenance=f"results/provenance/{_name}{_m['suffix']}.json",
        log:
            f"logs/{_name}{_m['suffix']}.log",
        benchmark:
            f"results/benchmarks/{_name}{_m['suffix']}.tsv"
        wildcard_constraints:
            **_m["constraints"],
        conda:
            "../envs/vae.yaml"
        threads: config["threads"]
        resources:
            runtime=60,
            mem_mb=4000,
            gpu=GPU,
        params:
            **VAE_TRAIN,
            latent=_m["latent"],
            epochs=_m["epochs"],
            binarize=_m["binarize"],
            seed=config["seed"],
            device=config["device"],
            root=mnist_root,
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
        code=code("vae_inference"),
    output:
        distance="results/vae/concept_distance.csv",
        units="results/vae/latent_units.csv",
        summary="results/vae/inference_summary.csv",
        strips="results/vae/inference_strips.csv",
        images="results/vae/images.csv",
        hierarchy="results/vae/concept_hierarchy.csv",
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
        gpu=GPU,
    params:
        cfg=VAE["inference"],
        seed=config["seed"],
        device=config["device"],
        root=mnist_root,
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
    "vae_hierarchy": {
        "concept_hierarchy": rules.vae_inference.output.hierarchy,
        "inference_summary": rules.vae_inference.output.summary,
    },
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


CLAIM_TABLES.update(inference_summary=rules.vae_inference.output.summary)
