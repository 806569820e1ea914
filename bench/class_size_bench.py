"""Benchmark: the class-size computation on synthetic statewide years, next to a bare pyarrow read of the same files.

Writes synthetic ClassEnrollment and CoursesTaught files in the published layout (layouts/cde_class_level.csv),
zipped as CDE serves them (``ClassEnrollmentYY.zip``, ``CoursesTaughtYY.zip``): seven school years, 2012-13 to
2018-19, of 1.7 million ClassEnrollment records each (about 12 million in all; about 10,000 schools), with the
CoursesTaught header repeated inside the file as in the real ones. Then it runs, each in a fresh process so that
peak memory is its own:

  bare read:    pyarrow.csv.read_csv of every file's member (all columns), one file after another, in a process
                as Python starts it (the yardstick of the target)
  bare read with the build's memory settings: the same read after schoolclaims.memory.keep_freed_memory(), which
                the build calls before reading (a stricter yardstick: the settings speed the bare read up too)
  computation:  schoolclaims' class-size path for every year, as the build runs it: keep_freed_memory(), then read
                both zips, form and classify the classes, sum per school × content area under both rules
                (transform.class_size.class_sums)

once for one year and once for all seven, the three alternately (``--repeat`` rounds; the fastest run of each
counts, since other work on the machine only ever slows a run down), and prints wall time and peak resident memory
of each, and the computation's ratio to each bare read.
Targets: the seven-year computation at most 1.2 x the bare read of the same files and at most 2 GB. Modules are
imported before the clock starts (in every mode); peak memory includes them.
The numbers in the files are synthetic (made here, not data); only the timings matter.

    python bench/class_size_bench.py [--years 7] [--records 1700000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

RUN = r'''
import json, sys, time, zipfile
from pathlib import Path
mode, paths = sys.argv[1], [Path(p) for p in sys.argv[2:]]
# modules are imported before the clock starts, in every mode: the figures time the work, not the interpreter
import pyarrow.csv as pacsv
if mode != "bare":
    from schoolclaims.memory import keep_freed_memory
    keep_freed_memory()  # as the build does before it reads
if mode == "full":
    import pandas as pd
    from schoolclaims.sources import cde_class_level
    from schoolclaims.transform import class_size
    import duckdb  # noqa: F401  (class_size imports it when it first sums; a module like the others)
start = time.perf_counter()
if mode != "full":
    rows = 0
    for path in paths:
        with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as handle:
            rows += pacsv.read_csv(handle, parse_options=pacsv.ParseOptions(delimiter="\t")).num_rows
else:
    codes = pd.DataFrame({"course_code": ["2100", "2400", "2600", "2700", "2800"],
                          "content_area": ["English", "Mathematics", "Science", "Social Science", "Other"]})
    rows = 0
    for ce, ct in zip(paths[0::2], paths[1::2]):
        records = cde_class_level.class_enrollment(ce)
        courses = cde_class_level.courses_taught(ct)
        rows += len(class_size.class_sums(records, courses, codes, tuple(class_size.RULES.values()))[False])
        del records, courses
seconds = time.perf_counter() - start
# VmHWM: this process's own peak resident memory (ru_maxrss would include the parent's peak, kept across exec)
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "rows": rows}))
'''


def _write_zip(folder: Path, name: str, table: pa.Table, repeat_header_every: int = 0) -> Path:
    """``table`` as tab-delimited text zipped as ``name``.zip (the header repeated every n rows when asked)."""
    text = folder / f"{name}.txt"
    options = pacsv.WriteOptions(delimiter="\t", quoting_style="none", include_header=False)
    header = "\t".join(table.column_names).encode() + b"\n"
    with open(text, "wb") as handle:
        handle.write(header)
        with pacsv.CSVWriter(handle, table.schema, write_options=options) as writer:
            step = repeat_header_every or table.num_rows
            for start in range(0, table.num_rows, step):
                writer.write_table(table.slice(start, step))
                if repeat_header_every and start + step < table.num_rows:
                    handle.flush()
                    handle.write(header)  # as in the published CoursesTaught files
    target = folder / f"{name}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.write(text, text.name)
    text.unlink()
    return target


def synthesize(folder: Path, year: int, records: int) -> tuple[Path, Path]:
    """One synthetic statewide year: ClassEnrollmentYY.zip and CoursesTaughtYY.zip."""
    rng = np.random.default_rng(year)
    yy, code = f"{year % 100:02d}", f"{year % 100:02d}{(year + 1) % 100:02d}"
    classes = records // 3  # about three gender × ethnicity records per class
    school = rng.integers(0, 10_000, classes)
    district = 1_000_000 + school // 10
    course = rng.choice(["2100", "2400", "2600", "2700", "2800"], classes)
    per_class = np.full(classes, 3)
    per_class[: records - 3 * classes] += 1
    index = np.repeat(np.arange(classes), per_class)
    class_id = np.char.add("C", np.arange(classes).astype(str))
    text = lambda values: pa.array(values, pa.string())  # noqa: E731
    ce = pa.table({
        "AcademicYear": text(np.full(len(index), code)), "DistrictCode": text(district[index].astype(str)),
        "SchoolCode": text((1_000_000 + school[index]).astype(str)), "CountyName": text(np.full(len(index), "County")),
        "DistrictName": text(np.char.add("District ", district[index].astype(str))),
        "SchoolName": text(np.char.add("School ", school[index].astype(str))), "ClassID": text(class_id[index]),
        "ClassCourseCodeOrMultCourseInd": text(course[index]), "GenderCode": text(rng.choice(["F", "M"], len(index))),
        "EthnicityCode": text(rng.integers(0, 9, len(index)).astype(str)),
        "EnrollmentTotal": text(rng.integers(0, 16, len(index)).astype(str)),
    })
    ct = pa.table({
        "AcademicYear": text(np.full(classes, code)), "DistrictCode": text(district.astype(str)),
        "SchoolCode": text((1_000_000 + school).astype(str)), "CountyName": text(np.full(classes, "County")),
        "DistrictName": text(np.full(classes, "District")), "SchoolName": text(np.full(classes, "School")),
        "CourseCode": text(course), "ClassID": text(class_id), "ClassCourseID": text(np.char.add("S", np.arange(classes).astype(str))),
        "Enrollment": text(rng.integers(0, 40, classes).astype(str)),
        "IndependentStudy": text(np.where(rng.random(classes) < 0.01, "Y", "N")),
    })
    return (_write_zip(folder, f"ClassEnrollment{yy}", ce),
            _write_zip(folder, f"CoursesTaught{yy}", ct, repeat_header_every=250_000))


def measure(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", RUN, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


MODES = {"bare": "bare pyarrow read", "bare-kept": "bare read, build's memory settings", "full": "class-size path"}


def rounds(repeat: int, files: list[str]) -> dict[str, dict]:
    """Each mode run ``repeat`` times, the modes alternating (other work on a shared machine then weighs on all
    alike): per mode the fastest run, the highest peak, and every run's seconds."""
    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for _ in range(repeat):
        for mode in MODES:
            runs[mode].append(measure(mode, *files))
    out = {}
    for mode, results in runs.items():
        best = min(results, key=lambda r: r["seconds"])
        out[mode] = dict(best, peak_mb=max(r["peak_mb"] for r in results), all=[r["seconds"] for r in results])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--records", type=int, default=1_700_000, help="ClassEnrollment records per year")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the synthetic files here (reused when already there)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        pairs = []
        for year in range(2012, 2012 + args.years):
            ce, ct = folder / f"ClassEnrollment{year % 100:02d}.zip", folder / f"CoursesTaught{year % 100:02d}.zip"
            pairs.append((ce, ct) if ce.exists() and ct.exists() else synthesize(folder, year, args.records))
        zipped = sum(p.stat().st_size for pair in pairs for p in pair)
        unzipped = sum(zipfile.ZipFile(p).infolist()[0].file_size for pair in pairs for p in pair)
        print(f"synthetic statewide years (labelled synthetic: made here, not data): {args.years} x {args.records:,} "
              f"ClassEnrollment records = {args.years * args.records:,}, with CoursesTaught; "
              f"{unzipped / 1e6:,.0f} MB of text, {zipped / 1e6:,.0f} MB zipped")
        ok = True
        for label, chosen in (("1 year", pairs[:1]), (f"{args.years} years", pairs)):
            files = [str(p) for pair in chosen for p in pair]
            measured = rounds(args.repeat, files)
            full = measured["full"]
            for mode, what in MODES.items():
                run = measured[mode]
                rows = f"; {run['rows']:,} school x area rows" if mode == "full" else ""
                print(f"{label}: {what:36s} {run['seconds']:6.2f} s  peak {run['peak_mb']:6.0f} MB  "
                      f"(runs {[round(s, 2) for s in run['all']]}{rows})")
            ratios = {mode: full["seconds"] / measured[mode]["seconds"] for mode in ("bare", "bare-kept")}
            for mode, ratio in ratios.items():
                each = ", ".join(f"{f / b:.2f}" for b, f in zip(measured[mode]["all"], full["all"]))
                print(f"{label}: ratio to the {MODES[mode]}: {ratio:.2f} (of each round: {each})")
            met = ratios["bare"] <= 1.2 and full["peak_mb"] <= 2048
            ok &= met or label == "1 year"
            print(f"{label}: target <= 1.2 x the bare pyarrow read, peak {full['peak_mb']:.0f} MB (target <= 2048): "
                  f"{'MET' if met else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
