"""Memory settings for a process that reads large files one after another: the build, and the benchmark timing it.

A statewide class-level year is unpacked into one buffer of about 130 MB, parsed, grouped in DuckDB and freed; the next
year asks for as much again. By default the allocators hand memory back to the system as soon as it is freed (glibc
any block over 32 MB; pyarrow's default pool, mimalloc, at once), and every later year pays the kernel to zero the
same pages again: about a fifth of the class-size path's time over seven years. :func:`keep_freed_memory` asks them to
keep it for the next file instead. What it costs: the process's resident size does not shrink after a large read until
pyarrow's pool has stood idle for :data:`ARROW_DECAY_MS`, or, for glibc's heap, until the process exits.
"""

from __future__ import annotations

import ctypes
import logging
import platform
from functools import lru_cache

import pyarrow as pa

log = logging.getLogger(__name__)

# glibc's mallopt parameters (malloc.h) and what they are set to: blocks up to 1 GiB come from the heap and are reused
# there rather than mapped and unmapped one by one; up to 1 GiB free at the heap's top is kept rather than trimmed
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
GLIBC_KEEP_BYTES = 1 << 30
ARROW_DECAY_MS = 10_000  # pyarrow's jemalloc keeps freed pages this long (a statewide year takes about a second)


@lru_cache(maxsize=1)
def arrow_pool() -> pa.MemoryPool:
    """pyarrow's jemalloc pool where the wheel has one (Linux, macOS), else the default. The default, mimalloc,
    returns a statewide year's freed buffers to the system at once, and the next year pays to touch them again."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


@lru_cache(maxsize=1)
def keep_freed_memory() -> list[str]:
    """Set once per process (later calls do nothing): glibc keeps freed blocks of up to 1 GiB in its heap, and pyarrow
    allocates from :func:`arrow_pool`, which keeps freed pages for :data:`ARROW_DECAY_MS`. Returns what was set; on a
    system without glibc or jemalloc that part is left as it is."""
    done = []
    if platform.libc_ver()[0] == "glibc":
        libc = ctypes.CDLL(None)
        if libc.mallopt(M_MMAP_THRESHOLD, GLIBC_KEEP_BYTES) and libc.mallopt(M_TRIM_THRESHOLD, GLIBC_KEEP_BYTES):
            done.append("glibc keeps freed blocks of up to 1 GiB")
    pool = arrow_pool()
    if pool.backend_name == "jemalloc":
        pa.set_memory_pool(pool)
        pa.jemalloc_set_decay_ms(ARROW_DECAY_MS)
        done.append(f"pyarrow allocates from jemalloc, which keeps freed pages {ARROW_DECAY_MS // 1000} s")
    log.debug("memory: %s", "; ".join(done) or "allocators left as they are")
    return done
