"""The `schoolclaims` command line: help with no arguments, --version, one line per command, -v/-q, exit statuses."""

from __future__ import annotations

import logging
import re
import subprocess
import sys

import pytest
import requests

from schoolclaims import __version__, cli, errors
from schoolclaims.cli import main

COMMANDS = ["fetch", "import", "verify", "build", "claims", "new", "trace", "sources", "site", "explore"]


def test_no_arguments_shows_help_listing_every_command_with_one_line(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: schoolclaims [OPTIONS] COMMAND [ARGS]...")
    listed = re.findall(r"^  ([a-z]+)  +(\S.*)$", out.split("Commands:", 1)[1], flags=re.M)
    assert [name for name, _ in listed] == COMMANDS == list(cli.cli.commands)
    assert all(not line.endswith("...") for _, line in listed), "a command's line is cut short"
    for variable in ("SCHOOLCLAIMS_MIRROR", "SCHOOLCLAIMS_CHARTS_DIR"):
        assert variable in out
    assert "3 data error" in out and "4 network error" in out


def test_the_installed_command_with_no_arguments_exits_0_with_help():
    done = subprocess.run([sys.executable, "-c", "import sys; from schoolclaims.cli import main; sys.exit(main())"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Commands:" in done.stdout and done.stderr == ""


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"schoolclaims, version {__version__}"


def test_usage_errors_exit_2(capsys):
    assert main(["no-such-command"]) == errors.USAGE == 2
    assert "No such command 'no-such-command'" in capsys.readouterr().err
    assert main(["claims", "--format", "yaml"]) == 2
    assert main(["new", "some-id"]) == 2  # --method is required
    assert "Missing option '--method'" in capsys.readouterr().err


def test_a_data_error_exits_3_in_one_line(capsys, tmp_path, monkeypatch):
    (tmp_path / "bad-claim.yaml").write_text("id: [unclosed\n", encoding="utf-8")  # a claim file that is not YAML
    monkeypatch.setenv("SCHOOLCLAIMS_CLAIMS_DIR", str(tmp_path))
    assert main(["claims"]) == errors.DATA == 3
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "bad-claim.yaml: not valid YAML at line 2, column 1: " in err and err.count("\n") == 1


def test_an_unknown_rating_method_is_a_usage_error_naming_the_known_ones(capsys):
    assert main(["new", "some-claim", "--method", "no_such_method"]) == errors.USAGE == 2
    err = capsys.readouterr().err
    assert "unknown rating method 'no_such_method'" in err and "claimed_rank" in err


def test_a_network_error_exits_4(monkeypatch, capsys):
    from schoolclaims.acquire import fetch as fetch_module
    from schoolclaims.acquire.http import FetchError

    def refuse(*args, **kwargs):
        raise FetchError("https://example.org/file.xls", "HTTP 503 after 4 attempts")

    monkeypatch.setattr(fetch_module, "fetch_files", refuse)
    assert main(["fetch", "--offline", "bls_cpi"]) == errors.NETWORK == 4
    assert capsys.readouterr().err == "error: https://example.org/file.xls: HTTP 503 after 4 attempts\n"


def test_requests_connection_errors_are_network_errors_though_they_are_oserrors():
    assert errors.exit_status(requests.ConnectionError("refused")) == errors.NETWORK
    assert errors.exit_status(FileNotFoundError("data/raw/x.csv")) == errors.DATA
    assert errors.exit_status(KeyError("a bug")) is None


def test_a_missing_extra_is_one_line_naming_it(monkeypatch, capsys):
    from schoolclaims.report import site

    def without_nbclient(args):
        raise ModuleNotFoundError("No module named 'nbclient'", name="nbclient")

    monkeypatch.setattr(site, "run", without_nbclient)
    assert main(["site", "--no-execute"]) == errors.MISSING_EXTRA == 5
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install -e '.[notebooks]'" in err and "Traceback" not in err


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    (tmp_path / "bad-claim.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("SCHOOLCLAIMS_CLAIMS_DIR", str(tmp_path))
    with pytest.raises(ValueError):
        main(["--debug", "claims"])


def test_an_unexpected_error_keeps_its_traceback(monkeypatch):
    from schoolclaims.report import site

    monkeypatch.setattr(site, "run", lambda args: {}["a bug"])
    with pytest.raises(KeyError):
        main(["site"])


def test_site_options_reach_the_site_once_declared(monkeypatch):
    from schoolclaims.report import site

    seen = {}
    monkeypatch.setattr(site, "run", lambda args: seen.update(vars(args)) or 0)
    assert main(["site", "--no-execute", "--jobs", "2", "--base-url", "https://example.org/"]) == 0
    assert seen == {"out": None, "force": False, "no_execute": True, "base_url": "https://example.org/", "jobs": 2}


def test_quiet_and_verbose_set_the_log_level(monkeypatch, capsys):
    from schoolclaims.report import site

    def chatty(args):
        log = logging.getLogger("schoolclaims.report")
        log.debug("detail")
        log.info("progress")
        log.warning("careful")
        return 0

    monkeypatch.setattr(site, "run", chatty)
    main(["site"])
    assert capsys.readouterr().err.splitlines()[:2] == ["progress", "careful"]
    main(["-q", "site"])
    assert capsys.readouterr().err.splitlines() == ["careful"]
    main(["-v", "site"])
    assert capsys.readouterr().err.splitlines()[:3] == ["detail", "progress", "careful"]


def test_the_build_summary_counts_files_read_and_from_cache():
    summary = cli.Summary()
    for message in ("read a/1.csv (sha256 0123… verified)", "read a/2.csv (sha256 4567… verified; extracted earlier)",
                    "wrote data/processed/t.csv (3 rows, validated)", "read a/3.csv (sha256 89ab… verified; "
                    "extracted earlier)"):
        summary.log(message)
    assert re.fullmatch(r"3 files read \(2 from cache\), 18 tables written, \d+\.\d s", summary.line(18))
