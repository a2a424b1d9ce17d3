"""The benchmark's CPU accounting: whose processes are whose, and a live snapshot that sees its own work."""

from __future__ import annotations

import sys
import time

import pytest

from bench.machine_cpu import CpuTimes, Process, describe, owner_of

GENERATOR, SERVER, WORKER, RAW, POSTMASTER, BACKEND, STRANGER = 100, 200, 201, 300, 400, 401, 500
PARENTS = {
    GENERATOR: 1,
    SERVER: GENERATOR,
    WORKER: SERVER,
    RAW: GENERATOR,
    POSTMASTER: 1,
    BACKEND: POSTMASTER,
}


def owner(pid: int, command: str = "python") -> str:
    return owner_of(Process(pid, PARENTS.get(pid, 1), command, 0), PARENTS, SERVER, GENERATOR)


def test_the_server_and_its_workers_are_the_app_though_the_generator_started_them() -> None:
    assert owner(SERVER) == "app"
    assert owner(WORKER) == "app"


def test_the_generator_is_this_process_and_its_other_children() -> None:
    assert owner(GENERATOR) == "generator"
    assert owner(RAW) == "generator"


def test_postgres_processes_are_postgresql_wherever_they_hang() -> None:
    assert owner(POSTMASTER, "postgres") == "PostgreSQL"
    assert owner(BACKEND, "postgres") == "PostgreSQL"


def test_anything_else_is_other() -> None:
    assert owner(STRANGER) == "other"
    assert owner_of(Process(WORKER, SERVER, "python", 0), PARENTS, None, GENERATOR) == "generator"


def test_describe_leaves_out_owners_that_spent_nothing() -> None:
    text = describe({"app": 1.5, "PostgreSQL": 0.9, "generator": 0.0, "interrupts": 0.2, "other": 0.0})
    assert text == "2.60 ms a request (app 1.50, PostgreSQL 0.90, interrupts 0.20)"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_a_snapshot_charges_this_process_work_to_the_generator() -> None:
    start = CpuTimes.now()
    assert start is not None
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    end = CpuTimes.now()
    assert end is not None
    spent = end.per_request(start, 2)
    # 0.2 s of this process's CPU over two "requests": ~100 ms each, at clock-tick resolution
    assert 80 <= spent["generator"] <= 160
    assert end.busy > start.busy
