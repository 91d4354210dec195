"""Adapter: one model of the VAE search -- repeated inference on both chain kinds from clean and
flip-noised digits; its summary rows, per-step curves and model row, each led by the setting and seed."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table
from conceptdyn.vae.inference import inference_sweep
from conceptdyn.vae.model import load_model
from conceptdyn.vae.training import model_table

# the per-step medians of the search's curves (figure vae_search_curves), led by the setting and seed
CURVE_COLUMNS = [
    *("arch", "beta", "data", "latent", "seed", "chain", "noise", "t"),
    *("mu_norm_own_median", "mu_norm_other_median", "mu_nearest_own_share"),
]

with stage(snakemake) as p:
    device = pick_device(p["device"])
    model, cfg = load_model(snakemake.input.model, device)
    s, c = p["search"], p["cfg"]
    dist, summary, _, units, _ = inference_sweep(
        [({**cfg.key.columns(), "main": False}, model)],
        p["root"],
        s["noises"],
        s["chains"],
        s["steps"],
        p["seed"],
        device,
        noise_kinds=["flip"],
        chain_kinds=["mean", "sample"],
        # the nearest memory at the start and at the default inference's last memory step (the one
        # "then a memory" reads), not at every step: the search's judges read only those
        memory_steps=[0, *[t for t in c["memory_steps"] if t <= s["steps"]][-1:]],
        active_threshold=c["active_threshold"],
    )
    lead = {"arch": p["arch"], "seed": p["seed"]}
    write_table(summary.assign(**lead)[[*lead, *summary.columns]], snakemake.output.summary)
    write_table(dist.assign(**lead)[CURVE_COLUMNS], snakemake.output.curves)
    write_table(model_table([snakemake.input.training], units).assign(**lead), snakemake.output.model)
