"""The one place that decides whether an address may become a link.

Addresses in claim files, ledgers and the manifest are data written by contributors. One that becomes a link on
the site must be ``http`` or ``https`` (or a relative link the site writes itself): ``javascript:``, ``data:``,
``vbscript:`` and every other scheme would run or load something in the reader's browser. They are refused
where they enter (the claim model, the ledger layouts, ``import --url``) and never written into an ``href``.

Reference forms used as data are accepted and rendered safely: ``github:owner/repo`` (the ledgers' citations of a
repository) becomes https://github.com/owner/repo, and an address followed by a note ("https://… (ACS table)")
links the address and shows the note as text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .files import UnsafePath

LINK_SCHEMES = ("http", "https")  # what may become a link
REFERENCE_SCHEMES = ("github",)  # accepted as data; rendered as their https address
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_GITHUB = re.compile(r"^github:([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100})$")


class UnsafeAddress(UnsafePath):
    """An address with a scheme that must not become a link (javascript:, data:, ...): names where it was found."""


def _as_browser_reads(value: str) -> str:
    """The address as a browser parses it: leading and trailing spaces and control characters dropped, tabs and
    line breaks inside removed (so that 'java\\tscript:' is seen as 'javascript:')."""
    text = "".join(ch for ch in str(value) if ch not in "\t\n\r")
    return text.strip("".join(map(chr, range(0x21))) + "\x7f")


def scheme(value: str) -> str:
    """The address's scheme in lower case ('' for a relative address)."""
    found = _SCHEME.match(_as_browser_reads(value))
    return found.group(1).lower() if found else ""


def _first_token(value: str) -> str:
    text = _as_browser_reads(value)
    return text.split(None, 1)[0] if text else ""


def check(value: str, where: str, references: bool = False, remedy: str = "correct the file") -> str:
    """``value`` unchanged when it is empty or an absolute http(s) address (with ``references`` also a
    ``github:owner/repo`` reference); else UnsafeAddress naming ``where`` (file and field) and ``remedy``."""
    if value is None or not str(value).strip():
        return value
    kind = scheme(value)
    allowed = LINK_SCHEMES + (REFERENCE_SCHEMES if references else ())
    ok = kind in allowed
    if kind in LINK_SCHEMES:
        ok = bool(urlsplit(_first_token(value)).netloc)
    elif kind == "github":
        ok = references and bool(_GITHUB.match(_first_token(value)))
    if not ok:
        shown = f"scheme '{kind}:'" if kind else "no scheme"
        forms = "http:// or https://" + (" (or github:owner/repo)" if references else "")
        raise UnsafeAddress(f"{where}: address {str(value)[:80]!r} is refused ({shown}); an address here must start "
                            f"with {forms}; {remedy}")
    return value


def href(value: str, relative: bool = False) -> str:
    """The address to put in an href, or '' when ``value`` must not become a link.

    http(s) addresses (the first word when a note follows), ``github:owner/repo`` as its https address, and with
    ``relative`` a relative link the site writes itself (no scheme, not starting with '//' or a backslash)."""
    if value is None:
        return ""
    token = _first_token(value)
    kind = scheme(token)
    if kind in LINK_SCHEMES:
        return token if urlsplit(token).netloc else ""
    if kind == "github":
        found = _GITHUB.match(token)
        return f"https://github.com/{found.group(1)}/{found.group(2)}" if found else ""
    if not kind and relative and token and not token.startswith(("//", "\\", "/\\")):
        return token
    return ""


def link(value: str, text=None, relative: bool = False):
    """HTML: ``<a href="address">text</a>`` when ``value`` may be a link (see :func:`href`), else the text alone,
    escaped. ``text`` defaults to the address as written."""
    from markupsafe import Markup, escape

    shown = escape(value if text is None else text)
    target = href(value, relative=relative)
    return Markup(f'<a href="{escape(target)}">{shown}</a>') if target else Markup(shown)
