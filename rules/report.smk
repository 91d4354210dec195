rule effective_config:
    output:
        config="results/config.yaml",
        environment="results/environment.json",
    log:
        "logs/effective_config.log",
    conda:
        "../envs/report.yaml"
    resources:
        runtime=5,
        mem_mb=1000,
    params:
        config=config,
    script:
        "../scripts/effective_config.py"


rule archive:
    input:
        FINAL_OUTPUTS,
        rules.effective_config.output,
    output:
        "results/conceptdyn_results.tar.gz",
    log:
        "logs/archive.log",
    conda:
        "../envs/report.yaml"
    resources:
        runtime=10,
        mem_mb=1000,
    script:
        "../scripts/archive.py"
