"""Files sent for a checklist item are judged by their bytes, and refused with a reason the applicant can act on."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib

import filetype
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.documents import (
    DOC_DUPLICATE,
    DOC_EMPTY,
    DOC_NOT_ACCEPTED,
    DOC_TOO_BIG,
    DOC_UNKNOWN,
    DOC_UNSUPPORTED,
    DOC_ZIP,
    KINDS,
    MAX_SIZE,
    REFUSAL_KEYS,
    check_document,
    detect,
    staff_file_name,
)
from dialogs.flows.uploads import ACCEPTED_KINDS

ALL = {"pdf", "jpeg", "png", "docx", "xlsx"}

# --------------------------------------------------------------------------- real minimal files


def make_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def make_png() -> bytes:
    """A 1×1 white PNG: signature, IHDR, IDAT, IEND with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def make_jpeg() -> bytes:
    """SOI, a JFIF APP0 segment and EOI: enough for every magic-byte reader."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    "{overrides}</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="{target}"/></Relationships>'
)


def make_zip(entries: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries:
            archive.writestr(name, text)
    return buffer.getvalue()


def docx_entries() -> list[tuple[str, str]]:
    override = (
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    )
    return [
        ("[Content_Types].xml", CONTENT_TYPES.format(overrides=override)),
        ("_rels/.rels", RELS.format(target="word/document.xml")),
        (
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>学历证明</w:t></w:r></w:p></w:body></w:document>",
        ),
    ]


def make_docx() -> bytes:
    return make_zip(docx_entries())


def make_xlsx() -> bytes:
    overrides = (
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return make_zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES.format(overrides=overrides)),
            ("_rels/.rels", RELS.format(target="xl/workbook.xml")),
            (
                "xl/workbook.xml",
                f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
            ),
            (
                "xl/_rels/workbook.xml.rels",
                RELS.format(target="worksheets/sheet1.xml").replace('officeDocument"', 'worksheet"'),
            ),
            ("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{main}"><sheetData/></worksheet>'),
        ]
    )


def make_pptx() -> bytes:
    return make_zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES.format(overrides="")),
            ("_rels/.rels", RELS.format(target="ppt/presentation.xml")),
            (
                "ppt/presentation.xml",
                "<p:presentation xmlns:p='http://schemas.openxmlformats.org/presentationml/2006/main'/>",
            ),
        ]
    )


def make_plain_zip() -> bytes:
    return make_zip([("材料/学历.txt", "not a document"), ("材料/身份证.txt", "nor this")])


def make_ole2(*streams: str) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) whose directory holds empty ``streams``:
    the header, one FAT sector, one directory sector. Built here, never a real user's file."""
    free, end, fat_sect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    entries = ["Root Entry", *streams]
    assert len(entries) <= 4
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *[free] * 108)
    )
    fat = struct.pack("<128I", fat_sect, end, *[free] * 126)
    directory = b""
    for i, name in enumerate(entries):
        encoded = (name + "\0").encode("utf-16-le")
        kind = 5 if i == 0 else 2
        child = 1 if i == 0 and len(entries) > 1 else nostream
        right = i + 1 if 0 < i < len(entries) - 1 else nostream
        directory += (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", nostream, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", end, 0)
        )
    directory = directory.ljust(512, b"\0")
    return header + fat + directory


GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)

FILES = {
    "pdf": make_pdf,
    "jpeg": make_jpeg,
    "png": make_png,
    "docx": make_docx,
    "xlsx": make_xlsx,
}

# --------------------------------------------------------------------------- the test files are what they claim


@pytest.mark.parametrize(
    ("kind", "mime"),
    [
        ("pdf", "application/pdf"),
        ("jpeg", "image/jpeg"),
        ("png", "image/png"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_filetype_itself_recognises_the_minimal_files_built_here(kind, mime):
    assert filetype.guess_mime(FILES[kind]()) == mime


def test_filetype_sees_a_plain_zip_and_a_pptx_for_what_they_are():
    assert filetype.guess_extension(make_plain_zip()) == "zip"
    assert filetype.guess_extension(make_pptx()) == "pptx"


# --------------------------------------------------------------------------- accepted files


@pytest.mark.parametrize("kind", sorted(FILES))
def test_each_accepted_kind_is_taken_with_its_mime_suffix_size_and_hash(kind):
    content = FILES[kind]()
    result = check_document(content, declared_name=f"材料{KINDS[kind].suffix}", accepted=ALL)
    assert result.ok, result.error
    assert result.kind == kind
    assert result.mime == KINDS[kind].mime
    assert result.suffix == KINDS[kind].suffix
    assert result.size == len(content)
    assert result.sha256 == hashlib.sha256(content).hexdigest()
    assert not result.name_mismatch


@pytest.mark.parametrize(
    ("kind", "name", "suffix"),
    [
        ("png", "学历证书.pdf", ".png"),
        ("jpeg", "身份证.png", ".jpg"),
        ("pdf", "scan.jpg", ".pdf"),
        ("docx", "简历.xlsx", ".docx"),
        ("xlsx", "业绩表.docx", ".xlsx"),
        ("pdf", "../../etc/passwd", ".pdf"),
        ("pdf", "C:\\Users\\me\\Desktop\\report.doc", ".pdf"),
    ],
)
def test_the_type_comes_from_the_content_not_the_name(kind, name, suffix):
    result = check_document(FILES[kind](), declared_name=name, accepted=ALL)
    assert result.ok
    assert result.kind == kind
    assert result.suffix == suffix


@pytest.mark.parametrize(
    ("kind", "name", "mismatch"),
    [
        ("png", "学历证书.pdf", True),
        ("jpeg", "photo.JPEG", False),
        ("jpeg", "photo.jpg", False),
        ("jpeg", "IMG_0001.jfif", False),
        ("pdf", "无后缀", False),
        ("pdf", "", False),
        ("pdf", "report.PDF", False),
        ("docx", "cv.doc", True),
        ("pdf", "C:\\scans\\diploma.png", True),
    ],
)
def test_a_name_that_says_another_type_is_flagged_but_not_refused(kind, name, mismatch):
    result = check_document(FILES[kind](), declared_name=name, accepted=ALL)
    assert result.ok
    assert result.name_mismatch is mismatch


def test_a_pdf_with_a_few_stray_bytes_before_its_header_is_still_a_pdf():
    content = b"\r\n\xef\xbb\xbf" + make_pdf()
    assert detect(content) == "pdf"
    assert check_document(content, declared_name="x.pdf", accepted={"pdf"}).kind == "pdf"


def test_an_office_file_whose_entries_filetype_cannot_place_is_read_from_its_zip_directory():
    # Content types first, then enough other parts that word/ is beyond the four entries filetype scans.
    entries = docx_entries()
    fillers = [(f"customXml/item{i}.xml", "<x/>") for i in range(6)]
    content = make_zip([entries[0], entries[1], *fillers, entries[2]])
    assert filetype.guess_extension(content) == "zip"
    result = check_document(content, declared_name="cv.docx", accepted={"docx"})
    assert result.ok and result.kind == "docx"


# --------------------------------------------------------------------------- refusals


def test_an_empty_file_is_refused():
    result = check_document(b"", declared_name="学历.pdf", accepted=ALL)
    assert result.error.key == DOC_EMPTY
    assert result.size == 0


def test_a_file_over_20_mb_is_refused_with_its_size_and_the_limit_in_mb():
    content = make_pdf() + b"\0" * MAX_SIZE
    result = check_document(content, declared_name="big.pdf", accepted=ALL)
    assert result.error.key == DOC_TOO_BIG
    assert result.error.args == {"size_mb": "20.1", "max_mb": "20"}


def test_a_file_of_exactly_20_mb_is_taken():
    pdf = make_pdf()
    content = pdf + b"\0" * (MAX_SIZE - len(pdf))
    assert check_document(content, declared_name="big.pdf", accepted=ALL).ok


@pytest.mark.parametrize(
    ("size", "max_size", "shown", "limit"),
    [(1024 * 1024 + 1, 1024 * 1024, "1.1", "1"), (3 * 1024 * 1024, int(2.5 * 1024 * 1024), "3.0", "2.5")],
)
def test_the_size_shown_is_rounded_up_so_it_never_looks_within_the_limit(size, max_size, shown, limit):
    content = make_pdf().ljust(size, b"\0")
    result = check_document(content, declared_name="a.pdf", accepted=ALL, max_size=max_size)
    assert result.error.key == DOC_TOO_BIG
    assert result.error.args == {"size_mb": shown, "max_mb": limit}


def test_the_same_file_twice_is_refused_even_under_another_name():
    first = check_document(make_png(), declared_name="身份证正面.png", accepted=ALL)
    again = check_document(make_png(), declared_name="副本.png", accepted=ALL, already={first.sha256})
    assert again.error.key == DOC_DUPLICATE
    assert again.sha256 == first.sha256


def test_a_different_file_is_not_a_duplicate():
    first = check_document(make_png(), declared_name="a.png", accepted=ALL)
    other = check_document(make_jpeg(), declared_name="a.png", accepted=ALL, already={first.sha256})
    assert other.ok


@pytest.mark.parametrize(
    ("kind", "accepted", "labels"),
    [
        ("jpeg", {"pdf"}, ("PDF",)),
        ("docx", {"pdf", "jpeg", "png"}, ("PDF", "JPEG", "PNG")),
        ("pdf", {"xlsx"}, ("Excel (XLSX)",)),
        ("png", {"docx", "pdf"}, ("PDF", "Word (DOCX)")),
    ],
)
def test_a_type_this_item_does_not_take_is_refused_naming_the_types_it_takes(kind, accepted, labels):
    result = check_document(FILES[kind](), declared_name="x", accepted=accepted)
    assert result.error.key == DOC_NOT_ACCEPTED
    assert result.error.args == {"accepted": labels, "kind": KINDS[kind].label}
    assert result.kind == kind  # still recognised, so the engine can say what it got


def test_a_zip_that_is_not_word_or_excel_is_refused_as_a_zip():
    result = check_document(make_plain_zip(), declared_name="材料.docx", accepted=ALL)
    assert result.error.key == DOC_ZIP
    assert result.error.args["accepted"] == ("PDF", "JPEG", "PNG", "Word (DOCX)", "Excel (XLSX)")


def test_a_broken_zip_is_refused_as_a_zip_not_guessed_to_be_office():
    result = check_document(b"PK\x03\x04broken", declared_name="cv.docx", accepted={"docx"})
    assert result.error.key == DOC_ZIP


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (make_pptx(), "PPTX"),
        (GIF, "GIF"),
        (make_ole2("PowerPoint Document", "\x05SummaryInformation"), "PPT"),
        (make_ole2("__substg1.0_0037001F"), "OLE2"),  # an Outlook message is a compound file, not a document
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"\xec\xa5\xc1\x00" + b"\0" * 100, "OLE2"),
        (b"Rar!\x1a\x07\x00" + b"\0" * 20, "RAR"),
    ],
    ids=["pptx", "gif", "ppt", "msg", "broken-ole2", "rar"],
)
def test_other_known_types_are_refused_by_name(content, found):
    result = check_document(content, declared_name="file.pdf", accepted=ALL)
    assert result.error.key == DOC_UNSUPPORTED
    assert result.error.args == {"found": found, "accepted": ("PDF", "JPEG", "PNG", "Word (DOCX)", "Excel (XLSX)")}


@pytest.mark.parametrize(
    "content",
    [b"hello, this is plain text pretending to be a PDF", "身份证号码".encode(), b"\x00\x01\x02\x03"],
    ids=["text", "utf8", "binary"],
)
def test_content_nobody_recognises_is_refused_as_unknown(content):
    result = check_document(content, declared_name="证明.pdf", accepted={"pdf", "png"})
    assert result.error.key == DOC_UNKNOWN
    assert result.error.args == {"accepted": ("PDF", "PNG")}


def test_a_refused_file_still_carries_its_size_and_hash_for_the_record():
    content = b"plain text"
    result = check_document(content, declared_name="a.txt", accepted=ALL)
    assert not result.ok
    assert result.size == len(content)
    assert result.sha256 == hashlib.sha256(content).hexdigest()


def test_an_unknown_kind_in_the_checklist_is_a_programming_error():
    with pytest.raises(ValueError, match="gif"):
        check_document(make_pdf(), declared_name="a.pdf", accepted={"pdf", "gif"})


def test_every_refusal_key_is_listed_for_the_catalogs():
    assert len(set(REFUSAL_KEYS)) == len(REFUSAL_KEYS) == 7
    assert {DOC_EMPTY, DOC_TOO_BIG, DOC_DUPLICATE, DOC_NOT_ACCEPTED, DOC_ZIP, DOC_UNSUPPORTED, DOC_UNKNOWN} == set(
        REFUSAL_KEYS
    )


def test_a_script_with_a_pdf_header_in_a_comment_is_not_a_pdf():
    script = b"@echo off\r\nREM %PDF-1.4\r\nstart calc.exe\r\n"
    assert detect(script) is None
    result = check_document(script, declared_name="申请表.bat", accepted=ALL)
    assert not result.ok and result.error.key == DOC_UNKNOWN


@pytest.mark.parametrize("prefix", [b"x", b"REM ", b"%!PS\n", b"<html>", b"\x00\x01"])
def test_a_pdf_header_after_anything_but_blank_bytes_is_not_a_pdf(prefix):
    assert detect(prefix + make_pdf()) != "pdf"


def test_a_staff_file_name_comes_from_the_item_and_the_type_never_from_the_sender():
    assert staff_file_name("身份证", 1, ".pdf") == "身份证-1.pdf"
    # a right-to-left override, a zero-width joiner, line breaks, NUL and path separators are dropped
    assert staff_file_name("\u202e身份\u200d证\n\r\x00/..\\", 2, ".jpg") == "身份证-2.jpg"
    assert staff_file_name("学历  学位\t证书", 1, ".pdf") == "学历 学位 证书-1.pdf"
    long = staff_file_name("很长的材料名称" * 20, 3, ".png")
    assert len(long) <= 40 + len("-3.png") and long.endswith("-3.png")
    assert staff_file_name("\u202e\x00", 1, ".pdf") == "document-1.pdf"
    assert staff_file_name("身份证", 1, ".exe\u202e") == "身份证-1"  # a suffix is one of ours or none
    assert staff_file_name("意向协议或工作合同（明确目标任务、预期成果等）", 1, ".pdf") == "意向协议或工作合同-1.pdf"
    assert staff_file_name("Work contract (tasks and results)", 2, ".jpg") == "Work contract-2.jpg"


# --------------------------------------------------------------------------- old Office files (issue 15)


@pytest.mark.parametrize(
    ("streams", "kind", "mime", "name"),
    [
        (("\x01CompObj", "WordDocument", "1Table"), "doc", "application/msword", "申报表.doc"),
        (("WordDocument", "\x05SummaryInformation"), "doc", "application/msword", "申报表.wps"),
        (("Workbook", "\x05DocumentSummaryInformation"), "xls", "application/vnd.ms-excel", "业绩表.xls"),
        (("Book",), "xls", "application/vnd.ms-excel", "业绩表.et"),
    ],
)
def test_old_word_excel_and_wps_files_are_taken_by_their_ole2_streams(streams, kind, mime, name):
    result = check_document(make_ole2(*streams), declared_name=name, accepted=ACCEPTED_KINDS)
    assert result.ok and (result.kind, result.mime) == (kind, mime)
    assert not result.name_mismatch


def test_an_old_word_file_named_xls_is_stored_as_what_it_is_and_flagged():
    result = check_document(make_ole2("WordDocument"), declared_name="业绩表.xls", accepted=ACCEPTED_KINDS)
    assert result.ok and result.suffix == ".doc" and result.name_mismatch


def test_an_item_lists_the_old_office_formats_among_those_it_takes():
    result = check_document(GIF, declared_name="photo.gif", accepted=ACCEPTED_KINDS)
    assert result.error is not None and {"Word (DOC/WPS)", "Excel (XLS/ET)"} <= set(result.error.args["accepted"])


@given(st.binary(max_size=3000))
def test_no_content_behind_the_ole2_magic_makes_the_check_raise(tail):
    result = check_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + tail, declared_name="x.doc", accepted=ACCEPTED_KINDS)
    assert result.ok or result.error is not None
