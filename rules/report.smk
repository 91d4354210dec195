rule effective_config:
    output:
        config="results/config.yaml",
        environment="results/environment.json",
    params:
        config=config,
    log:
        "logs/effective_config.log",
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../envs/report.yaml"
    script:
        "../scripts/effective_config.py"


rule archive:
    input:
        FINAL_OUTPUTS,
        rules.effective_config.output,
        [prov(r.name) for r in workflow.rules if r.name.startswith(("simulate_", "compare_", "prepare_"))],
    output:
        "results/conceptdyn_results.tar.gz",
    log:
        "logs/archive.log",
    resources:
        runtime=10,
        mem_mb=1000,
    conda:
        "../envs/report.yaml"
    script:
        "../scripts/archive.py"
