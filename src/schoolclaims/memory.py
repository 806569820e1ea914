"""Memory settings for a process that reads large files one after another: the build, and the benchmark timing it.

A statewide class-level year is unpacked into one buffer of about 130 MB, parsed, summed in DuckDB and freed; the next
year asks for as much again. By default glibc hands any freed block over 32 MB back to the system at once, and every
later year pays the kernel to zero the same pages again; pyarrow's default pool, mimalloc, returns freed pages soon too
(the class-level reader already parsed into jemalloc, which keeps them about a second). :func:`keep_freed_memory` asks
both to keep freed memory for the next file instead. What it costs: the process's resident size does not shrink after
a large read until it exits (glibc's heap) or until pyarrow's pool has stood idle a while.
"""

from __future__ import annotations

import ctypes
import logging
import platform
from functools import lru_cache

import pyarrow as pa

log = logging.getLogger(__name__)

# glibc's mallopt parameters (malloc.h) and what they are set to: blocks up to 1 GiB come from the heap and are reused
# there rather than mapped and unmapped one by one; up to 1 GiB free at the heap's top is kept rather than trimmed.
# glibc before 2.35 refuses an mmap threshold over 32 MiB: there the setting is reported as not made.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
GLIBC_KEEP_BYTES = 1 << 30
ARROW_DECAY_MS = 10_000  # how long jemalloc's arenas made from then on keep freed pages (Arrow's default: 1 s)


@lru_cache(maxsize=1)
def arrow_pool() -> pa.MemoryPool:
    """pyarrow's jemalloc pool where the wheel has one (Linux, macOS), else the default. The default, mimalloc,
    returns a statewide year's freed buffers to the system at once, and the next year pays to touch them again."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


def _mallopt(libc, parameter: int, value: int) -> bool:
    libc.mallopt.argtypes, libc.mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return libc.mallopt(parameter, value) == 1


@lru_cache(maxsize=1)
def keep_freed_memory() -> tuple[str, ...]:
    """Set once per process (later calls return what the first did): glibc keeps freed blocks of up to 1 GiB in its
    heap, and pyarrow allocates from :func:`arrow_pool`, whose arenas made from then on keep freed pages for
    :data:`ARROW_DECAY_MS`. Returns what was set; what a system does not have (glibc, jemalloc) is left as it is."""
    done = []
    if platform.libc_ver()[0] == "glibc":
        libc = ctypes.CDLL(None)
        made = {name: _mallopt(libc, parameter, GLIBC_KEEP_BYTES)
                for name, parameter in (("mmap threshold", M_MMAP_THRESHOLD), ("trim threshold", M_TRIM_THRESHOLD))}
        if all(made.values()):
            done.append("glibc keeps freed blocks of up to 1 GiB")
        else:
            log.warning("memory: glibc %s refused %s of 1 GiB; large reads will run slower",
                        platform.libc_ver()[1], " and ".join(name for name, ok in made.items() if not ok))
    pool = arrow_pool()
    if pool.backend_name == "jemalloc":
        pa.jemalloc_set_decay_ms(ARROW_DECAY_MS)
        pa.set_memory_pool(pool)
        done.append(f"pyarrow allocates from jemalloc, its new arenas keeping freed pages {ARROW_DECAY_MS // 1000} s")
    log.debug("memory: %s", "; ".join(done) or "allocators left as they are")
    return tuple(done)
