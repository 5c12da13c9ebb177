"""The diff an admin reads before confirming a publish: it names exactly what changed, in zh, en and ug.

Every test edits a copy of the shipped content the way an admin would (the YAML),
loads it as the bot does, and compares it with the shipped content at a given
publishing moment.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.i18n import translator
from dialogs.content_diff import Change, ContentDiff, Instant, diff_content, diff_json
from dialogs.content_diff_text import diff_lines, diff_summary
from dialogs.loader import SHIPPED, Content, load_content

BEIJING = ZoneInfo("Asia/Shanghai")
SX = "sx-state-allowance-2023"
#: A moment inside the 2024 window the tests give the Shanxi program (1–29 March 2024).
IN_2024_WINDOW = dt.datetime(2024, 3, 10, 9, 0, tzinfo=BEIJING)

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def shipped() -> Content:
    return load_content(SHIPPED)


def edited(tmp_path: Path, edits: dict[str, Edit]) -> Content:
    """The shipped content with each named file's YAML changed by its edit, loaded as the bot loads it."""
    root = tmp_path / "content"
    if not root.exists():
        shutil.copytree(SHIPPED, root)
    for relative, edit in edits.items():
        file = root / relative
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        edit(data)
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return load_content(root)


def item(items: list[dict[str, Any]], item_id: str | None) -> dict[str, Any]:
    return next(i for i in items if i["id"] == item_id)


def move_to_2024(data: dict[str, Any]) -> None:
    """The Yangquan deadline of the next round: open 1 March, due 29 March 2024 (the office's date)."""
    milestone = item(data["deadlines"], "city-materials")
    milestone["opens"] = {"date": "2024-03-01"}
    milestone["closes"] = {"date": "2024-03-29"}
    milestone["basis"] = "office"
    milestone.pop("quote", None)


def new_round(data: dict[str, Any]) -> None:
    """What an admin changes for the 2024 round: the deadline, a phone, one document fewer, a benefit, and
    an English name dropped (the document's name is left for a translator)."""
    move_to_2024(data)
    item(data["contacts"], "yq-skilled")["phones"] = ["0353-2299978"]
    data["documents"] = [d for d in data["documents"] if d["id"] != "electronic-version"]
    item(data["documents"], "expert-registration-form")["name"].pop("en")
    data["benefits"] = [
        {
            "id": "allowance",
            "text": {
                "zh": "按国家规定按月发放政府特殊津贴",
                "en": "The government special allowance is paid monthly as the state provides",
                "ug": "ھۆكۈمەت ئالاھىدە تولۇقلىمىسى دۆلەت بەلگىلىمىسى بويىچە ئايلىق تارقىتىلىدۇ",
            },
            "amount": {"min": 20000, "per": "person_once"},
            "basis": "office",
            "source": "§一",
        }
    ]


@pytest.fixture()
def round_2024(tmp_path: Path) -> Content:
    return edited(tmp_path, {f"programs/{SX}.yaml": new_round})


def kinds(diff: ContentDiff, *, without: tuple[str, ...] = ("text_changed",)) -> list[tuple[Any, ...]]:
    """What the diff says changed, as (kind, program, section, item, field), leaving out ``without``."""
    return [(c.kind, c.program, c.section, c.item, c.field) for c in diff.changes if c.kind not in without]


def text(diff: ContentDiff, lang: str) -> str:
    return "\n".join(diff_lines(diff, translator(lang)))


# --------------------------------------------------------------------------- what is found


def test_an_identical_copy_changes_nothing(tmp_path, shipped):
    diff = diff_content(shipped, edited(tmp_path, {}), IN_2024_WINDOW)

    assert diff.empty
    assert diff_lines(diff, translator("zh")) == ["没有变化。"]
    assert diff_lines(diff, translator("en")) == ["No changes."]
    assert diff_summary(diff, translator("ug")) == "ئۆزگىرىش يوق."
    assert diff_json(diff) == []


def test_reordering_a_list_is_no_change(tmp_path, shipped):
    """Items are matched by id: an admin who sorts the documents differently changed nothing."""

    def reverse(data: dict[str, Any]) -> None:
        data["documents"].reverse()
        data["contacts"].reverse()

    assert diff_content(shipped, edited(tmp_path, {f"programs/{SX}.yaml": reverse}), IN_2024_WINDOW).empty


def test_the_next_round_is_named_change_by_change(shipped, round_2024):
    diff = diff_content(shipped, round_2024, IN_2024_WINDOW)

    assert kinds(diff) == [
        ("window_opens", SX, "tracks", "professional", None),
        ("window_opens", SX, "tracks", "skilled", None),
        ("milestone_moved", SX, "deadlines", "city-materials", "opens"),
        ("milestone_moved", SX, "deadlines", "city-materials", "closes"),
        ("contact_changed", SX, "contacts", "yq-skilled", "phones"),
        ("item_removed", SX, "documents", "electronic-version", None),
        ("item_added", SX, "benefits", "allowance", None),
        ("field_changed", SX, "deadlines", "city-materials", "quote"),
        ("field_changed", SX, "deadlines", "city-materials", "basis"),
        ("translation_missing", SX, "documents", "expert-registration-form", "name"),
    ]
    closes = diff.of_kind("milestone_moved")[1]
    assert closes.old == Instant(dt.datetime(2023, 3, 31, 23, 59, 59, tzinfo=BEIJING), timed=False)
    assert closes.new == Instant(dt.datetime(2024, 3, 29, 23, 59, 59, tzinfo=BEIJING), timed=False)
    phone = diff.of_kind("contact_changed")[0]
    assert (phone.old, phone.new) == (("2299977",), ("0353-2299978",))
    # A dropped translation is a gap to fill, not a rewording of the document's name.
    assert not [c for c in diff.changes if c.item == "expert-registration-form" and c.kind == "text_changed"]
    assert diff.of_kind("translation_missing")[0].langs == ("en",)


def test_a_window_opens_only_when_the_publish_moment_is_inside_it(shipped, round_2024):
    before = dt.datetime(2024, 2, 20, 12, 0, tzinfo=BEIJING)
    after = dt.datetime(2024, 4, 2, 12, 0, tzinfo=BEIJING)

    inside = diff_content(shipped, round_2024, IN_2024_WINDOW).of_kind(
        "window_opens", "window_closes", "window_changed"
    )
    ahead = diff_content(shipped, round_2024, before).of_kind("window_opens", "window_closes", "window_changed")
    past = diff_content(shipped, round_2024, after)

    assert [(c.item, c.old, c.new) for c in inside] == [
        ("professional", "closed", "open"),
        ("skilled", "closed", "open"),
    ]
    assert inside[0].when == Instant(dt.datetime(2024, 3, 29, 23, 59, 59, tzinfo=BEIJING), timed=False)
    assert [(c.kind, c.old, c.new) for c in ahead] == [("window_changed", "closed", "upcoming")] * 2
    assert ahead[0].when == Instant(dt.datetime(2024, 3, 1, tzinfo=BEIJING), timed=False)
    # Published after the new deadline, the window is closed on both sides: only the dates moved.
    assert past.of_kind("window_opens", "window_closes", "window_changed") == []
    assert len(past.of_kind("milestone_moved")) == 2


def test_a_deadline_brought_forward_closes_the_window_at_the_publish_moment(tmp_path, shipped):
    """While the 2023 window was open (until 31 March), moving its end to 10 March shuts it on 15 March."""
    publish = dt.datetime(2023, 3, 15, 10, 0, tzinfo=BEIJING)

    def earlier(data: dict[str, Any]) -> None:
        milestone = item(data["deadlines"], "city-materials")
        milestone["closes"] = {"date": "2023-03-10", "time": "17:00"}
        milestone["basis"] = "office"
        milestone.pop("quote", None)

    diff = diff_content(shipped, edited(tmp_path, {f"programs/{SX}.yaml": earlier}), publish)

    closes = diff.of_kind("window_closes")
    assert [(c.item, c.old, c.new) for c in closes] == [
        ("professional", "open", "closed"),
        ("skilled", "open", "closed"),
    ]
    moved = diff.of_kind("milestone_moved")
    assert [c.field for c in moved] == ["closes"]
    assert moved[0].new == Instant(dt.datetime(2023, 3, 10, 17, 0, tzinfo=BEIJING), timed=True)
    assert "10 March 2023, 17:00" in text(diff, "en")
    assert "2023年3月10日 17:00" in text(diff, "zh")


def test_a_program_for_the_next_round_is_one_program_added_with_its_windows(tmp_path, shipped):
    """The 2024 round as a new file beside the 2023 one: the program is added and its windows open;
    publishing back without it removes it and closes them."""
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    data = yaml.safe_load((root / f"programs/{SX}.yaml").read_text(encoding="utf-8"))
    data["id"] = "sx-state-allowance-2024"
    move_to_2024(data)
    (root / "programs/sx-state-allowance-2024.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )
    with_2024 = load_content(root)

    added = diff_content(shipped, with_2024, IN_2024_WINDOW)
    removed = diff_content(with_2024, shipped, IN_2024_WINDOW)

    assert kinds(added) == [
        ("program_added", "sx-state-allowance-2024", "program", None, None),
        ("window_opens", "sx-state-allowance-2024", "tracks", "professional", None),
        ("window_opens", "sx-state-allowance-2024", "tracks", "skilled", None),
    ]
    assert kinds(removed) == [
        ("program_removed", "sx-state-allowance-2024", "program", None, None),
        ("window_closes", "sx-state-allowance-2024", "tracks", "professional", None),
        ("window_closes", "sx-state-allowance-2024", "tracks", "skilled", None),
    ]
    assert text(added, "en").splitlines()[:3] == [
        "2023 special allowance (Shanxi):",
        "• Program added",
        "• Professionals and Highly skilled workers — window opens (no window → open), "
        "until 29 March 2024 (Beijing time)",
    ]


def test_a_benefit_amount_is_shown_old_to_new(tmp_path, shipped):
    def raise_allowance(data: dict[str, Any]) -> None:
        item(data["benefits"], "one-off-allowance")["amount"]["min"] = 50000

    diff = diff_content(
        shipped, edited(tmp_path, {"programs/xj-regional-allowance.yaml": raise_allowance}), IN_2024_WINDOW
    )

    assert kinds(diff) == [("amount_changed", "xj-regional-allowance", "benefits", "one-off-allowance", "amount")]
    zh, en = text(diff, "zh"), text(diff, "en")
    assert "3万元（每人一次性） → 5万元（每人一次性）" in zh
    assert "CNY 30,000 (per person, once) → CNY 50,000 (per person, once)" in en
    assert diff_summary(diff, translator("en")) == "1 amount changed"


def test_a_reworded_text_says_which_item_field_and_language(tmp_path, shipped):
    def reword(data: dict[str, Any]) -> None:
        item(data["requirements"], "not-organ-staff")["text"]["en"] = (
            "Civil servants and other organ staff may not apply"
        )

    diff = diff_content(shipped, edited(tmp_path, {f"programs/{SX}.yaml": reword}), IN_2024_WINDOW)

    assert [(c.kind, c.item, c.field, c.langs) for c in diff.changes] == [
        ("text_changed", "not-organ-staff", "text", ("en",))
    ]
    assert text(diff, "en").splitlines()[1] == (
        "• Civil servants and other organ staff may not apply (requirement) — text: wording changed (English)"
    )
    assert "党政军群机关的工作人员不得申报（申报条件）——内容：文字修改（英文）" in text(diff, "zh")


def test_staff_chats_faq_and_question_words_are_summarised(tmp_path, shipped):
    def staff(data: dict[str, Any]) -> None:
        data["offices"] = [{"program": SX, "contact": "yq-skilled", "chat": -1001234567890}]

    def faq(data: dict[str, Any]) -> None:
        item(data["faq"], "who-answers")["a"]["en"] = "I am the applicant desk bot of the talent programs."

    def ask(data: dict[str, Any]) -> None:
        data["stopwords"].append("请问一下")

    diff = diff_content(
        shipped, edited(tmp_path, {"staff.yaml": staff, "faq.yaml": faq, "ask.yaml": ask}), IN_2024_WINDOW
    )

    assert kinds(diff, without=()) == [
        ("staff_chat_added", SX, "staff", "yq-skilled", "chat"),
        ("text_changed", None, "faq", "who-answers", "a"),
        ("field_changed", None, "ask", None, "stopwords"),
    ]
    lines = diff_lines(diff, translator("en"))
    assert lines == [
        "2023 special allowance (Shanxi):",
        "• Yangquan HR and Social Security Bureau (staff chat) — chat: none → -1,001,234,567,890",
        "Questions across programs (faq.yaml):",
        "• who are you (FAQ entry) — answer: wording changed (English)",
        "Question words (ask.yaml):",
        "• stopwords: added 请问一下",
    ]


# --------------------------------------------------------------------------- how it reads


def test_the_next_round_reads_in_chinese(shipped, round_2024):
    lines = diff_lines(diff_content(shipped, round_2024, IN_2024_WINDOW), translator("zh"))

    assert lines[0] == "2023年政府特贴（山西）："
    assert "• 专业技术人才和高技能人才——申报期开启（已截止 → 申报中），截至2024年3月29日（北京时间）" in lines
    moved = [line for line in lines if "截止时间：" in line]
    assert moved == [
        "• 阳泉市申报材料报送截止（报市人社局）（时间节点）——截止时间：2023年3月31日 → 2024年3月29日（北京时间）"
    ]
    assert "• 阳泉市人力资源和社会保障局（联系人）——电话：2299977 → 0353-2299978" in lines
    assert "• 删除材料：申报材料电子版" in lines
    assert "• 新增待遇：按国家规定按月发放政府特殊津贴（2万元（每人一次性））" in lines
    assert "• 《专家情况登记表》（材料）——名称：缺少英文文本（将显示中文）" in lines


def test_the_next_round_reads_in_english(shipped, round_2024):
    lines = diff_lines(diff_content(shipped, round_2024, IN_2024_WINDOW), translator("en"))

    assert lines[0] == "2023 special allowance (Shanxi):"
    assert (
        "• Professionals and Highly skilled workers — window opens (closed → open), until 29 March 2024 (Beijing time)"
        in lines
    )
    assert (
        "• Yangquan: materials due at the city HR bureau (milestone) — opening date: not set → 1 March 2024 (Beijing time)"
        in lines
    )
    assert (
        "• Yangquan: materials due at the city HR bureau (milestone) — closing date: 31 March 2023 → 29 March 2024 (Beijing time)"
        in lines
    )
    assert "• Yangquan HR and Social Security Bureau (contact) — phone: 2299977 → 0353-2299978" in lines
    assert "• Removed document: Electronic version of the application materials" in lines
    assert (
        "• Added benefit: The government special allowance is paid monthly as the state provides "
        "(CNY 20,000 (per person, once))" in lines
    )
    assert "• 《专家情况登记表》 (document) — name: no English text (Chinese is shown instead)" in lines


def test_the_next_round_reads_in_uyghur(shipped, round_2024):
    diff = diff_content(shipped, round_2024, IN_2024_WINDOW)
    lines = diff_lines(diff, translator("ug"))
    joined = "\n".join(lines)

    assert lines[0] == "2023-يىللىق ھۆكۈمەت ئالاھىدە تولۇقلىمىسى (شەنشى):"
    # The arrow points the way Uyghur reads: from the old value on the right to the new one on the left.
    assert "31-مارت، 2023 ← 29-مارت، 2024 (بېيجىڭ ۋاقتى)" in joined
    assert "تېلېفون: 2299977 ← 0353-2299978" in joined
    assert "ئۆچۈرۈلگەن ماتېرىيال: ئىلتىماس ماتېرىياللىرىنىڭ ئېلېكترونلۇق نۇسخىسى" in joined
    assert "ئىنگلىزچە تېكىستى يوق" in joined
    assert "ئىلتىماس مۇددىتى باشلىنىدۇ (ئاخىرلاشتى ← ئىلتىماس قوبۇل قىلىنىۋاتىدۇ)" in joined
    for english in ("window", "milestone", "Removed", "Added", "phone", "Beijing"):
        assert english not in joined


def test_the_summary_counts_each_milestone_and_contact_once(shipped, round_2024):
    diff = diff_content(shipped, round_2024, IN_2024_WINDOW)

    assert diff_summary(diff, translator("en")) == (
        "2 windows open, 1 milestone moved, 1 contact changed, 1 item added, 1 item removed, "
        "2 other changes, 1 translation missing"
    )
    assert diff_summary(diff, translator("zh")) == (
        "2个申报期开启，1个时间节点调整，1个联系人变更，新增1项，删除1项，其他变更2处，缺少1处译文"
    )
    assert diff_summary(diff, translator("ug")).startswith("2 ئىلتىماس مۇددىتى باشلىنىدۇ، 1 مۇددەت ئۆزگەردى")


def test_a_long_diff_is_cut_for_one_telegram_message_and_counts_the_rest(tmp_path, shipped):
    """A program whose Uyghur was taken out wholesale: hundreds of gaps, one message."""

    def drop_uyghur(data: Any) -> None:
        if isinstance(data, dict):
            if "zh" in data and isinstance(data.get("ug"), str) and isinstance(data.get("zh"), str):
                data.pop("ug")
            for value in data.values():
                drop_uyghur(value)
        elif isinstance(data, list):
            for value in data:
                drop_uyghur(value)

    diff = diff_content(shipped, edited(tmp_path, {"programs/xj-aid-talent-2023b2.yaml": drop_uyghur}), IN_2024_WINDOW)
    gaps = diff.of_kind("translation_missing")
    assert len(gaps) == len(diff.changes) > 100

    for lang in ("zh", "en", "ug"):
        lines = diff_lines(diff, translator(lang))
        assert len(lines) <= 41
        assert len("\n".join(lines)) < 4096
        everything = diff_lines(diff, translator(lang), max_lines=10_000, max_chars=10**6)
        assert len(everything) > len(lines)
    lines = diff_lines(diff, translator("en"))
    shown = len(diff_lines(diff, translator("en"), max_lines=len(lines) - 1, max_chars=10**6))
    assert shown == len(lines)
    assert lines[-1].startswith("… and ") and lines[-1].endswith(" more changes")
    # Each shown line stands for one item's gaps; what is not shown is counted, gap by gap.
    hidden = int(lines[-1].removeprefix("… and ").removesuffix(" more changes").replace(",", ""))
    shown_items = {(c.section, c.item) for c in gaps[: len(gaps) - hidden]}
    assert len(shown_items) == len(lines) - 2  # less the heading and the count


def test_the_machine_form_is_plain_data_without_prose(shipped, round_2024):
    rows = diff_json(diff_content(shipped, round_2024, IN_2024_WINDOW))

    json.dumps(rows)
    moved = [r for r in rows if r["kind"] == "milestone_moved" and r["field"] == "closes"]
    assert moved == [
        {
            "kind": "milestone_moved",
            "program": SX,
            "section": "deadlines",
            "item": "city-materials",
            "field": "closes",
            "langs": [],
            "old": {"at": "2023-03-31T23:59:59+08:00", "timed": False},
            "new": {"at": "2024-03-29T23:59:59+08:00", "timed": False},
            "name": {
                "zh": "阳泉市申报材料报送截止（报市人社局）",
                "en": "Yangquan: materials due at the city HR bureau",
                "ug": "ياڭچۈەن شەھىرىدە ئىلتىماس ماتېرىياللىرىنى يوللاشنىڭ ئاخىرقى مۇددىتى (شەھەرلىك كىشىلىك بايلىق ۋە ئىجتىمائىي كاپالەت ئىدارىسىگە يوللىنىدۇ)",
            },
            "when": None,
        }
    ]
    benefit = next(r for r in rows if r["kind"] == "item_added")
    assert benefit["new"] == {"min": 20000.0, "currency": "CNY", "per": "person_once"}
    window = next(r for r in rows if r["kind"] == "window_opens")
    assert (window["old"], window["new"], window["when"]) == (
        "closed",
        "open",
        {"at": "2024-03-29T23:59:59+08:00", "timed": False},
    )


def test_changes_are_frozen_values(shipped, round_2024):
    """A diff can be kept (a version's summary) and compared: two runs at one moment give the same diff."""
    first = diff_content(shipped, round_2024, IN_2024_WINDOW)
    second = diff_content(shipped, round_2024, IN_2024_WINDOW)

    assert first.changes == second.changes
    with pytest.raises(AttributeError):
        first.changes[0].kind = "item_added"  # type: ignore[misc]
    assert isinstance(first.changes[0], Change)


def test_a_program_turned_into_a_draft_closes_its_open_windows(tmp_path, shipped):
    """A flag on the program (here ``draft``) is a field change, and its effect on applicants is said first."""
    publish = dt.datetime(2023, 3, 15, 10, 0, tzinfo=BEIJING)

    def to_draft(data: dict[str, Any]) -> None:
        data["draft"] = True

    diff = diff_content(shipped, edited(tmp_path, {f"programs/{SX}.yaml": to_draft}), publish)

    assert kinds(diff) == [
        ("window_closes", SX, "tracks", "professional", None),
        ("window_closes", SX, "tracks", "skilled", None),
        ("field_changed", SX, "program", None, "draft"),
    ]
    assert text(diff, "en").splitlines()[1:] == [
        "• Professionals and Highly skilled workers — window closes (open → no window)",
        "• Program — draft: no → yes",
    ]
    assert text(diff, "zh").splitlines()[1:] == [
        "• 专业技术人才和高技能人才——申报期结束（申报中 → 无申报期）",
        "• 项目——征求意见稿：否 → 是",
    ]


def test_a_faq_entry_added_and_left_untranslated_reads_under_one_heading(tmp_path, shipped):
    def add(data: dict[str, Any]) -> None:
        data["faq"].append(
            {
                "id": "how-to-restart",
                "basis": "office",
                "intent": "other",
                "q": {"zh": ["怎么重新开始"]},
                "a": {"zh": "发送 /start 回到主菜单。"},
            }
        )

    diff = diff_content(shipped, edited(tmp_path, {"faq.yaml": add}), IN_2024_WINDOW)

    assert kinds(diff) == [
        ("item_added", None, "faq", "how-to-restart", None),
        ("translation_missing", None, "faq", "how-to-restart", "a"),
        ("translation_missing", None, "faq", "how-to-restart", "a"),
    ]
    assert diff_lines(diff, translator("en")) == [
        "Questions across programs (faq.yaml):",
        "• Added FAQ entry: 怎么重新开始",
        "• 怎么重新开始 (FAQ entry) — answer: no English text (Chinese is shown instead)",
        "• 怎么重新开始 (FAQ entry) — answer: no Uyghur text (Chinese is shown instead)",
    ]


def test_a_moment_without_a_time_zone_is_refused(shipped):
    with pytest.raises(ValueError, match="aware"):
        diff_content(shipped, shipped, dt.datetime(2024, 3, 10, 9, 0))


def test_a_contact_added_shows_its_phone_and_a_changed_email_shows_old_to_new(tmp_path, shipped):
    def contacts(data: dict[str, Any]) -> None:
        item(data["contacts"], "province-professional")["emails"] = ["zjc@example.org"]
        data["contacts"].append(
            {
                "id": "yq-helpdesk",
                "office": {
                    "zh": "阳泉市人社局服务窗口",
                    "en": "Yangquan HR bureau service desk",
                    "ug": "ياڭچۈەن مۇلازىمەت كۆزنىكى",
                },
                "phones": ["0353-2299900"],
                "duties": [
                    {
                        "topics": ["general"],
                        "text": {"zh": "一般咨询", "en": "General questions", "ug": "ئادەتتىكى سوئاللار"},
                    }
                ],
                "basis": "office",
                "source": "§市通知 联系人",
            }
        )

    diff = diff_content(shipped, edited(tmp_path, {f"programs/{SX}.yaml": contacts}), IN_2024_WINDOW)

    assert kinds(diff) == [
        ("contact_changed", SX, "contacts", "province-professional", "emails"),
        ("item_added", SX, "contacts", "yq-helpdesk", None),
    ]
    assert text(diff, "en").splitlines()[1:] == [
        # An office's name is cut to about 80 characters: the line is about the e-mail.
        "• Professional and Technical Personnel Division, Shanxi HR and Social Security De… (contact) — "
        "e-mail: 372325549@qq.com → zjc@example.org",
        "• Added contact: Yangquan HR bureau service desk (0353-2299900)",
    ]
