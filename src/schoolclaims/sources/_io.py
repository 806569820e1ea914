"""Readers shared by the source modules: worksheets, header checks, numbers, zip members.

They know file formats, not publishers: a source module says which sheet, row and header it expects.
"""

from __future__ import annotations

import csv
import re
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from isal import isal_zlib  # ISA-L's inflate: the same bytes as zlib's, in about half the time


class LayoutError(ValueError):
    """A file is not laid out as its layout map says: names the file, sheet, row and what was expected."""


def clean(value) -> str:
    """A cell as text with runs of white space made one space and the ends trimmed ('' for an empty cell).
    (str.split() splits on exactly the characters a regex's \\s matches, and runs a million cells a build 4x faster.)"""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return " ".join(str(value).split())


def read_sheet(path: Path, sheet: str | int) -> pd.DataFrame:
    """A whole worksheet as objects, no header; frame row i is spreadsheet row i + 1."""
    try:
        return pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="calamine")
    except ValueError as exc:  # missing sheet
        raise LayoutError(f"{path.name}: cannot read sheet {sheet!r} ({exc})") from exc
    except Exception as exc:  # calamine raises its own types for corrupt workbooks
        raise LayoutError(f"{path.name}: not a readable workbook ({type(exc).__name__}: {exc})") from exc


def header_columns(frame: pd.DataFrame, where: str, row: int, expected: dict[str, str]) -> dict[str, int]:
    """Find each expected header text in spreadsheet row ``row``; return field -> column index.

    Comparison ignores case and runs of white space (line breaks inside header cells drift by year).
    """
    if row - 1 >= len(frame):
        raise LayoutError(f"{where}: has {len(frame)} rows; the header was expected on row {row}")
    found = [clean(v) for v in frame.iloc[row - 1].tolist()]
    lowered = [v.lower() for v in found]
    columns = {}
    for field, text in expected.items():
        try:
            columns[field] = lowered.index(clean(text).lower())
        except ValueError:
            raise LayoutError(
                f"{where} row {row}: expected a header cell {text!r} (for {field}); found {[v for v in found if v]}"
            ) from None
    return columns


def to_number(value, where: str) -> float:
    """A numeric cell: numbers pass, numeric text with thousands separators is parsed, else an error."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if pd.isna(value):
            raise LayoutError(f"{where}: empty cell where a number was expected")
        return float(value)
    text = clean(value).replace(",", "").replace("$", "")
    try:
        return float(text)
    except ValueError:
        raise LayoutError(f"{where}: expected a number, found {value!r}") from None


# -- limits: what any reader accepts, in one place ------------------------------------------------------------
# A file that states more than these is refused before it is read (a damaged or hostile header, a zip bomb).
LIMITS = {
    "zip_member_bytes": 2_000_000_000,  # one unpacked zip member: a statewide class-level year is about 150 MB
    "zip_total_bytes": 4_000_000_000,  # all members of one zip together
    "zip_members": 10_000,  # an xlsx holds a few dozen parts; CDE's zips one to a few files
    "zip_ratio": 200,  # unpacked / packed size of one member: text compresses 5-20x, a far higher ratio is a bomb
    "j90_member_bytes": 200_000_000,  # a J-90 database or text member (the 2016-17 database is about 20 MB)
    "dbf_records": 1_000_000,  # a SARC table lists about 10,000 schools x grades
    "dbf_record_bytes": 65_535,  # dBase's own limit for one record
    "dbf_fields": 255,  # dBase IV's limit
    "text_table_bytes": 200_000_000,  # a SARC table posted as text: about 10,000 schools x grades is a few MB
}
MAX_MEMBER_BYTES = LIMITS["zip_member_bytes"]
MAX_COMPRESSION_RATIO = LIMITS["zip_ratio"]


class IncompleteFile(LayoutError):
    """A file cut short or damaged (a dBase table shorter than its header says, a zip member whose CRC or size is
    wrong, a text file cut inside a row) or one whose header cannot be true: names the file (and member)."""


def _unsafe_member(name: str) -> bool:
    name = name.replace("\\", "/")
    return name.startswith("/") or bool(re.match(r"^[A-Za-z]:", name)) or ".." in name.split("/")


def zip_member(path: Path, pattern: str, max_bytes: int = MAX_MEMBER_BYTES) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    """Open a zip and find the one member whose file name matches ``pattern`` (a regex), safely.

    Nothing is extracted to disk. A member whose name climbs out of the folder ('..', an absolute
    path, a drive letter) or whose declared size is over ``max_bytes`` or implausibly compressed is
    refused, naming the member; so is a zip with no match or with several. Read the member with
    :func:`open_member`, which names archive and member when its bytes are damaged.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise IncompleteFile(f"{path.name}: not a readable zip ({exc})") from exc
    for info in archive.infolist():
        if _unsafe_member(info.filename):
            archive.close()
            raise LayoutError(f"{path.name}: member {info.filename!r} points outside the archive; refusing the file")
    members = [i for i in archive.infolist() if re.fullmatch(pattern, Path(i.filename).name, flags=re.IGNORECASE)]
    if len(members) != 1:
        archive.close()
        raise LayoutError(f"{path.name}: expected one member matching {pattern!r}; found {[i.filename for i in archive.infolist()]}")
    info = members[0]
    try:
        _check_declared(path, info, max_bytes)
    except LayoutError:
        archive.close()
        raise
    return archive, info


def _check_declared(path: Path, info: zipfile.ZipInfo, max_bytes: int) -> None:
    if info.file_size > max_bytes:
        raise LayoutError(f"{path.name}: member {info.filename} would unpack to {info.file_size:,} bytes, over the limit of {max_bytes:,}")
    if info.file_size / max(info.compress_size, 1) > MAX_COMPRESSION_RATIO and info.file_size > (1 << 20):
        raise LayoutError(f"{path.name}: member {info.filename} is compressed {info.file_size / max(info.compress_size, 1):,.0f} to 1; refusing a likely zip bomb")


_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


@contextmanager
def open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path):
    """A member's bytes as a stream; a CRC error, a wrong size or a damaged stream met while reading becomes an
    IncompleteFile naming archive and member (zipfile raises BadZipFile with neither)."""
    try:
        with archive.open(info) as handle:
            yield handle
    except _ZIP_ERRORS as exc:
        raise IncompleteFile(f"{path.name} ({info.filename}): the member is damaged or cut short ({exc}); "
                             "fetch the file again") from None


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, max_bytes: int) -> bytes:
    """A member's bytes, refused over ``max_bytes`` (declared or actual) and checked (CRC, size)."""
    _check_declared(path, info, max_bytes)
    with open_member(archive, info, path) as handle:
        data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise LayoutError(f"{path.name}: member {info.filename} unpacks to more than {max_bytes:,} bytes; refused")
        handle.read(1)  # at the end: zipfile checks the CRC here
    return data


def read_zip_text(path: Path, pattern: str, max_bytes: int = MAX_MEMBER_BYTES, encoding: str = "utf-8-sig") -> str:
    """The text of the one member matching ``pattern`` (see :func:`zip_member`)."""
    archive, info = zip_member(path, pattern, max_bytes)
    with archive:
        data = read_member(archive, info, path, max_bytes)
    return data.decode(encoding)


def check_zip(path: Path, name: str | None = None) -> None:
    """Every member whole: each member's stored bytes decompress to exactly its declared size with its declared
    CRC-32 and nothing left over; sizes and counts within LIMITS. Reads every member once, in blocks (never
    whole), stopping at the declared size."""
    name = name or Path(path).name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise IncompleteFile(f"{name}: not a complete zip ({exc})") from None
    with archive, open(path, "rb") as raw:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > LIMITS["zip_members"]:
            raise LayoutError(f"{name}: {len(infos):,} members, over the limit of {LIMITS['zip_members']:,}")
        if sum(i.file_size for i in infos) > LIMITS["zip_total_bytes"]:
            raise LayoutError(f"{name}: members would unpack to over {LIMITS['zip_total_bytes']:,} bytes; refused")
        for info in infos:
            _check_declared(Path(name), info, LIMITS["zip_member_bytes"])
            problem = _member_problem(archive, raw, info)
            if problem:
                raise IncompleteFile(f"{name} (member {info.filename}): {problem}")


def _data_start(raw, info: zipfile.ZipInfo) -> int | str:
    """Where a member's stored bytes begin (after its local header), or what is wrong with that header."""
    raw.seek(info.header_offset)
    local = raw.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        return "its local header is missing (the file is cut or damaged)"
    if info.flag_bits & 0x1:
        return "encrypted; not read"
    name_length = int.from_bytes(local[26:28], "little")
    name = raw.read(name_length)
    if name != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"):
        return f"its local header names {name!r}, not {info.orig_filename!r} (the file is damaged)"  # as zipfile checks
    return info.header_offset + 30 + name_length + int.from_bytes(local[28:30], "little")


def _member_problem(archive: zipfile.ZipFile, raw, info: zipfile.ZipInfo) -> str:
    """'' when the member is whole, else what is wrong with it."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        try:  # other methods (bzip2, lzma): zipfile's own reader checks the CRC at the end
            with archive.open(info) as handle:
                while handle.read(1 << 20):
                    pass
        except _ZIP_ERRORS as exc:
            return f"damaged ({exc})"
        return ""
    start = _data_start(raw, info)
    if isinstance(start, str):
        return start
    raw.seek(start)
    left, size, crc = info.compress_size, 0, 0
    inflate = isal_zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    try:
        while left > 0:
            block = raw.read(min(1 << 20, left))
            if not block:
                return f"cut short: {info.compress_size - left:,} of {info.compress_size:,} stored bytes present"
            left -= len(block)
            out = inflate.decompress(block, min(1 << 22, info.file_size - size + 1)) if inflate else block
            while True:
                size += len(out)
                if size > info.file_size:
                    return f"unpacks to more than its declared {info.file_size:,} bytes"
                crc = isal_zlib.crc32(out, crc)
                if not inflate or not inflate.unconsumed_tail:
                    break
                out = inflate.decompress(inflate.unconsumed_tail, min(1 << 22, info.file_size - size + 1))
        if inflate:
            out = inflate.flush()
            size += len(out)
            crc = isal_zlib.crc32(out, crc)
            if not inflate.eof:
                return "its compressed stream ends early (cut short)"
    except (zlib.error, isal_zlib.error) as exc:
        return f"damaged compressed data ({exc})"
    return _size_and_crc_problem(info, size, crc)


def _size_and_crc_problem(info: zipfile.ZipInfo, size: int, crc: int) -> str:
    if size != info.file_size:
        return f"unpacks to {size:,} bytes, not its declared {info.file_size:,}"
    if crc != info.CRC:
        return f"CRC-32 is {crc:08x}, the zip records {info.CRC:08x}: the bytes are damaged"
    return ""


def unpacked_member(path: Path, pattern: str, max_bytes: int = MAX_MEMBER_BYTES) -> tuple[bytes, str]:
    """The one member matching ``pattern`` (see :func:`zip_member`) unpacked whole in memory, its size and CRC-32
    checked, with a label naming archive and member. A deflated member is inflated in one call (ISA-L), never
    past its declared size; other methods go through zipfile."""
    archive, info = zip_member(path, pattern, max_bytes)
    label = f"{path.name} ({info.filename})"
    with archive:
        if info.compress_type != zipfile.ZIP_DEFLATED:
            return read_member(archive, info, path, max_bytes), label
        with open(path, "rb") as raw:
            start = _data_start(raw, info)
            if isinstance(start, str):
                raise IncompleteFile(f"{label}: {start}")
            raw.seek(start)
            stored = raw.read(info.compress_size)
    inflate = isal_zlib.decompressobj(-15)
    try:
        data = inflate.decompress(stored, info.file_size + 1)
    except (zlib.error, isal_zlib.error) as exc:
        raise IncompleteFile(f"{label}: damaged compressed data ({exc}); fetch the file again") from None
    if len(stored) < info.compress_size or (not inflate.eof and len(data) <= info.file_size):
        raise IncompleteFile(f"{label}: the compressed stream ends early (cut short); fetch the file again")
    problem = _size_and_crc_problem(info, len(data), isal_zlib.crc32(data))
    if problem:
        raise IncompleteFile(f"{label}: {problem}; fetch the file again")
    return data, label


# -- dBase ---------------------------------------------------------------------------------------------------
DBF_VERSIONS = (0x02, 0x03, 0x30, 0x31, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xF5, 0xFB)


def check_dbf(path: Path, name: str | None = None) -> tuple[int, int, int]:
    """A dBase table's header checked against itself and the file size: header length, record length and record
    count within LIMITS and consistent with the field descriptors; the size equal to header + count x record length
    (plus the optional end mark 0x1A). Returns (records, header length, record length)."""
    name = name or Path(path).name
    size = Path(path).stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(32)
        if len(head) < 32:
            raise IncompleteFile(f"{name}: {size} bytes, shorter than a dBase header (32 bytes)")
        records = int.from_bytes(head[4:8], "little")
        header_len = int.from_bytes(head[8:10], "little")
        record_len = int.from_bytes(head[10:12], "little")
        max_header = 32 + 32 * LIMITS["dbf_fields"] + 1 + 263  # descriptors, terminator, Visual FoxPro's backlink
        if head[0] not in DBF_VERSIONS or not 65 <= header_len <= max_header or not 2 <= record_len <= LIMITS["dbf_record_bytes"]:
            raise IncompleteFile(f"{name}: not a dBase table this reader accepts (version byte {head[0]:#04x}, header "
                                 f"length {header_len}, record length {record_len}: a header of 65 to {max_header} bytes and a "
                                 f"record of 2 to {LIMITS['dbf_record_bytes']} bytes are accepted)")
        if records > LIMITS["dbf_records"]:
            raise IncompleteFile(f"{name}: the header declares {records:,} records, over the limit of {LIMITS['dbf_records']:,}")
        descriptors = handle.read(header_len - 32)
    fields, total = 0, 1  # the deletion flag
    for offset in range(0, len(descriptors), 32):
        if descriptors[offset] == 0x0D:
            break
        if offset + 32 > len(descriptors):
            offset = len(descriptors)
            break
        fields += 1
        total += descriptors[offset + 16]
    else:
        offset = len(descriptors)
    if offset >= len(descriptors):
        raise IncompleteFile(f"{name}: the field descriptors have no terminator (0x0D) within the {header_len}-byte header")
    if fields == 0 or total != record_len:
        raise IncompleteFile(f"{name}: the header's record length {record_len} does not match its {fields} field(s) "
                             f"({total} bytes with the deletion flag)")
    expected = header_len + records * record_len
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 1))
        last = handle.read(1)
    if size == expected or (size == expected + 1 and last == b"\x1a"):
        return records, header_len, record_len
    if size < expected:
        raise IncompleteFile(f"{name}: {size:,} bytes, but its header promises {expected:,} ({records:,} records of "
                             f"{record_len} bytes after a {header_len}-byte header): the file is cut short")
    raise IncompleteFile(f"{name}: {size:,} bytes, more than its header accounts for ({expected:,} and an end mark); "
                         "the header or the file is damaged")


def looks_like_dbf(path: Path) -> bool:
    """A .dbf name, or a dBase version byte with a plausible header (a text file may start with '0', 0x30)."""
    if Path(path).suffix.lower() == ".dbf":
        return True
    with open(path, "rb") as handle:
        head = handle.read(32)
    return (len(head) == 32 and head[0] in DBF_VERSIONS and 0 < head[2] <= 12 and 0 < head[3] <= 31
            and int.from_bytes(head[8:10], "little") >= 65 and b"\x00" in head)


# -- text ------------------------------------------------------------------------------------------------------
def check_text(path: Path, name: str | None = None) -> None:
    """A delimited text file whose last line has no line end must still hold a whole row: as many fields as the
    header, no quote left open, not ending on a delimiter (a body cut short shows as one of these). A file that
    ends with a line end, or whose last row is whole, passes (mirror copies often lack the final newline)."""
    name = name or Path(path).name
    size = Path(path).stat().st_size
    with open(path, "rb") as handle:
        header = handle.readline(1 << 20).decode("utf-8", errors="replace")
        handle.seek(max(0, size - 65536))
        tail = handle.read()
    if not tail or tail.endswith((b"\n", b"\r")):
        return
    last = tail.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    delimiter = "\t" if header.count("\t") > header.count(",") else ","
    try:
        fields = next(csv.reader([last], delimiter=delimiter, strict=True))
        expected = next(csv.reader([header.rstrip("\r\n")], delimiter=delimiter))
    except (csv.Error, StopIteration):
        raise IncompleteFile(f"{name}: the last line is cut inside a quoted field ({last[:60]!r})") from None
    if len(fields) < len(expected):
        raise IncompleteFile(f"{name}: the last line has {len(fields)} of the header's {len(expected)} fields and no "
                             f"line end: the file was cut short ({last[:60]!r})")
    if last.endswith(delimiter) and len(expected) > 1:
        raise IncompleteFile(f"{name}: the last line ends on a delimiter with no line end: the file was cut short "
                             f"({last[-60:]!r})")


def check_complete(path: Path, name: str | None = None, remedy: str = "", suffix: str | None = None) -> None:
    """Complete files or none: a zip-based file (zip, xlsx, a self-extracting .exe) with every member whole, a dBase
    table as long as its header says, a delimited text file not cut inside its last row. Other formats pass (their
    readers fail on a cut file). The error names the file (and member) and ends with ``remedy``."""
    path = Path(path)
    name = name or path.name
    suffix = (suffix if suffix is not None else path.suffix).lower()  # a temporary file is named for what it becomes
    with open(path, "rb") as handle:
        head = handle.read(4096)
    try:
        if head.startswith(b"PK\x03\x04") or (head.startswith(b"MZ") and zipfile.is_zipfile(path)):
            check_zip(path, name)
        elif suffix == ".dbf" or looks_like_dbf(path):
            check_dbf(path, name)
        elif b"\x00" not in head and (suffix in (".csv", ".tsv") or (
                suffix == ".txt" and b"\t" in head.split(b"\n", 1)[0])):  # delimited text, not prose
            check_text(path, name)
    except IncompleteFile as exc:
        raise IncompleteFile(f"{exc}{'; ' + remedy if remedy else ''}") from None


def is_zip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def layout_rows(name: str) -> list[dict[str, str]]:
    """The rows of ``layouts/<name>.csv``: a source's layout drift, as data."""
    with open(Path(__file__).parent / "layouts" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def with_provenance(frame: pd.DataFrame, resource, locator: pd.Series | str, source_id: str | None = None) -> pd.DataFrame:
    """``frame`` with the provenance columns every processed row carries: source id, file sha256, locator."""
    return frame.assign(source_id=source_id or resource.source_id, file_sha256=resource.sha256, locator=locator)


def sheet_row_locator(data: pd.DataFrame) -> pd.Series:
    return "sheet '" + data["sheet"] + "' row " + data["row"].astype(str)


# Census Day school enrollment, as the FRPM files and the Census Day files both give it
ENROLLMENT_COLUMNS = ["school_year", "cds", "district", "school", "charter", "low_grade", "high_grade", "enrollment_k12",
                      "source_id", "file_sha256", "locator"]
