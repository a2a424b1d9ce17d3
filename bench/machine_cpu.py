"""Where a phase's CPU went on this machine, from Linux's /proc: how busy the cores were, the host's steal,
and the CPU time of each owner — the app server's processes, PostgreSQL's, the load generator's (this
process and its children), interrupts, everything else — per request served.

The benchmark shares two cores among the generator, the server and PostgreSQL, and a request's p99 under
load follows what a request costs the whole machine, which drifts with the machine's speed (the same code
measured 1.8 and 3.9 ms a request hours apart). So each phase reports it, and by whom it was spent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

OWNERS = ("app", "PostgreSQL", "generator", "interrupts", "other")


@dataclass(frozen=True)
class Process:
    pid: int
    parent: int
    command: str
    ticks: int  # its own CPU time and that of its children it has waited for


def _processes() -> list[Process]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                line = stat.read()
        except OSError:
            continue  # it exited meanwhile
        # "pid (command) state ppid … utime stime cutime cstime …": the command may hold spaces and ")"
        command = line[line.index("(") + 1 : line.rindex(")")]
        fields = line[line.rindex(")") + 2 :].split()
        found.append(Process(int(entry), int(fields[1]), command, sum(int(f) for f in fields[11:15])))
    return found


def owner_of(process: Process, parents: dict[int, int], server: int | None, generator: int) -> str:
    """PostgreSQL's processes are all named "postgres" (its backends, the embedded server's included); the
    app is the server process and its descendants; the generator is this process and its other descendants.
    Ticks of an exited child move to its parent's waited-for time, so they stay with the same owner."""
    if process.command == "postgres":
        return "PostgreSQL"
    pid: int | None = process.pid
    while pid:
        if pid == server:
            return "app"
        if pid == generator:
            return "generator"
        pid = parents.get(pid)
    return "other"


@dataclass(frozen=True)
class CpuTimes:
    """The machine's CPU time so far, in clock ticks: busy, steal and all (/proc/stat), and by owner."""

    busy: int
    steal: int
    total: int
    owners: dict[str, int]

    @staticmethod
    def now(server: int | None = None) -> CpuTimes | None:
        """A snapshot; `server`: the pid of the app's server, whose descendants are the app."""
        try:
            with open("/proc/stat") as stat:
                fields = [int(value) for value in stat.readline().split()[1:9]]
            processes = _processes()
        except (OSError, ValueError):
            return None  # not Linux: the report leaves the column out
        parents = {process.pid: process.parent for process in processes}
        owners = dict.fromkeys(OWNERS, 0)
        for process in processes:
            owners[owner_of(process, parents, server, os.getpid())] += process.ticks
        owners["interrupts"] = fields[5] + fields[6]  # irq, softirq
        idle = fields[3] + fields[4]  # idle, iowait
        return CpuTimes(sum(fields) - idle - fields[7], fields[7], sum(fields), owners)

    def busy_share(self, start: CpuTimes) -> str:
        """How busy the machine was since `start`: "busy 83%, steal 2%" (steal: taken by the host)."""
        total = max(1, self.total - start.total)
        return f"busy {(self.busy - start.busy) / total:.0%}, steal {(self.steal - start.steal) / total:.0%}"

    def per_request(self, start: CpuTimes, requests: int) -> dict[str, float]:
        """Milliseconds of CPU per request since `start`, by owner. Depending on how the kernel accounts
        interrupts, some of their time may also be in the processes' own, so the sum is an upper bound."""
        tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
        return {
            owner: (self.owners[owner] - start.owners[owner]) * tick_ms / max(1, requests) for owner in OWNERS
        }


def describe(per_request: dict[str, float]) -> str:
    """ "2.61 ms a request (app 1.52, PostgreSQL 0.91, …)": owners that spent nothing are left out."""
    spent = ", ".join(f"{owner} {ms:.2f}" for owner, ms in per_request.items() if ms > 0)
    return f"{sum(per_request.values()):.2f} ms a request ({spent})"
