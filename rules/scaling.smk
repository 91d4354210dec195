# Associative memory at scale (own target, not in the default run): `snakemake --cores all scaling`.
SCALING = config["scaling"]
SCALING_COMMON = dict(
    seed=config["seed"],
    device=config["device"],
    retrieval_threshold=config["hopfield"]["retrieval_threshold"],
)
SCALING_RESOURCES = dict(mem_mb=SCALING["mem_mb"], gpu=GPU)


rule scaling_capacity:
    input:
        code=code("scaling_simulate"),
    output:
        table="results/scaling/capacity_sim.csv",
        provenance=prov("scaling_capacity"),
    log:
        "logs/scaling_capacity.log",
    benchmark:
        "results/benchmarks/scaling_capacity.tsv"
    conda:
        "../envs/hopfield.yaml"
    threads: config["threads"]
    resources:
        **SCALING_RESOURCES,
        runtime=60,
    params:
        **SCALING_COMMON,
        cfg=SCALING["capacity"],
    script:
        "../scripts/scaling_simulate.py"


rule scaling_basin:
    input:
        code=code("scaling_simulate"),
    output:
        table="results/scaling/basin_sim.csv",
        provenance=prov("scaling_basin"),
    log:
        "logs/scaling_basin.log",
    benchmark:
        "results/benchmarks/scaling_basin.tsv"
    conda:
        "../envs/hopfield.yaml"
    threads: config["threads"]
    resources:
        **SCALING_RESOURCES,
        runtime=60,
    params:
        **SCALING_COMMON,
        cfg=SCALING["basin"],
    script:
        "../scripts/scaling_simulate.py"


rule scaling_dynamics:
    input:
        code=code("scaling_simulate"),
    output:
        table="results/scaling/dynamics_sim.csv",
        provenance=prov("scaling_dynamics"),
    log:
        "logs/scaling_dynamics.log",
    benchmark:
        "results/benchmarks/scaling_dynamics.tsv"
    conda:
        "../envs/hopfield.yaml"
    threads: config["threads"]
    resources:
        **SCALING_RESOURCES,
        runtime=60,
    params:
        **SCALING_COMMON,
        cfg=SCALING["dynamics"],
    script:
        "../scripts/scaling_simulate.py"


rule scaling_analysis:
    input:
        capacity=rules.scaling_capacity.output.table,
        basin=rules.scaling_basin.output.table,
        dynamics=rules.scaling_dynamics.output.table,
        code=code("scaling_analysis"),
    output:
        fractions="results/scaling/capacity_fractions.csv",
        capacity="results/scaling/capacity_scaling.csv",
        extrapolation="results/scaling/extrapolation.csv",
        basin="results/scaling/basin_scaling.csv",
        dynamics="results/scaling/dynamics_theory.csv",
        provenance=prov("scaling_analysis"),
    log:
        "logs/scaling_analysis.log",
    benchmark:
        "results/benchmarks/scaling_analysis.tsv"
    conda:
        "../envs/hopfield.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        **SCALING_COMMON,
        bootstrap=SCALING["bootstrap"],
        theory_steps=SCALING["basin"]["theory_steps"],
    script:
        "../scripts/scaling_analysis.py"


register_stage(
    "scaling",
    target="scaling",
    figures={
        "scaling_capacity": {
            "capacity_fractions": rules.scaling_analysis.output.fractions,
            "capacity_scaling": rules.scaling_analysis.output.capacity,
            "extrapolation": rules.scaling_analysis.output.extrapolation,
        },
        "scaling_basin": {"basin_scaling": rules.scaling_analysis.output.basin},
        "scaling_dynamics": {"dynamics_theory": rules.scaling_analysis.output.dynamics},
    },
    outputs=[
        *rules.scaling_capacity.output,
        *rules.scaling_basin.output,
        *rules.scaling_dynamics.output,
        *rules.scaling_analysis.output,
    ],
)
