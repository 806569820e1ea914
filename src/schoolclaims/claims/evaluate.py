"""Evaluating claims with their methods, and printing a result with its evidence."""

from __future__ import annotations

import atexit
import math
import pickle
import re
import shutil
import tempfile
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import paths
from ..files import atomic_write, code_files, finish_commit, fingerprint
from ..transform.grades import FIRST_HAND
from ..years import date_span
from .asof import claim_date
from .load import ClaimFileError, claims_folder, load_claims, method_params
from .model import CANT_VERIFY, RATINGS, Claim, Result, decides, topic_from_id
from .wording import listing

FIRST_HAND_ONLY = "first-hand evidence only (the publisher's files and pages)"


def evaluate(claim: Claim, processed: Path | None = None, sensitivity: bool = True) -> Result:
    """The claim's rating with its evidence; with ``sensitivity``, also its rating under each defensible alternative."""
    method, params = method_params(claim)
    result = _run(method, claim, params, processed)
    if sensitivity:
        result.sensitivity = _alternatives(method, claim, params, processed, result)
    return result


def _run(method, claim: Claim, params, processed: Path | None) -> Result:
    result = _later_context_marked(_source_grade_rule(method.run(claim, params, processed)))
    if result.rating not in RATINGS[claim.kind]:
        raise ValueError(f"{claim.id}: method {claim.evaluation.method} gave {result.rating!r}, not on the {claim.kind} scale")
    return result


def _deciding(evidence: pd.DataFrame) -> pd.DataFrame:
    """The evidence rows that decide a rating (context rows carry no true/false mark)."""
    return evidence[decides(evidence)]


def _source_grade_rule(result: Result) -> Result:
    """A rating that rests only on second-hand figures says so, and a factual 'true' needs a first-hand one."""
    deciding = _deciding(result.evidence)
    if result.rating in (CANT_VERIFY, "not rated") or deciding.empty or deciding["source_grade"].isin(FIRST_HAND).any():
        return result
    conclusion = f"{result.conclusion} It rests only on second-hand evidence ({listing(sorted(set(deciding['source_grade'])))})."
    rating = result.rating
    if result.claim.kind == "factual" and rating == "true":
        rating = "mostly true"
        conclusion += " 'True' needs at least one first-hand figure (the publisher's file or page), so it is rated mostly true."
    return replace(result, rating=rating, conclusion=conclusion)


LATER = "data for a year after the claim was made"  # said of a context row whose data year began after the claim was made


def _later_context_marked(result: Result) -> Result:
    """Context rows whose data year began after the claim's date say so (a 2024-25 ratio shown with a 2018 claim);
    a method's own note about timing ('later', 'published after') is left as it is. Undated claims are left alone."""
    evidence = result.evidence
    if evidence.empty or not {"year", "item", "matches"} <= set(evidence.columns):
        return result
    try:
        cutoff = claim_date(result.claim)
    except ValueError:
        return result
    context = evidence[~decides(evidence)]
    later = [index for index, year, item in zip(context.index, context["year"].astype(str), context["item"].astype(str))
             if (span := date_span(year)) is not None and span[0] > cutoff and not _DATED.search(item)]
    if not later:
        return result
    marked = evidence.copy()
    marked.loc[later, "item"] = marked.loc[later, "item"].astype(str) + f" ({LATER})"
    return replace(result, evidence=marked)


_DATED = re.compile(r"\blater\b|published after", re.IGNORECASE)  # a row its method already dates


def _alternatives(method, claim: Claim, params, processed: Path | None, result: Result) -> list[dict]:
    out = []
    for label, overrides in method.alternatives(params, result):
        changed = method.params.model_validate({**params.model_dump(), **overrides}, context={"kind": claim.kind})
        out.append({"alternative": label, "rating": _run(method, claim, changed, processed).rating})
    deciding = _deciding(result.evidence)
    if len(deciding) and not deciding["source_grade"].isin(FIRST_HAND).all():
        first_hand = _run(method, claim, params, first_hand_tables(Path(processed or paths.PROCESSED)))
        out.append({"alternative": FIRST_HAND_ONLY, "rating": first_hand.rating})
    return out


def first_hand_tables(processed: Path) -> Path:
    """A copy of the processed tables keeping only first-hand rows (tables without a source grade are the
    publishers' files and are copied whole); made once per version of the tables, removed when the process ends."""
    tables = sorted(Path(processed).glob("*.csv"))
    return _first_hand_copy(Path(processed).resolve(), tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in tables))


@lru_cache(maxsize=4)
def _first_hand_copy(processed: Path, _version: tuple) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="schoolclaims-first-hand-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for path in sorted(Path(processed).glob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "source_grade" in table:
            table = table[table["source_grade"].isin(FIRST_HAND)]
        table.to_csv(folder / path.name, index=False)
    return folder


def evaluate_all(only: list[str] | None = None, folder: Path | None = None, processed: Path | None = None) -> list[Result]:
    """Every claim in ``folder`` (or those named in ``only``) rated on the tables in ``processed``.

    Rating every claim with its alternatives takes seconds and the site, the command line, the README and the trace
    all ask for it, so results are kept in .cache/claims by a digest of everything they are made from: the claim
    files, the tables, the raw-file manifest and the package's code. Any change to one of them rates again."""
    files = sorted(claims_folder(folder).glob("*.yaml"))
    key = _results_key(files, processed, only)
    cached = paths.CACHE / "claims" / f"{key}.pkl"
    try:
        return pickle.loads(cached.read_bytes())  # written below by this project only (a git-ignored cache)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    claims = load_claims(folder)
    if only:
        unknown = set(only) - {c.id for c in claims}
        if unknown:
            raise ClaimFileError(f"no claim with id {sorted(unknown)}")
        claims = [c for c in claims if c.id in only]
    results = [evaluate(c, processed) for c in claims]
    try:
        with atomic_write(cached) as handle:
            pickle.dump(results, handle, protocol=pickle.HIGHEST_PROTOCOL)
        for old in sorted(cached.parent.glob("*.pkl"), key=lambda p: p.stat().st_mtime_ns)[:-RESULTS_KEPT]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time next run
    return results


RESULTS_KEPT = 16  # cached result sets kept in .cache/claims (the newest)


def _results_key(claim_files: list[Path], processed: Path | None, only: list[str] | None) -> str:
    """A digest of what the ratings are made from: the claim files, the tables (an interrupted build's pending tables
    put in place first, as reading them does), the raw-file manifest when there is one, the package's code and the
    locked library versions."""
    folder = Path(processed or paths.PROCESSED)
    finish_commit(folder)
    tables = sorted(folder.glob("*.csv"))
    others = [p for p in (Path(paths.MANIFEST), paths.ROOT / "requirements.lock") if p.is_file()]
    return fingerprint([*claim_files, *tables, *others], paths.ROOT,
                       extra=repr((sorted(only or []), str(folder.resolve()), [paths.relative(p) for p in others],
                                   CODE_AS_IMPORTED)))


# The package's code as this process imported it, digested once: a process that keeps old code in memory (a notebook
# kernel while its source is edited) must not file its ratings under the key of the code now on disk.
CODE_AS_IMPORTED = fingerprint(code_files(Path(__file__).resolve().parents[1]), paths.ROOT)


def format_result(result: Result, evidence_rows: int = 12) -> str:
    c = result.claim
    lines = [f"{c.id}  [{c.kind}]  rating: {result.rating.upper()}",
             f"  claim: \"{c.quote}\" — {c.claimant}, {c.appeared[0].date} ({c.appeared[0].url})",
             f"  conclusion: {result.conclusion}",
             f"  sensitivity: {result.sensitivity_line()}"]
    for item in result.missing:
        lines.append(f"  missing: {item}")
    if len(result.evidence):
        shown = result.evidence.head(evidence_rows)
        lines.append("  evidence:")
        for _, row in shown.iterrows():
            value = (("not reported" if math.isnan(row["value"]) else f"{row['value']:,.2f}") if isinstance(row["value"], float)
                     else str(row["value"]))
            mark = "·" if isinstance(row["matches"], str) else "✓" if bool(row["matches"]) else "✗"  # · = context
            published = f" (published {row['published']})" if row["published"] else ""
            lines.append(f"    {mark} {row['item']} | {row['entity']} | {row['year']}{published} | {value} {row['unit']} | "
                         f"{row['confidence']} | {row['source_id']} {'+'.join(h[:12] for h in str(row['file_sha256']).split('+'))} {row['locator']}"
                         + (f" | {row['source_url']}" if row["source_url"] else ""))
        if len(result.evidence) > evidence_rows:
            lines.append(f"    … {len(result.evidence) - evidence_rows} more rows (--rows N)")
    return "\n".join(lines)


def rating_value(kind: str, rating: str) -> tuple[int, int, int] | None:
    """(value, best, worst) of a rating on its scale, best = the top of the scale (true, met) and worst = 1;
    None for a rating that is not on a numeric scale (can't verify, not rated)."""
    scale = [r for r in RATINGS[kind] if r not in (CANT_VERIFY, "not rated")]
    if rating not in scale:
        return None
    return len(scale) - scale.index(rating), len(scale), 1


def _plain(value):
    """A cell as JSON can hold it: missing -> None, numpy numbers -> Python numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _basis(claim) -> str:
    """Why the claim is judged against the figure it is (a ranking's edition: the claim file's ``why``), or ''."""
    edition = claim.evaluation.params.get("edition")
    return " ".join(str(edition.get("why", "")).split()) if isinstance(edition, dict) else ""


def result_record(result: Result) -> dict:
    """Everything a reader or a machine needs about one rated claim, as plain JSON-ready data."""
    c = result.claim
    scored = rating_value(c.kind, result.rating)
    evidence = [{k: _plain(v) for k, v in row.items()} for row in result.evidence.to_dict(orient="records")]
    for row in evidence:
        row["role"] = "context" if isinstance(row["matches"], str) else "evidence"
        row["matches"] = None if isinstance(row["matches"], str) else bool(row["matches"])
        row["file_sha256"] = [h for h in str(row["file_sha256"] or "").split("+") if h]  # every file a row combines
    return {
        "id": c.id, "question_id": c.question_id, "topic": c.topic or topic_from_id(c.question_id, c.id), "kind": c.kind, "claimant": c.claimant, "quote": c.quote,
        "context": c.context or "",
        "appeared": [a.model_dump() for a in c.appeared], "competing_versions": c.competing_versions,
        "question": c.question, "metrics": c.metrics, "method": c.evaluation.method,
        "rating": result.rating, "rating_value": scored[0] if scored else None,
        "best_rating": scored[1] if scored else None, "worst_rating": scored[2] if scored else None,
        "conclusion": result.conclusion, "basis": _basis(c), "missing": result.missing, "settles_it": c.settles_it,
        "sensitivity": result.sensitivity, "sensitivity_line": result.sensitivity_line(),
        "caveats": c.caveats, "corrections": [x.model_dump() for x in c.corrections], "charts": c.charts, "no_chart": c.no_chart,
        "evidence": evidence, "claim_reviewed": c.claim_reviewed,
        "claimant_detail": c.claimant_detail.model_dump() if c.claimant_detail else None,
    }


def markdown_table(results: list[Result]) -> str:
    """The README's table of findings: each claim, its rating and whether the rating depends on a choice."""
    lines = ["| claim | rating | why (the computed conclusion) | sensitivity |", "|---|---|---|---|"]
    for r in results:
        c = r.claim
        quote, why = c.quote.replace("|", "/"), r.conclusion.replace("|", "/")
        lines.append(f"| `{c.id}`: \"{quote}\" ({c.claimant}, {c.appeared[0].date}) | {r.rating} | {why} | {r.sensitivity_line()} |")
    return "\n".join(lines) + "\n"
