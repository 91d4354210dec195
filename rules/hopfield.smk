HOPFIELD = config["hopfield"]
HOPFIELD_COMMON = dict(seed=config["seed"], device=config["device"])


rule simulate_overlap_dynamics:
    input:
        code=code("simulate_overlap_dynamics"),
    output:
        table="results/hopfield/overlap_dynamics_sim.csv",
        provenance=prov("simulate_overlap_dynamics"),
    log:
        "logs/simulate_overlap_dynamics.log",
    benchmark:
        "results/benchmarks/simulate_overlap_dynamics.tsv"
    conda:
        "../envs/hopfield.yaml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=4000,
        gpu=GPU,
    params:
        **HOPFIELD_COMMON,
        cfg=HOPFIELD["dynamics"],
        update_rule=HOPFIELD["rule"],
        temperature=HOPFIELD["temperature"],
    script:
        "../scripts/simulate_overlap_dynamics.py"


rule compare_overlap_dynamics:
    input:
        sim=rules.simulate_overlap_dynamics.output.table,
        code=code("compare_overlap_dynamics"),
    output:
        table="results/hopfield/overlap_dynamics.csv",
        deviation="results/hopfield/theory_deviation.csv",
        provenance=prov("compare_overlap_dynamics"),
    log:
        "logs/compare_overlap_dynamics.log",
    benchmark:
        "results/benchmarks/compare_overlap_dynamics.tsv"
    conda:
        "../envs/hopfield.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    script:
        "../scripts/compare_overlap_dynamics.py"


rule simulate_capacity:
    input:
        code=code("simulate_capacity"),
    output:
        table="results/hopfield/capacity.csv",
        provenance=prov("simulate_capacity"),
    log:
        "logs/simulate_capacity.log",
    benchmark:
        "results/benchmarks/simulate_capacity.tsv"
    # long (about 3 minutes): started early
    priority: 2
    conda:
        "../envs/hopfield.yaml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=6000,
        gpu=GPU,
    params:
        **HOPFIELD_COMMON,
        cfg=HOPFIELD["capacity"],
    script:
        "../scripts/simulate_capacity.py"


rule compare_capacity:
    input:
        sim=rules.simulate_capacity.output.table,
        code=code("compare_capacity"),
    output:
        summary="results/hopfield/capacity_summary.csv",
        theory="results/hopfield/capacity_theory.csv",
        estimates="results/hopfield/capacity_estimates.csv",
        provenance=prov("compare_capacity"),
    log:
        "logs/compare_capacity.log",
    benchmark:
        "results/benchmarks/compare_capacity.tsv"
    conda:
        "../envs/hopfield.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        retrieval_threshold=HOPFIELD["retrieval_threshold"],
    script:
        "../scripts/compare_capacity.py"


rule simulate_basin:
    input:
        code=code("simulate_basin"),
    output:
        table="results/hopfield/basin_sim.csv",
        provenance=prov("simulate_basin"),
    log:
        "logs/simulate_basin.log",
    benchmark:
        "results/benchmarks/simulate_basin.tsv"
    conda:
        "../envs/hopfield.yaml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=4000,
        gpu=GPU,
    params:
        **HOPFIELD_COMMON,
        cfg=HOPFIELD["basin"],
    script:
        "../scripts/simulate_basin.py"


rule compare_basin:
    input:
        sim=rules.simulate_basin.output.table,
        code=code("compare_basin"),
    output:
        fractions="results/hopfield/basin_fractions.csv",
        boundary="results/hopfield/basin.csv",
        provenance=prov("compare_basin"),
    log:
        "logs/compare_basin.log",
    benchmark:
        "results/benchmarks/compare_basin.tsv"
    conda:
        "../envs/hopfield.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        retrieval_threshold=HOPFIELD["retrieval_threshold"],
        theory_steps=HOPFIELD["basin"]["theory_steps"],
    script:
        "../scripts/compare_basin.py"


register_stage(
    "hopfield",
    figures={
        "hopfield_overlap_dynamics": {
            "overlap_dynamics": rules.compare_overlap_dynamics.output.table
        },
        "hopfield_capacity": {
            "capacity_summary": rules.compare_capacity.output.summary,
            "capacity_theory": rules.compare_capacity.output.theory,
            "capacity_estimates": rules.compare_capacity.output.estimates,
        },
        "hopfield_basin": {
            "basin_fractions": rules.compare_basin.output.fractions,
            "basin": rules.compare_basin.output.boundary,
        },
    },
    outputs=[
        *rules.compare_overlap_dynamics.output,
        *rules.compare_capacity.output,
        *rules.compare_basin.output,
        *rules.simulate_capacity.output,
        *rules.simulate_overlap_dynamics.output,
        *rules.simulate_basin.output,
    ],
    claim_tables=dict(
        overlap_dynamics=rules.compare_overlap_dynamics.output.table,
        capacity_estimates=rules.compare_capacity.output.estimates,
    ),
)
