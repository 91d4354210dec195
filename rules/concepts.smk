CONCEPTS = config["concepts"]


rule mixed_state_overlaps:
    input:
        code=code("mixed_state_overlaps"),
    output:
        table="results/concepts/mixed_state_overlaps.csv",
        provenance=prov("mixed_state_overlaps"),
    log:
        "logs/mixed_state_overlaps.log",
    benchmark:
        "results/benchmarks/mixed_state_overlaps.tsv"
    conda:
        "../envs/hopfield.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        cfg=CONCEPTS["mixed_overlaps"],
        seed=config["seed"],
    script:
        "../scripts/mixed_state_overlaps.py"


rule concept_fixed_points:
    input:
        code=code("concept_fixed_points"),
    output:
        fixed_points="results/concepts/fixed_points.csv",
        bifurcation="results/concepts/bifurcation.csv",
        provenance=prov("concept_fixed_points"),
    log:
        "logs/concept_fixed_points.log",
    benchmark:
        "results/benchmarks/concept_fixed_points.tsv"
    conda:
        "../envs/hopfield.yaml"
    resources:
        runtime=20,
        mem_mb=2000,
    params:
        fixed=CONCEPTS["fixed_points"],
        bifurcation=CONCEPTS["bifurcation"],
    script:
        "../scripts/concept_fixed_points.py"


rule simulate_concept_map:
    input:
        code=code("simulate_concept_map"),
    output:
        table="results/concepts/concept_map.csv",
        provenance=prov("simulate_concept_map"),
    log:
        "logs/simulate_concept_map.log",
    benchmark:
        "results/benchmarks/simulate_concept_map.tsv"
    conda:
        "../envs/hopfield.yaml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=4000,
        gpu=GPU,
    params:
        cfg=CONCEPTS["concept_map"],
        seed=config["seed"],
        device=config["device"],
    script:
        "../scripts/simulate_concept_map.py"


rule simulate_retrieval_dynamics:
    input:
        code=code("simulate_retrieval_dynamics"),
    output:
        table="results/concepts/retrieval_dynamics.csv",
        provenance=prov("simulate_retrieval_dynamics"),
    log:
        "logs/simulate_retrieval_dynamics.log",
    benchmark:
        "results/benchmarks/simulate_retrieval_dynamics.tsv"
    conda:
        "../envs/hopfield.yaml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=4000,
        gpu=GPU,
    params:
        cfg=CONCEPTS["retrieval"],
        seed=config["seed"],
        device=config["device"],
    script:
        "../scripts/simulate_retrieval_dynamics.py"


rule analyse_plateaus:
    input:
        traj=rules.simulate_retrieval_dynamics.output.table,
        code=code("analyse_plateaus"),
    output:
        table="results/concepts/plateaus.csv",
        provenance=prov("analyse_plateaus"),
    log:
        "logs/analyse_plateaus.log",
    benchmark:
        "results/benchmarks/analyse_plateaus.tsv"
    conda:
        "../envs/hopfield.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        arrive_tol=CONCEPTS["retrieval"]["arrive_tol"],
        escape_gap=CONCEPTS["retrieval"]["escape_gap"],
    script:
        "../scripts/analyse_plateaus.py"


rule phase_portrait:
    input:
        code=code("phase_portrait"),
    output:
        field="results/concepts/portrait_field.csv",
        points="results/concepts/portrait_fixed_points.csv",
        provenance=prov("phase_portrait"),
    log:
        "logs/phase_portrait.log",
    benchmark:
        "results/benchmarks/phase_portrait.tsv"
    conda:
        "../envs/hopfield.yaml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        s=CONCEPTS["retrieval"]["s"],
        temperature=CONCEPTS["retrieval"]["temperature"],
        b=CONCEPTS["portrait"]["b"],
    script:
        "../scripts/phase_portrait.py"


rule concept_sparse:
    input:
        code=code("concept_sparse"),
    output:
        fixed_points="results/concepts/sparse_fixed_points.csv",
        retrieval="results/concepts/sparse_retrieval.csv",
        provenance=prov("concept_sparse"),
    log:
        "logs/concept_sparse.log",
    benchmark:
        "results/benchmarks/concept_sparse.tsv"
    conda:
        "../envs/hopfield.yaml"
    threads: config["threads"]
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        cfg=CONCEPTS["sparse"],
        seed=config["seed"],
        device=config["device"],
    script:
        "../scripts/concept_sparse.py"


register_stage(
    "concepts",
    figures={
        "concepts_mixed_overlaps": {
            "mixed_state_overlaps": rules.mixed_state_overlaps.output.table
        },
        "concepts_phase_diagram": {
            "concept_map": rules.simulate_concept_map.output.table,
            "bifurcation": rules.concept_fixed_points.output.bifurcation,
        },
        "concepts_phase_portrait": {
            "portrait_field": rules.phase_portrait.output.field,
            "portrait_fixed_points": rules.phase_portrait.output.points,
            "retrieval_dynamics": rules.simulate_retrieval_dynamics.output.table,
        },
        "concepts_retrieval_dynamics": {
            "retrieval_dynamics": rules.simulate_retrieval_dynamics.output.table,
            "plateaus": rules.analyse_plateaus.output.table,
        },
        "concepts_sparse": {
            "sparse_fixed_points": rules.concept_sparse.output.fixed_points,
            "sparse_retrieval": rules.concept_sparse.output.retrieval,
            "retrieval_dynamics": rules.simulate_retrieval_dynamics.output.table,
        },
    },
    outputs=[
        *rules.concept_sparse.output,
        *rules.mixed_state_overlaps.output,
        *rules.concept_fixed_points.output,
        *rules.simulate_concept_map.output,
        *rules.simulate_retrieval_dynamics.output,
        *rules.analyse_plateaus.output,
        *rules.phase_portrait.output,
    ],
    claim_tables=dict(
        fixed_points=rules.concept_fixed_points.output.fixed_points,
        bifurcation=rules.concept_fixed_points.output.bifurcation,
        plateaus=rules.analyse_plateaus.output.table,
    ),
)
