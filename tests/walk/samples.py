"""What a person types and sends, as the random walks draw it: answers per kind of question (good and
bad), contact details, free questions in the three languages, and real tiny files (good, wrong, renamed,
oversized).

Kept apart from the walker so that a new kind of question or a new file check adds samples here only.
"""

from __future__ import annotations

from dialogs.documents import MAX_SIZE
from tests.test_documents import make_docx, make_jpeg, make_pdf, make_png

#: Typed answers that should be read, per fact type (the content's ``FactDef.type``).
GOOD_ANSWERS: dict[str, tuple[str, ...]] = {
    "int": ("35", "5", "0", "12", "一年", "5年", "3个月", "三十五", "45岁", "1980年5月3日", "1990-01-15", "2 years"),
    "country": ("CN", "cn", "中国", "China", "US", "Kazakhstan", "جۇڭگو", "KZ"),
    "bool": ("是", "否", "yes", "No", "有", "没有", "ھەئە", "ياق", "Y", "n"),
    "choice": (
        "其他省区市",
        "Another province, autonomous region or municipality",
        "新疆",
        "1",
        "2",
        "医院",
        "hospital",
    ),
    "level": ("博士", "Doctorate", "正高级", "Full senior title", "本科", "高级技师", "1"),
}

#: Typed answers no question should take (each must be refused or read, never crash).
BAD_ANSWERS: tuple[str, ...] = (
    "",
    " ",
    "2月30日",
    "1980年2月30日",
    "2999年1月1日",
    "-5",
    "99999999999999999999",
    "1e9",
    "3.5",
    "NaN",
    "XX",
    "ZZZ",
    "asdfghjkl",
    "🙂🙃",
    "👨‍👩‍👧‍👦" * 3,
    "a" * 600,
    "问" * 501,
    "\u202eevil\u202c",
    "null",
    "None",
    "<script>alert(1)</script>",
    "1:menu",
    "x:amend:AD-ABCDE-FGHJK",
    "/start",
    "\x00\x01",
    "年月日",
)

#: Contact details by the screen asking for them (a walk types another screen's now and then too).
CONTACT_TEXT: dict[str, tuple[str, ...]] = {
    "Your full name, as on your ID card?": ("张三", "Alim Tursun", "ئالىم تۇرسۇن", "a" * 120, "1"),
    "Your phone number? A mobile number, a landline with its area code, or a number abroad with its country code.": (
        "139 1234 5678",
        "13912345678",
        "+86 139 1234 5678",
        "0991-1234567",
        "+852 9123 4567",
        "+49 30 1234567",
        "12345",
        "电话",
    ),
    "The name of your employer (your unit)?": (
        "浙江大学",
        "Xinjiang Medical University",
        "新疆医科大学第一附属医院",
        "b" * 150,
    ),
}

#: Free questions, in Chinese, English and Uyghur (some answerable, some for staff).
FREE_QUESTIONS: tuple[str, ...] = (
    "援疆项目什么时候截止？",
    "需要什么材料？",
    "联系电话是多少",
    "补贴有多少钱",
    "我能申请吗",
    "When is the deadline for the aid plan?",
    "Which documents do I need?",
    "How much is the allowance?",
    "Can my wife apply instead of me?",
    "قاچان ئاخىرلىشىدۇ؟",
    "قانداق ماتېرىيال كېرەك؟",
    "你好",
    "?",
)

PDF = make_pdf()
PNG = make_png()
JPEG = make_jpeg()
DOCX = make_docx()
#: A Windows executable's first bytes (MZ header), as sent with a renamed extension.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)

#: (name, declared size or None for the real one, bytes): good files first, then the bad ones.
GOOD_FILES: tuple[tuple[str, int | None, bytes], ...] = (
    ("degree.pdf", None, PDF),
    ("id-front.png", None, PNG),
    ("photo.jpg", None, JPEG),
    ("form.docx", None, DOCX),
    ("扫描件.pdf", None, PDF + b"% page 2\n"),
    ("page-3.pdf", None, PDF + b"% page 3\n"),
)
BAD_FILES: tuple[tuple[str, int | None, bytes], ...] = (
    ("virus.exe", None, EXE),
    ("degree.pdf", None, EXE),  # a renamed executable
    ("notes.txt", None, "这是一个文本文件".encode()),
    ("empty.pdf", None, b""),
    ("huge.pdf", MAX_SIZE + 1, PDF),  # the declared size is over the limit
    ("archive.zip", None, DOCX[:30] + b"\x00" * 10),
    ("x" * 300 + ".pdf", None, PDF + b"% long name\n"),
)

#: Unknown commands (anything a person may type after a slash).
UNKNOWN_COMMANDS: tuple[str, ...] = ("frobnicate", "START", "Start@desk_bot", "删除", "")
