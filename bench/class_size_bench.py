"""Benchmark: the class-size computation on a synthetic statewide year, next to a bare pandas read.

Writes a synthetic ClassEnrollment file (1.7 million class × gender × ethnicity records, about 10,000
schools) and a matching CoursesTaught file in the published layout (cde_class_level_layouts.csv), zipped
as CDE serves them, then runs, each in a fresh process so that peak memory is its own:

  bare read:    pandas.read_csv(engine="pyarrow") of the ClassEnrollment text, all columns
  computation:  schoolclaims' class-size path: read both zips, classify, sum per school × content area

and prints wall time and peak resident memory of each. Targets: computation <= 3 x the bare read, <= 2 GB.
The numbers are synthetic (made here, not data); only the timings matter.

    python bench/class_size_bench.py [--records 1700000] [--keep DIR]
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
import pandas as pd

RUN = r'''
import json, sys, time
from pathlib import Path
start = time.perf_counter()
if sys.argv[1] == "bare":
    import pandas as pd
    frame = pd.read_csv(sys.argv[2], sep="\t", engine="pyarrow")
    rows = len(frame)
else:
    from schoolclaims.sources import cde_class_level
    from schoolclaims.transform import class_size
    import pandas as pd
    classes = cde_class_level.class_enrollment(Path(sys.argv[2]))
    courses = cde_class_level.courses_taught(Path(sys.argv[3]))
    codes = pd.DataFrame({"course_code": ["2100", "2400", "2600", "2700", "2800"],
                          "content_area": ["English", "Mathematics", "Science", "Social Science", "Other"]})
    sums = class_size.school_sums(class_size.classify_classes(classes, courses, codes))
    rows = len(sums)
seconds = time.perf_counter() - start
# VmHWM: this process's own peak resident memory (ru_maxrss would include the parent's peak, kept across exec)
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "rows": rows}))
'''


def synthesize(folder: Path, records: int, seed: int = 2015) -> tuple[Path, Path, Path]:
    rng = np.random.default_rng(seed)
    classes = records // 3  # about three gender × ethnicity records per class
    school = rng.integers(0, 10_000, classes)
    district = 1_000_000 + school // 10
    class_id = np.arange(classes)
    course = rng.choice(["2100", "2400", "2600", "2700", "2800"], classes)
    per_class = np.full(classes, 3)
    per_class[: records - 3 * classes] += 1
    index = np.repeat(np.arange(classes), per_class)
    enrollment = rng.integers(0, 16, len(index))
    ce = pd.DataFrame({
        "AcademicYear": "1415", "DistrictCode": district[index].astype(str), "SchoolCode": (1_000_000 + school[index]).astype(str),
        "CountyName": "County", "DistrictName": "District " + district[index].astype(str), "SchoolName": "School " + school[index].astype(str),
        "ClassID": "C" + class_id[index].astype(str), "ClassCourseCodeOrMultCourseInd": course[index],
        "GenderCode": rng.choice(["F", "M"], len(index)), "EthnicityCode": rng.integers(0, 9, len(index)).astype(str),
        "EnrollmentTotal": enrollment,
    })
    ct = pd.DataFrame({
        "AcademicYear": "1415", "DistrictCode": district.astype(str), "SchoolCode": (1_000_000 + school).astype(str),
        "CountyName": "County", "DistrictName": "District", "SchoolName": "School", "ClassID": "C" + class_id.astype(str),
        "CourseCode": course, "ClassCourseID": "S" + class_id.astype(str),
        "IndependentStudy": np.where(rng.random(classes) < 0.01, "Y", "N"),
    })
    text = folder / "ClassEnrollment14.txt"
    ce.to_csv(text, sep="\t", index=False)
    paths = []
    for name, frame in (("ClassEnrollment14", None), ("CoursesTaught14", ct)):
        member = folder / f"{name}.txt"
        if frame is not None:
            frame.to_csv(member, sep="\t", index=False)
        target = folder / f"{name}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(member, member.name)
        paths.append(target)
    return text, paths[0], paths[1]


def measure(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", RUN, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1_700_000)
    parser.add_argument("--keep", type=Path, help="write the synthetic files here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        text, ce_zip, ct_zip = synthesize(folder, args.records)
        print(f"synthetic year: {args.records:,} ClassEnrollment records, {text.stat().st_size / 1e6:,.0f} MB of text, "
              f"{ce_zip.stat().st_size / 1e6:,.0f} MB zipped")
        bare = measure("bare", str(text))
        full = measure("full", str(ce_zip), str(ct_zip))
    ratio = full["seconds"] / bare["seconds"]
    print(f"bare pandas read (pyarrow engine):  {bare['seconds']:6.2f} s  peak {bare['peak_mb']:7.0f} MB  ({bare['rows']:,} rows)")
    print(f"class-size computation:             {full['seconds']:6.2f} s  peak {full['peak_mb']:7.0f} MB  ({full['rows']:,} school × area rows)")
    ok = ratio <= 3 and full["peak_mb"] <= 2048
    print(f"ratio {ratio:.2f} (target <= 3), peak {full['peak_mb']:.0f} MB (target <= 2048): {'MET' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
