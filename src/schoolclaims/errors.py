"""Exit statuses of the `schoolclaims` command, and which project error means which.

    0  done
    1  the command ran and found problems it lists (a file that failed verification, a file not archived, raw files
       the build cannot reach)
    2  usage: an unknown command or option, a missing argument (click's own status)
    3  data error: a damaged, missing or unexpected input file, a checksum mismatch, an invalid table, claim file or
       path; the message names the file, row or field and the remedy
    4  network error: a download refused, cut short or unreachable, an Internet Archive lookup that failed
    5  an optional package is not installed: the message names the extra to install

Light on imports: the error classes are looked up only when an error is being reported.
"""

from __future__ import annotations

OK = 0
PROBLEMS = 1
USAGE = 2
DATA = 3
NETWORK = 4
MISSING_EXTRA = 5

# the extra that provides each optional top-level module (pyproject.toml, [project.optional-dependencies])
EXTRAS = {"nbformat": "notebooks", "nbclient": "notebooks", "nbconvert": "notebooks", "ipykernel": "notebooks",
          "IPython": "notebooks", "jupyter_client": "notebooks", "datasette": "explore", "sqlite_utils": "explore"}


def network_errors() -> tuple[type[BaseException], ...]:
    import requests

    from .acquire.http import FetchError
    from .acquire.wayback import CaptureLookupError

    return (FetchError, CaptureLookupError, requests.RequestException)


def data_errors() -> tuple[type[BaseException], ...]:
    from .acquire.archive import ArchiveError
    from .report.execute import NotebookError

    # OSError: a file that cannot be read or written; ValueError: a layout, schema, claim-file or path error
    return (ArchiveError, NotebookError, OSError, ValueError)


def missing_extra(exc: BaseException) -> str | None:
    """The one-line hint for an optional package that is not installed, else None."""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        extra = EXTRAS.get(exc.name.split(".")[0])
        if extra:
            return (f"this command needs the optional package {exc.name!r}: pip install -e '.[{extra}]' "
                    f"(or `make venv`, which installs every extra)")
    return None


def exit_status(exc: BaseException) -> int | None:
    """The exit status for a project error, or None for an unexpected one (shown with its traceback)."""
    if missing_extra(exc):
        return MISSING_EXTRA
    if isinstance(exc, network_errors()):  # before data errors: requests' errors are OSErrors too
        return NETWORK
    if isinstance(exc, data_errors()):
        return DATA
    return None
