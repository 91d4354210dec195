"""A real single-node SLURM cluster on this Debian machine, for the integration test.

``start()`` installs Debian's slurmctld, slurmd, slurm-client and munge if needed, writes a minimal
``/etc/slurm/slurm.conf`` for this host (no accounting database; finished jobs stay visible to squeue
for 10 minutes), and starts munged (unless one runs), slurmctld and slurmd.  ``stop()`` stops exactly
the daemons it started and restores any previous slurm.conf.  It needs root and apt-get; otherwise
``SlurmUnavailable`` says why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

PACKAGES = ("slurmctld", "slurmd", "slurm-client", "munge")
CONF = Path("/etc/slurm/slurm.conf")


class SlurmUnavailable(RuntimeError):
    pass


def _run(*cmd: str, check: bool = True, timeout: int = 600, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=timeout, env=env)


def unavailable() -> str | None:
    """Why no cluster can be started here (not root, no apt-get), or None: then ``start()`` installs
    what is missing and starts it (or fails saying why)."""
    if os.geteuid() != 0:
        return "not root: a SLURM cluster needs root to install and start its daemons"
    if not shutil.which("apt-get"):
        return "apt-get not found: cannot install slurmctld, slurmd and munge"
    return None


def install() -> None:
    why = unavailable()
    if why is not None:
        raise SlurmUnavailable(why)
    if all(shutil.which(b) for b in ("slurmctld", "slurmd", "sbatch", "munged")):
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        _run("apt-get", "update", "-qq", env=env)
        _run("apt-get", "install", "-y", "-qq", *PACKAGES, env=env)
    except subprocess.SubprocessError as err:
        raise SlurmUnavailable(f"apt-get could not install {' '.join(PACKAGES)}: {err}") from err


def slurm_conf(workdir: Path) -> str:
    host = socket.gethostname().split(".")[0]
    mem_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20 - 1024
    lines = [
        "ClusterName=conceptdyn-test",
        f"SlurmctldHost={host}",
        "AuthType=auth/munge",
        "SlurmUser=root",
        "SlurmdUser=root",
        f"StateSaveLocation={workdir}/state",
        f"SlurmdSpoolDir={workdir}/spool",
        f"SlurmctldPidFile={workdir}/slurmctld.pid",
        f"SlurmdPidFile={workdir}/slurmd.pid",
        f"SlurmctldLogFile={workdir}/slurmctld.log",
        f"SlurmdLogFile={workdir}/slurmd.log",
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_Core_Memory",
        "ReturnToService=2",
        "AccountingStorageType=accounting_storage/none",
        "JobAcctGatherType=jobacct_gather/none",
        "MpiDefault=none",
        "MinJobAge=600",
        # twice the cores, as this node's CPUs (config_overrides: slurmd takes them as configured):
        # Snakemake's SLURM plugin looks at job states every 10 s or so, and the jobs of the smoke run
        # take seconds, so with one job per core the cores would idle half of the time between looks
        "SlurmdParameters=config_overrides",
        f"NodeName={host} CPUs={2 * (os.cpu_count() or 1)} RealMemory={mem_mb} State=UNKNOWN",
        f"PartitionName=main Nodes={host} Default=YES MaxTime=INFINITE State=UP",
    ]
    return "\n".join(lines) + "\n"


class Cluster:
    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.started: list[str] = []
        self.backup: Path | None = None

    def start(self) -> None:
        install()
        (self.workdir / "state").mkdir(parents=True, exist_ok=True)
        (self.workdir / "spool").mkdir(exist_ok=True)
        if CONF.exists():
            self.backup = self.workdir / "slurm.conf.orig"
            shutil.copy2(CONF, self.backup)
        CONF.parent.mkdir(parents=True, exist_ok=True)
        CONF.write_text(slurm_conf(self.workdir))
        if _run("pgrep", "-x", "munged", check=False).returncode != 0:
            key = Path("/etc/munge/munge.key")
            if not key.exists():
                key.parent.mkdir(parents=True, exist_ok=True)
                key.write_bytes(os.urandom(1024))
            for d in ("/etc/munge", "/run/munge", "/var/log/munge", "/var/lib/munge"):
                Path(d).mkdir(parents=True, exist_ok=True)
                shutil.chown(d, "munge", "munge")
            shutil.chown(key, "munge", "munge")
            key.chmod(0o400)
            _run("runuser", "-u", "munge", "--", "munged")
            self.started.append("munged")
        for daemon in ("slurmctld", "slurmd"):
            if _run("pgrep", "-x", daemon, check=False).returncode == 0:
                raise SlurmUnavailable(f"a {daemon} is already running; stop it first")
            _run(daemon)
            self.started.append(daemon)
        deadline = time.time() + 60
        while time.time() < deadline:
            out = _run("sinfo", "-h", "-o", "%T", check=False).stdout
            if "idle" in out:
                return
            time.sleep(1)
        raise RuntimeError(f"the SLURM node did not become idle; see {self.workdir}/slurmd.log")

    def job_states(self) -> dict[str, str]:
        out = _run("squeue", "-h", "-t", "all", "-o", "%i %T").stdout
        return dict(line.split() for line in out.splitlines() if line.strip())

    def stop(self) -> None:
        if "slurmctld" in self.started:
            _run("scontrol", "shutdown", check=False)
        for daemon in reversed(self.started):
            _run("pkill", "-x", daemon, check=False)
        deadline = time.time() + 20
        while time.time() < deadline and any(
            _run("pgrep", "-x", d, check=False).returncode == 0 for d in self.started
        ):
            time.sleep(0.5)
        if self.backup is not None:
            shutil.copy2(self.backup, CONF)
        elif CONF.exists():
            CONF.unlink()
        self.started = []
