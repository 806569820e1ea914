"""schoolclaims.memory: what keep_freed_memory promises, checked by what the process does (each case in a process of its
own, since the settings are the process's): a large block freed and asked for again is reused, not faulted in anew."""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import pytest

from schoolclaims import paths

# Touch a 64 MiB block (b"x" * n writes every page), free it, and do it again: the page faults of the second and
# third rounds are what a process pays when the block it freed went back to the system.
REUSE = r"""
import json, resource, sys
import pyarrow as pa
if sys.argv[1] == "keep":
    from schoolclaims.memory import keep_freed_memory
    settings = keep_freed_memory()
    assert keep_freed_memory() is settings  # set once per process
else:
    settings = []
faults = []
for _ in range(3):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block = b"x" * (64 << 20)
    del block
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(json.dumps({"faults": faults, "settings": settings, "pool": pa.default_memory_pool().backend_name}))
"""


def run(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", REUSE, mode], capture_output=True, text=True, timeout=60,
                         cwd=paths.ROOT, check=True)
    return json.loads(out.stdout)


GLIBC = platform.libc_ver()


@pytest.mark.skipif(GLIBC[0] != "glibc" or tuple(map(int, GLIBC[1].split("."))) < (2, 35),
                    reason="the glibc setting is made where glibc 2.35 or later is the C library (earlier ones refuse it)")
def test_a_freed_large_block_is_reused_rather_than_faulted_in_again():
    default, kept = run("default"), run("keep")
    # as Python starts, every round faults the block in again: 16,384 pages of 4 KiB, or 32 huge pages where the
    # kernel backs it with them; after keep_freed_memory(), the later rounds reuse the freed block
    assert min(default["faults"][1:]) >= 32, default
    assert max(kept["faults"][1:]) * 10 <= min(default["faults"][1:]), (default, kept)
    assert kept["settings"][0].startswith("glibc keeps freed blocks")


def test_pyarrow_allocates_from_jemalloc_once_set():
    from schoolclaims.memory import arrow_pool

    kept = run("keep")
    if arrow_pool().backend_name == "jemalloc":
        assert kept["pool"] == "jemalloc" and any("jemalloc" in s for s in kept["settings"])
    else:  # a wheel without jemalloc: left as it was, and nothing claims otherwise
        assert not any("jemalloc" in s for s in kept["settings"])


def test_without_glibc_the_c_library_is_left_alone(monkeypatch):
    from schoolclaims import memory

    monkeypatch.setattr(memory.platform, "libc_ver", lambda: ("", ""))
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda *a: pytest.fail("loaded the C library without glibc"))
    monkeypatch.setattr(memory.pa, "set_memory_pool", lambda pool: None)  # this test process keeps its own pool
    monkeypatch.setattr(memory.pa, "jemalloc_set_decay_ms", lambda ms: None)
    assert not any("glibc" in s for s in memory.keep_freed_memory.__wrapped__())
