"""Files applicants send for a checklist item: what they really are, and whether to take them.

The type is read from the content (magic bytes, with ``filetype``: pure Python,
and unlike ``puremagic`` it tells PDF, JPEG, PNG, DOCX, XLSX and plain ZIP
apart; old binary Office files by their OLE2 directory, read with ``olefile``), never from the name the sender gave: a phone photo called "学历.pdf" is
a JPEG and is judged as one, and the stored file gets the suffix of what it is.
The name is only compared, so the engine can mention a mismatch.

Refused, each with its own reason (issue 3, point 4): an empty file, a file over
20 MB (the most a Telegram bot may download), the same file twice in one
submission (by SHA-256), a type this checklist item does not take (the accepted
ones are named), a ZIP that is not a Word or Excel file, and anything else.

Pure: bytes in, a :class:`DocumentCheck` out. Writing the file under
``FILES_DIR`` with a generated name is the storage edge's job.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from dialogs.i18n import N_
from dialogs.inputs import Arg, Refusal

#: Telegram's Bot API lets a bot download files up to 20 MB.
MAX_SIZE = 20 * 1024 * 1024
_MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    """A document type the bot can take."""

    id: str
    mime: str
    #: The suffix a stored file gets, whatever the sender called it.
    suffix: str
    #: How the type is named to the applicant (format names, the same in every language).
    label: str
    #: Suffixes a sender's file name may carry for this type without it being a mismatch.
    aliases: tuple[str, ...] = ()


KINDS: Mapping[str, Kind] = {
    kind.id: kind
    for kind in (
        Kind("pdf", "application/pdf", ".pdf", "PDF"),
        Kind("jpeg", "image/jpeg", ".jpg", "JPEG", (".jpeg", ".jpe", ".jfif")),
        Kind("png", "image/png", ".png", "PNG"),
        Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word (DOCX)"),
        Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel (XLSX)"),
        # Old binary Office files (OLE2): what Chinese offices mostly send; WPS saves its .wps/.et in the same format.
        Kind("doc", "application/msword", ".doc", "Word (DOC/WPS)", (".wps", ".dot")),
        Kind("xls", "application/vnd.ms-excel", ".xls", "Excel (XLS/ET)", (".et", ".xlt")),
    )
}

# --------------------------------------------------------------------------- message keys

DOC_EMPTY = N_("The file is empty. Please send it again.")
DOC_TOO_BIG = N_(
    "The file is {size_mb} MB; the limit is {max_mb} MB. Please send a smaller file, for example a compressed scan."
)
DOC_DUPLICATE = N_("You have already sent this file for this application.")
DOC_NOT_ACCEPTED = N_("This item takes {accepted}; this file is {kind}. Please send one of those.")
DOC_ZIP = N_("This is a ZIP archive, not a Word or Excel document. Please send the documents themselves: {accepted}.")
DOC_UNSUPPORTED = N_("Files of type {found} cannot be accepted. Please send {accepted}.")
DOC_UNKNOWN = N_("I could not tell what kind of file this is. Please send {accepted}.")

#: Every key :func:`check_document` may refuse with (msgids for the catalogs).
REFUSAL_KEYS: tuple[str, ...] = (
    DOC_EMPTY, DOC_TOO_BIG, DOC_DUPLICATE, DOC_NOT_ACCEPTED, DOC_ZIP, DOC_UNSUPPORTED, DOC_UNKNOWN,
)  # fmt: skip


@dataclass(frozen=True)
class DocumentCheck:
    """What a received file is, and whether it is taken (``ok``) or refused (``error``).

    ``size`` and ``sha256`` are always filled, so even a refused file can be
    logged; ``kind``, ``mime`` and ``suffix`` are filled whenever the content was
    recognised as one of :data:`KINDS`.
    """

    size: int
    sha256: str
    kind: str | None = None
    mime: str | None = None
    suffix: str | None = None
    #: The sender's file name says another type than the content (e.g. "scan.pdf" holding a PNG).
    name_mismatch: bool = False
    error: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def check_document(
    content: bytes,
    *,
    declared_name: str,
    accepted: Collection[str],
    already: Collection[str] = frozenset(),
    max_size: int = MAX_SIZE,
) -> DocumentCheck:
    """Judge one received file for a checklist item that takes the ``accepted`` kinds.

    ``already`` holds the SHA-256 (hex) of files received for this submission,
    so the same scan sent twice — for the same item or another — is refused
    rather than stored again. ``declared_name`` is never used to decide the
    type or to build a path; it only sets ``name_mismatch``.
    """
    unknown = set(accepted) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown document kinds: {sorted(unknown)}")
    size = len(content)
    digest = hashlib.sha256(content).hexdigest()

    def refuse(key: str, known: Kind | None = None, /, **args: Arg) -> DocumentCheck:
        return DocumentCheck(
            size=size,
            sha256=digest,
            kind=known.id if known else None,
            mime=known.mime if known else None,
            suffix=known.suffix if known else None,
            name_mismatch=_mismatch(known, declared_name),
            error=Refusal(key, dict(args)),
        )

    labels = tuple(KINDS[k].label for k in KINDS if k in accepted)
    if size == 0:
        return refuse(DOC_EMPTY)
    if size > max_size:
        return refuse(DOC_TOO_BIG, size_mb=_mb_up(size), max_mb=_mb_down(max_size))
    found = detect(content)
    kind = KINDS.get(found or "")
    if digest in already:
        return refuse(DOC_DUPLICATE, kind)
    if found is None:
        return refuse(DOC_UNKNOWN, accepted=labels)
    if found == "zip":
        return refuse(DOC_ZIP, accepted=labels)
    if kind is None:
        return refuse(DOC_UNSUPPORTED, found=found.upper(), accepted=labels)
    if kind.id not in accepted:
        return refuse(DOC_NOT_ACCEPTED, kind, accepted=labels, kind=kind.label)
    return DocumentCheck(
        size=size,
        sha256=digest,
        kind=kind.id,
        mime=kind.mime,
        suffix=kind.suffix,
        name_mismatch=_mismatch(kind, declared_name),
    )


def too_large(size: int, max_size: int = MAX_SIZE) -> Refusal | None:
    """The refusal for a file announced as ``size`` bytes, before it is downloaded at all."""
    if size > max_size:
        return Refusal(DOC_TOO_BIG, {"size_mb": _mb_up(size), "max_mb": _mb_down(max_size)})
    return None


def detect(content: bytes) -> str | None:
    """The kind of a file from its bytes: an id of :data:`KINDS`, another type's extension
    (``"gif"``, ``"heic"``, ``"doc"``, ``"zip"``…), or ``None`` when nothing matches.

    ``filetype`` decides. Two fallbacks, still on content only: a PDF whose
    ``%PDF-`` header comes after what real PDF writers put before it (a byte-order
    mark, blank lines, NUL padding: :func:`_pdf_header`; never text, so a script with
    ``%PDF-`` in a comment is not a PDF), and an Office file whose ZIP entries are
    not in the order ``filetype`` looks for — there the ZIP directory is read with
    :mod:`zipfile` and the main part decides (``word/document.xml`` or ``xl/workbook.xml``).
    """
    import filetype  # imported with the first file sent, not with every start

    if content.startswith(_OLE2_MAGIC):
        return _ole2_kind(content)
    guess = filetype.guess(content)
    extension = guess.extension if guess else None
    if extension == "jpg":
        return "jpeg"
    if extension in KINDS:
        return extension
    if extension is None and _pdf_header(content):
        return "pdf"
    if extension == "zip":
        return _office_kind(content) or "zip"
    return extension


#: What may come before ``%PDF-``: a UTF-8 byte-order mark, whitespace and NUL padding, nothing else.
_PDF_PREFIX = re.compile(rb"(?:\xef\xbb\xbf|[\x00\t\n\x0c\r ])*")
#: How far to look for the header (PDF readers give up after 1 KB).
_PDF_PREFIX_LIMIT = 1024


def _pdf_header(content: bytes) -> bool:
    """True when the file starts with ``%PDF-``, after at most a byte-order mark, blank lines or NUL padding."""
    start = _PDF_PREFIX.match(content, 0, _PDF_PREFIX_LIMIT)
    end = start.end() if start else 0
    return content.startswith(b"%PDF-", end)


#: The first eight bytes of every OLE2 compound file (.doc .xls .ppt .wps .et .msg …).
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream that makes an OLE2 file a Word (or WPS text) document, an Excel (or WPS sheet) workbook, a slide deck.
_OLE2_STREAMS: tuple[tuple[str, str], ...] = (
    ("WordDocument", "doc"),
    ("Workbook", "xls"),
    ("Book", "xls"),  # Excel 5/95
    ("PowerPoint Document", "ppt"),
)


def _ole2_kind(content: bytes) -> str:
    """Word, Excel or PowerPoint by the streams in the compound file's directory (read with ``olefile``, the
    standard reader), not by the sender's suffix; "ole2" for another compound file or one that cannot be read."""
    import olefile

    try:
        with olefile.OleFileIO(content) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except Exception:  # noqa: BLE001 - a sender's file is untrusted: whatever olefile trips on, it is no document
        return "ole2"
    return next((kind for name, kind in _OLE2_STREAMS if name in streams), "ole2")


def _office_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _mismatch(kind: Kind | None, declared_name: str) -> bool:
    """True when the sender's name carries a suffix of another type than the content."""
    if kind is None:
        return False
    # the name may come from any system: take the last component whatever the separator
    name = PureWindowsPath(PurePosixPath(declared_name).name).name
    suffix = PurePosixPath(name).suffix.casefold()
    return bool(suffix) and suffix not in (kind.suffix, *kind.aliases)


def _mb_up(size: int) -> str:
    """A size in MB rounded up to one decimal, so 20.01 MB never shows as "20.0" next to a 20 MB limit."""
    return f"{math.ceil(size * 10 / _MB) / 10:.1f}"


def _mb_down(size: int) -> str:
    tenths = math.floor(size * 10 / _MB) / 10
    return f"{tenths:.0f}" if tenths == int(tenths) else f"{tenths:.1f}"


#: Longest item title in a file name sent to staff (characters, before ``-N.suffix``).
STAFF_NAME_LIMIT = 40
#: Characters no file name shown to staff may hold: path separators and what Windows refuses.
_UNSAFE_IN_NAMES = frozenset('/\\:*?"<>|')
#: A remark in brackets closing a title, left out of file names.
_REMARK = re.compile(r"\s*[（(][^（()）]*[)）]\s*$")


def staff_file_name(title: str, number: int, suffix: str) -> str:
    """The name a document goes to staff under: ``身份证-1.pdf``, from the checklist item's title, the
    file's number within the item and the suffix of the detected type — never the sender's name, so
    no ``.bat``, no right-to-left override (``‮fdp.exe``), no line break or NUL reaches the staff chat.

    Control and format characters (Unicode Cc, Cf: bidi overrides, zero-width joiners), line and
    paragraph separators, path separators and the characters Windows refuses are dropped, a remark
    in brackets at the end is left out, runs of spaces become one, and the title is cut to
    :data:`STAFF_NAME_LIMIT` characters.
    """
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in title
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") and ch not in _UNSAFE_IN_NAMES or ch.isspace()
    )
    kept = _REMARK.sub("", kept) or kept  # "意向协议或工作合同（明确目标任务…）" is the 意向协议或工作合同
    stem = " ".join(kept.split())[:STAFF_NAME_LIMIT].strip(" .") or "document"
    clean_suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
    return f"{stem}-{number}{clean_suffix}"


def suffix_for_mime(mime: str) -> str:
    """The stored suffix of a kind by its MIME type (``.pdf``), or nothing for an unknown type."""
    return next((kind.suffix for kind in KINDS.values() if kind.mime == mime), "")
