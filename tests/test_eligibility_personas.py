"""Eligibility verdicts for hand-written applicants, read from the five notices.

Every persona below is someone the notice (``/work/shared/seeds/``) clearly admits,
written from the notice text and not from the rules in ``dialogs/content``. Every
variant changes as few facts as a real applicant would differ by, so that it fails
exactly one requirement or exclusion. A wrong rule in the content therefore shows
up as a persona that is not eligible, or as a variant that fails for the wrong
reason (or not at all).

Notices (see ``seeds/README.md``):
  000 ``xj-regional-allowance``      Xinjiang regional government special allowance (draft)
  001 ``xj-state-allowance-2020``    Xinjiang State Council special allowance, 2020
  002 ``sx-state-allowance-2023``    Shanxi / Yangquan State Council special allowance, 2023
  003 ``xj-aid-talent-2023b2``       Xinjiang aid-talent plan 2023 batch 2 (four tracks)
  004 ``xj-minority-backbone-2019``  Xinjiang ethnic-minority technical backbone, 2019

Reminder: for an ``exclusion`` the reason's ``met`` is True when the applicant is
*not* excluded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from dialogs.eligibility import Assessment, Verdict, assess, requirements_of
from dialogs.facts import parse_profile
from dialogs.loader import Content, load_content

REGIONAL = "xj-regional-allowance"
XJ2020 = "xj-state-allowance-2020"
SHANXI = "sx-state-allowance-2023"
AID = "xj-aid-talent-2023b2"
MINORITY = "xj-minority-backbone-2019"

#: A value in ``changes`` that removes the fact (the applicant has not said).
DROP = object()


@pytest.fixture(scope="module")
def shipped() -> Content:
    return load_content()


# --------------------------------------------------------------------------- personas


@dataclass(frozen=True)
class Persona:
    program: str
    track: str | None
    who: str
    facts: Mapping[str, object]


#: Nobody in these personas is excluded by the common exclusions.
CLEAN = {
    "civil_servant": False,
    "leader_not_practicing": False,
    "vice_provincial_or_above": False,
    "academician": False,
    "has_state_allowance": False,
    "national_expert_team": False,
    "in_key_program": False,
    "applying_elsewhere": False,
}

PERSONAS: dict[str, Persona] = {
    # 000 §二(二), §三(一): 在职高层次专业技术人才, 具有高级专业技术职称, 近5年内取得业绩成果之一.
    "regional-professional": Persona(
        REGIONAL,
        "professional",
        "正高级工程师 at an oil company in Karamay with a major technical innovation in the last five years",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 51,
            "region": "xinjiang",
            "employer": "enterprise",
            "post": "professional",
            "title": "senior",
            "education": "master",
            "professional_achievement": True,
        },
    ),
    # 000 §三(二): 具有国家一级职业资格（高级技师），且长期工作在生产服务一线, 近5年业绩成果之一.
    "regional-skilled": Persona(
        REGIONAL,
        "skilled",
        "高级技师 welder on a petrochemical plant's shop floor in Dushanzi, 全国技术能手",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 47,
            "region": "xinjiang",
            "employer": "enterprise",
            "post": "skilled",
            "frontline_years": 24,
            "skill_level": "senior_technician",
            "title": "none",
            "education": "secondary",
            "skill_achievement": True,
        },
    ),
    # 001 §一 (企事业单位, none of the five excluded groups), §二 (中国国籍), §二(一) (专业技术岗位, 高级职称, one of 8).
    "xj2020-professional": Persona(
        XJ2020,
        "professional",
        "主任医师 at a public hospital in Urumqi who treats difficult and critical cases",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 49,
            "region": "xinjiang",
            "employer": "public_institution",
            "post": "professional",
            "title": "senior",
            "education": "doctorate",
            "professional_achievement": True,
        },
    ),
    # 001 §二(二): 长期工作在生产服务岗位第一线, 一般应具有高级技师, one of 8 skill achievements.
    "xj2020-skilled": Persona(
        XJ2020,
        "skilled",
        "高级技师 machinist at a Xinjiang equipment maker, winner of 全国五一劳动奖章",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 45,
            "region": "xinjiang",
            "employer": "enterprise",
            "post": "skilled",
            "frontline_years": 22,
            "skill_level": "senior_technician",
            "title": "none",
            "education": "associate",
            "skill_achievement": True,
        },
    ),
    # 002 §一(一) (专业技术岗位, 一般应具有高级职称, one of 9), §二(三)(五).
    "sx-professional": Persona(
        SHANXI,
        "professional",
        "副主任医师 at a provincial hospital in Taiyuan, holds no vocational qualification",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 46,
            "region": "shanxi",
            "employer": "public_institution",
            "post": "professional",
            "title": "associate_senior",
            "skill_level": "none",
            "education": "master",
            "professional_achievement": True,
        },
    ),
    # 002 §一(二): 长期工作在生产服务一线且从事本职业5年以上, 一般应具有高级技师, one of 8.
    "sx-skilled": Persona(
        SHANXI,
        "skilled",
        "高级技师 coal-mine electrician in Yangquan, 15 years in the trade, holds a national patent",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 42,
            "region": "shanxi",
            "employer": "enterprise",
            "post": "skilled",
            "frontline_years": 15,
            "skill_level": "senior_technician",
            "title": "none",
            "education": "associate",
            "skill_achievement": True,
        },
    ),
    # 003 §一(二): a member of a team for a 地州市 hospital (8+ people), 硕士 or 中级, at least a year.
    "medical-member": Persona(
        AID,
        "medical-team",
        "副主任医师 from a Shanghai hospital, member of a 10-person team for the Kashgar prefecture hospital, 18 months",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 40,
            "region": "other",
            "employer": "public_institution",
            "post": "professional",
            "team_role": "member",
            "hospital_level": "prefecture",
            "team_size": 10,
            "education": "master",
            "title": "associate_senior",
            "support_months": 18,
            "agreement_signed": True,
        },
    ),
    # 003 §一(二): the team leader, 担任受援医院院长, 支援期3年.
    "medical-leader": Persona(
        AID,
        "medical-team",
        "主任医师 from a Shanghai hospital who leads the same team and serves as the receiving hospital's director for 3 years",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 50,
            "region": "other",
            "employer": "public_institution",
            "post": "professional",
            "team_role": "leader",
            "hospital_level": "prefecture",
            "team_size": 10,
            "education": "master",
            "title": "senior",
            "leader_runs_hospital": True,
            "support_months": 36,
            "agreement_signed": True,
        },
    ),
    # 003 §二(二)1: 1 leader + 4 or more members, at most 8, leader 副高级, agreement, 3 months a year, one host unit.
    "small-team-leader": Persona(
        AID,
        "small-team",
        "副高级 engineer from Jiangsu leading a 6-person cotton-textile team at one Aksu enterprise, 4 months a year",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 44,
            "region": "other",
            "employer": "enterprise",
            "post": "professional",
            "team_role": "leader",
            "team_size": 6,
            "title": "associate_senior",
            "education": "bachelor",
            "agreement_signed": True,
            "months_in_xj_per_year": 4,
            "same_host_unit": True,
        },
    ),
    "small-team-member": Persona(
        AID,
        "small-team",
        "中级 engineer with a master's degree, member of the same Jiangsu team",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 31,
            "region": "other",
            "employer": "enterprise",
            "post": "professional",
            "team_role": "member",
            "team_size": 6,
            "title": "intermediate",
            "education": "master",
            "agreement_signed": True,
            "months_in_xj_per_year": 4,
            "same_host_unit": True,
        },
    ),
    # 003 §二(二)2: 一般应具有正高级职称或博士学历, agreement, 2 months a year in Xinjiang.
    "flexible-expert": Persona(
        AID,
        "flexible-expert",
        "professor (正高级, PhD) at a Zhejiang university, signed with a Xinjiang institute, 3 months a year there",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 55,
            "region": "other",
            "employer": "public_institution",
            "post": "professional",
            "title": "senior",
            "education": "doctorate",
            "agreement_signed": True,
            "months_in_xj_per_year": 3,
        },
    ),
    # 003 §三(二): 专业技术人员, 原则上不超过45周岁, 区直单位: 硕士 or 副高级.
    "backbone-regional": Persona(
        AID,
        "backbone-training",
        "35-year-old engineer with a master's degree at a regional (区直) research institute in Urumqi",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 35,
            "region": "xinjiang",
            "unit_level": "regional",
            "employer": "public_institution",
            "post": "professional",
            "education": "master",
            "title": "intermediate",
            "agreement_signed": True,
        },
    ),
    # 003 §三(二): 地州市 trainee: 本科 or 中级.
    "backbone-prefecture": Persona(
        AID,
        "backbone-training",
        "32-year-old agronomist with a bachelor's degree at a prefecture (地州市) unit in Hotan",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 32,
            "region": "xinjiang_south",
            "unit_level": "prefecture",
            "employer": "public_institution",
            "post": "professional",
            "education": "bachelor",
            "title": "junior",
            "agreement_signed": True,
        },
    ),
    # 004 §一, §二(三)(四): minority, 企事业单位 professional, 45 or younger, Chinese, computer, 本科 + 中级.
    "minority-backbone": Persona(
        MINORITY,
        None,
        "34-year-old Kazakh water engineer at a public institution in Ili",
        {
            **CLEAN,
            "nationality": "CN",
            "age": 34,
            "region": "xinjiang",
            "employer": "public_institution",
            "post": "professional",
            "ethnic_minority": True,
            "chinese_proficiency": True,
            "computer_skills": True,
            "education": "bachelor",
            "title": "intermediate",
        },
    ),
}


# --------------------------------------------------------------------------- variants: one requirement fails


@dataclass(frozen=True)
class Variant:
    id: str
    persona: str
    changes: Mapping[str, object]
    #: The requirement or exclusion this variant breaks.
    breaks: str
    who: str
    #: Requirements that cannot help failing too (the content states the same condition twice).
    also_fails: frozenset[str] = field(default_factory=frozenset)


def V(id: str, persona: str, breaks: str, who: str, also: tuple[str, ...] = (), **changes: object) -> Variant:
    return Variant(id, persona, changes, breaks, who, frozenset(also))


VARIANTS: list[Variant] = [
    # ---- 000 regional allowance, professional
    V(
        "regional-prof-works-in-gansu",
        "regional-professional",
        "works-in-xinjiang",
        "the same engineer, but working for a company in Lanzhou (§二(二) 在职于我区)",
        region="other",
    ),
    V(
        "regional-prof-national-level-talent",
        "regional-professional",
        "not-national-expert-team",
        "already a 百千万人才工程 national-level talent (§二(三))",
        national_expert_team=True,
    ),
    V(
        "regional-prof-intermediate-title",
        "regional-professional",
        "senior-title",
        "only an intermediate (中级) engineer (§三(一) 高级专业技术职称)",
        title="intermediate",
    ),
    V(
        "regional-prof-no-recent-achievement",
        "regional-professional",
        "professional-achievement",
        "no listed achievement in the last five years (§三(一))",
        professional_achievement=False,
    ),
    # ---- 000 regional allowance, skilled
    V(
        "regional-skilled-works-in-shanxi",
        "regional-skilled",
        "works-in-xinjiang",
        "a senior technician working in Shanxi",
        region="shanxi",
    ),
    V(
        "regional-skilled-state-allowance-holder",
        "regional-skilled",
        "not-national-expert-team",
        "already receives the State Council allowance (§二(三))",
        national_expert_team=True,
        has_state_allowance=True,
    ),
    V(
        "regional-skilled-moved-to-management",
        "regional-skilled",
        "skilled-post",
        "promoted to a workshop management post (§三(二) 长期工作在生产服务一线)",
        post="management",
    ),
    V(
        "regional-skilled-only-technician",
        "regional-skilled",
        "senior-technician",
        "a technician (技师, level 2), not a senior technician (§三(二))",
        skill_level="technician",
    ),
    V(
        "regional-skilled-no-recent-achievement",
        "regional-skilled",
        "skill-achievement",
        "no listed skill achievement in the last five years",
        skill_achievement=False,
    ),
    # ---- 001 Xinjiang 2020, professional
    V(
        "xj2020-prof-works-in-beijing",
        "xj2020-professional",
        "works-in-xinjiang",
        "a chief physician working in Beijing (§一 自治区各类企事业单位)",
        region="other",
    ),
    V(
        "xj2020-prof-social-organisation",
        "xj2020-professional",
        "enterprise-or-institution",
        "works for a social organisation, neither enterprise nor public institution (§一)",
        employer="other",
    ),
    V(
        "xj2020-prof-kazakh-national",
        "xj2020-professional",
        "chinese-nationality",
        "a Kazakhstan national working at the hospital (§二 应当具有中国国籍)",
        nationality="KZ",
    ),
    V(
        "xj2020-prof-president-no-longer-practising",
        "xj2020-professional",
        "not-leader-not-practicing",
        "hospital president who no longer treats patients (§一 以下人员(一))",
        leader_not_practicing=True,
    ),
    V(
        "xj2020-prof-vice-provincial",
        "xj2020-professional",
        "not-vice-provincial",
        "holds vice-provincial treatment (§一 以下人员(二))",
        vice_provincial_or_above=True,
    ),
    V(
        "xj2020-prof-health-commission-official",
        "xj2020-professional",
        "not-organ-staff",
        "a physician-official of the regional health commission, a government organ (§一 以下人员(三))",
        also=("enterprise-or-institution",),
        employer="party_gov_organ",
    ),
    V(
        "xj2020-prof-already-allowance",
        "xj2020-professional",
        "not-already-allowance",
        "already receives the State Council allowance (§一 以下人员(四))",
        has_state_allowance=True,
    ),
    V(
        "xj2020-prof-central-unit",
        "xj2020-professional",
        "not-central-unit",
        "works at a central unit stationed in Xinjiang (§一 以下人员(五))",
        also=("enterprise-or-institution",),
        employer="central_unit_in_xj",
    ),
    V(
        "xj2020-prof-management-post",
        "xj2020-professional",
        "professional-post",
        "moved to an administrative (management) post (§二(一) 在专业技术岗位上工作)",
        post="management",
    ),
    V(
        "xj2020-prof-attending-physician",
        "xj2020-professional",
        "senior-title",
        "an attending physician, intermediate title (§二(一) 具有高级职称)",
        title="intermediate",
    ),
    V(
        "xj2020-prof-no-listed-achievement",
        "xj2020-professional",
        "professional-achievement",
        "meets none of the eight conditions (§二(一)1-8)",
        professional_achievement=False,
    ),
    # ---- 001 Xinjiang 2020, skilled
    V(
        "xj2020-skilled-works-in-gansu",
        "xj2020-skilled",
        "works-in-xinjiang",
        "the machinist works in Gansu",
        region="other",
    ),
    V(
        "xj2020-skilled-self-employed",
        "xj2020-skilled",
        "enterprise-or-institution",
        "runs a one-man workshop that is not an enterprise or institution",
        employer="other",
    ),
    V(
        "xj2020-skilled-foreign-national",
        "xj2020-skilled",
        "chinese-nationality",
        "a Russian national (§二)",
        nationality="RU",
    ),
    V(
        "xj2020-skilled-director-off-the-floor",
        "xj2020-skilled",
        "not-leader-not-practicing",
        "became plant director and no longer works on the floor (§一 以下人员(一))",
        leader_not_practicing=True,
    ),
    V(
        "xj2020-skilled-vice-provincial",
        "xj2020-skilled",
        "not-vice-provincial",
        "holds vice-provincial treatment",
        vice_provincial_or_above=True,
    ),
    V(
        "xj2020-skilled-trade-union-staff",
        "xj2020-skilled",
        "not-organ-staff",
        "staff of a 群团 organ (the regional trade union) (§一 以下人员(三))",
        also=("enterprise-or-institution",),
        employer="mass_org",
    ),
    V(
        "xj2020-skilled-already-allowance",
        "xj2020-skilled",
        "not-already-allowance",
        "already receives the State Council allowance",
        has_state_allowance=True,
    ),
    V(
        "xj2020-skilled-central-unit",
        "xj2020-skilled",
        "not-central-unit",
        "works at a central unit stationed in Xinjiang",
        also=("enterprise-or-institution",),
        employer="central_unit_in_xj",
    ),
    V(
        "xj2020-skilled-engineering-post",
        "xj2020-skilled",
        "skilled-post",
        "now in an engineering (professional) post, not on the production line (§二(二))",
        post="professional",
    ),
    V(
        "xj2020-skilled-only-technician",
        "xj2020-skilled",
        "senior-technician",
        "a technician (level 2) only (§二(二) 一般应具有高级技师)",
        skill_level="technician",
    ),
    V(
        "xj2020-skilled-no-listed-achievement",
        "xj2020-skilled",
        "skill-achievement",
        "meets none of the eight skill conditions",
        skill_achievement=False,
    ),
    # ---- 002 Shanxi 2023, professional
    V(
        "sx-prof-works-in-hebei",
        "sx-professional",
        "works-in-shanxi",
        "a physician working in Shijiazhuang, Hebei",
        region="other",
    ),
    V(
        "sx-prof-management-post",
        "sx-professional",
        "professional-or-skilled-post",
        "moved to a management post (§二(三) 在专业技术岗位和技能岗位上工作)",
        also=("professional-post",),
        post="management",
    ),
    V(
        "sx-prof-president-no-longer-practising",
        "sx-professional",
        "not-leader-not-practicing",
        "hospital president who no longer practises (§二(五))",
        leader_not_practicing=True,
    ),
    V(
        "sx-prof-vice-provincial",
        "sx-professional",
        "not-vice-provincial",
        "enjoys vice-provincial treatment (§二(五))",
        vice_provincial_or_above=True,
    ),
    V(
        "sx-prof-party-gov-organ",
        "sx-professional",
        "not-organ-staff",
        "works in a Shanxi party/government organ (§二(五) 党政军群机关的工作人员不得申报)",
        employer="party_gov_organ",
    ),
    V(
        "sx-prof-already-allowance",
        "sx-professional",
        "not-already-allowance",
        "already receives the allowance (§二(五) 不再重复申报)",
        has_state_allowance=True,
    ),
    V(
        "sx-prof-skilled-post",
        "sx-professional",
        "professional-post",
        "works in a skilled post, not a professional one (§一(一))",
        post="skilled",
    ),
    V(
        "sx-prof-intermediate-title",
        "sx-professional",
        "senior-title",
        "attending physician, intermediate title (§一(一) 一般应具有高级职称)",
        title="intermediate",
    ),
    V(
        "sx-prof-no-listed-achievement",
        "sx-professional",
        "professional-achievement",
        "meets none of the nine conditions (§一(一)1-9)",
        professional_achievement=False,
    ),
    V(
        "sx-prof-also-senior-technician",
        "sx-professional",
        "dual-qualified-as-skilled",
        "holds both a senior title and 高级技师: recommended as skilled talent (§四(二) 原则上按高技能人才推荐)",
        skill_level="senior_technician",
    ),
    # ---- 002 Shanxi 2023, skilled
    V("sx-skilled-works-in-henan", "sx-skilled", "works-in-shanxi", "an electrician working in Henan", region="other"),
    V(
        "sx-skilled-management-post",
        "sx-skilled",
        "professional-or-skilled-post",
        "moved to a management post",
        also=("skilled-post",),
        post="management",
    ),
    V(
        "sx-skilled-mine-director-off-the-floor",
        "sx-skilled",
        "not-leader-not-practicing",
        "became mine director and no longer works as an electrician",
        leader_not_practicing=True,
    ),
    V(
        "sx-skilled-vice-provincial",
        "sx-skilled",
        "not-vice-provincial",
        "enjoys vice-provincial treatment",
        vice_provincial_or_above=True,
    ),
    V(
        "sx-skilled-military-organ",
        "sx-skilled",
        "not-organ-staff",
        "a senior technician on the staff of a military organ (§二(五) 党政军群)",
        employer="military",
    ),
    V(
        "sx-skilled-already-allowance",
        "sx-skilled",
        "not-already-allowance",
        "already receives the allowance",
        has_state_allowance=True,
    ),
    V(
        "sx-skilled-engineering-post",
        "sx-skilled",
        "skilled-post",
        "now in an engineering (professional) post (§一(二) 长期工作在生产服务一线)",
        post="professional",
    ),
    V(
        "sx-skilled-four-years",
        "sx-skilled",
        "frontline-five-years",
        "only four years in the trade (§一(二) 5年以上)",
        frontline_years=4,
    ),
    V(
        "sx-skilled-only-technician",
        "sx-skilled",
        "senior-technician",
        "a technician (level 2) only (§一(二) 一般应具有高级技师)",
        skill_level="technician",
    ),
    V(
        "sx-skilled-no-listed-achievement",
        "sx-skilled",
        "skill-achievement",
        "meets none of the eight conditions (§一(二)1-8)",
        skill_achievement=False,
    ),
    # ---- 003 aid talent, medical team
    V(
        "medical-in-key-program",
        "medical-member",
        "not-in-key-program",
        "still inside the support period of another 2+5 program (§四1)",
        in_key_program=True,
    ),
    V(
        "medical-civil-servant",
        "medical-member",
        "not-civil-servant",
        "a doctor at a CDC managed under the civil-servant law (§四1)",
        civil_servant=True,
    ),
    V(
        "medical-applying-twice",
        "medical-member",
        "one-application-only",
        "also applies through another host unit (§四1 不允许多头申报)",
        applying_elsewhere=True,
    ),
    V(
        "medical-doctor-from-urumqi",
        "medical-member",
        "medical-from-outside-xinjiang",
        "a doctor from an Urumqi hospital, not from an aiding province (§一(一))",
        region="xinjiang",
    ),
    V(
        "medical-prefecture-team-of-seven",
        "medical-member",
        "medical-team-size",
        "a 7-person team for a prefecture hospital (§一(二) 一般8人以上)",
        team_size=7,
    ),
    V(
        "medical-resident-with-bachelor",
        "medical-member",
        "medical-member-qualification",
        "a resident with a bachelor's degree and a junior title (§一(二) 硕士以上学历或中级以上职称)",
        education="bachelor",
        title="junior",
    ),
    V(
        "medical-member-six-months",
        "medical-member",
        "medical-member-period",
        "a member who stays only six months (§一(二) 支援期一般不少于1年)",
        support_months=6,
    ),
    V(
        "medical-leader-not-hospital-director",
        "medical-leader",
        "medical-leader-runs-hospital",
        "a leader who takes no director post at the hospital (§一(二) 担任受援医院院长或主持日常工作的副院长)",
        leader_runs_hospital=False,
    ),
    V(
        "medical-leader-one-year",
        "medical-leader",
        "medical-leader-period",
        "a leader who stays one year (§一(二) 队长支援期一般为3年)",
        support_months=12,
    ),
    # ---- 003 aid talent, small team
    V(
        "small-team-in-key-program",
        "small-team-leader",
        "not-in-key-program",
        "leader still inside another 2+5 program's support period",
        in_key_program=True,
    ),
    V(
        "small-team-civil-servant",
        "small-team-leader",
        "not-civil-servant",
        "leader is a civil servant of a Jiangsu bureau",
        civil_servant=True,
    ),
    V(
        "small-team-applying-twice",
        "small-team-leader",
        "one-application-only",
        "team also applied through a second host unit",
        applying_elsewhere=True,
    ),
    V(
        "small-team-from-xinjiang",
        "small-team-leader",
        "from-aiding-provinces",
        "a team from inside Xinjiang, not brought in from an aiding province (§二(一))",
        region="xinjiang",
    ),
    V(
        "small-team-of-four",
        "small-team-leader",
        "small-team-min-size",
        "leader plus three members (§二(二)1 1名队长和4名以上骨干成员)",
        team_size=4,
    ),
    V(
        "small-team-of-nine",
        "small-team-leader",
        "small-team-max-size",
        "nine people (§二(二)1 不超过8人)",
        team_size=9,
    ),
    V(
        "small-team-leader-intermediate",
        "small-team-leader",
        "small-team-leader-title",
        "leader with an intermediate title (§二(二)1 队长一般应具有副高级以上职称)",
        title="intermediate",
    ),
    V(
        "small-team-member-bachelor-junior",
        "small-team-member",
        "small-team-member-qualification",
        "member with a bachelor's degree and a junior title (§二(二)1 硕士以上学历或中级以上职称)",
        education="bachelor",
        title="junior",
    ),
    V(
        "small-team-no-agreement",
        "small-team-leader",
        "small-team-agreement",
        "no letter of intent signed with the host unit",
        agreement_signed=False,
    ),
    V(
        "small-team-two-months",
        "small-team-leader",
        "small-team-months",
        "only two months a year in Xinjiang (§二(二)1 原则上不少于3个月)",
        months_in_xj_per_year=2,
    ),
    V(
        "small-team-split-over-units",
        "small-team-leader",
        "small-team-same-unit",
        "members spread over several host units (§二(二)1 原则上在同一受援单位)",
        same_host_unit=False,
    ),
    # ---- 003 aid talent, flexible expert
    V(
        "expert-in-key-program",
        "flexible-expert",
        "not-in-key-program",
        "still inside another 2+5 program's support period",
        in_key_program=True,
    ),
    V(
        "expert-civil-servant",
        "flexible-expert",
        "not-civil-servant",
        "a civil servant at a Zhejiang provincial department",
        civil_servant=True,
    ),
    V(
        "expert-applying-twice",
        "flexible-expert",
        "one-application-only",
        "also applies for a small team at the same time",
        applying_elsewhere=True,
    ),
    V(
        "expert-working-in-xinjiang",
        "flexible-expert",
        "from-aiding-provinces",
        "a professor already working in Urumqi (§二(一) 从援疆省市柔性引进)",
        region="xinjiang",
    ),
    V(
        "expert-associate-senior-master",
        "flexible-expert",
        "expert-senior-or-doctorate",
        "an associate professor (副高级) with a master's degree (§二(二)2 一般应具有正高级职称或博士学历)",
        title="associate_senior",
        education="master",
    ),
    V(
        "expert-no-agreement",
        "flexible-expert",
        "expert-agreement",
        "no contract or letter of intent signed yet",
        agreement_signed=False,
    ),
    V(
        "expert-one-month",
        "flexible-expert",
        "expert-months",
        "one month a year in Xinjiang (§二(二)2 原则上不少于2个月)",
        months_in_xj_per_year=1,
    ),
    # ---- 003 aid talent, backbone training
    V(
        "backbone-in-key-program",
        "backbone-regional",
        "not-in-key-program",
        "already a 天山英才 trainee still in the support period",
        in_key_program=True,
    ),
    V(
        "backbone-civil-servant",
        "backbone-regional",
        "not-civil-servant",
        "a civil servant of a regional department (§四1)",
        civil_servant=True,
    ),
    V(
        "backbone-applying-twice",
        "backbone-regional",
        "one-application-only",
        "also applied through a second unit",
        applying_elsewhere=True,
    ),
    V(
        "backbone-works-outside-xinjiang",
        "backbone-regional",
        "works-in-xinjiang",
        "an engineer working in Xi'an, not in a Xinjiang unit (§三(一))",
        region="other",
    ),
    V(
        "backbone-management-post",
        "backbone-regional",
        "trainee-professional",
        "an administrator, not a professional (§三(二) 研修骨干须为专业技术人员)",
        post="management",
    ),
    V("backbone-aged-46", "backbone-regional", "trainee-age", "a 46-year-old (§三(二) 原则上年龄不超过45周岁)", age=46),
    V(
        "backbone-regional-bachelor-intermediate",
        "backbone-regional",
        "trainee-qualification",
        "regional-unit trainee with a bachelor's degree and an intermediate title (§三(二) 硕士 or 副高级)",
        education="bachelor",
    ),
    # ---- 004 minority backbone
    V(
        "minority-works-in-beijing",
        "minority-backbone",
        "works-in-xinjiang",
        "a Kazakh engineer working in Beijing (§一 自治区各类企业、事业单位)",
        region="other",
    ),
    V(
        "minority-party-gov-organ",
        "minority-backbone",
        "enterprise-or-institution",
        "works in a county government organ (§一 企业、事业单位)",
        employer="party_gov_organ",
    ),
    V(
        "minority-management-post",
        "minority-backbone",
        "professional-post",
        "an office administrator (§一 从事专业技术工作)",
        post="management",
    ),
    V(
        "minority-han-in-ili",
        "minority-backbone",
        "ethnic-minority",
        "a Han engineer in Ili, outside the four southern prefectures (§一)",
        ethnic_minority=False,
    ),
    V("minority-aged-46", "minority-backbone", "age", "a 46-year-old (§二(三) 45岁以下（含45岁）)", age=46),
    V(
        "minority-no-chinese",
        "minority-backbone",
        "chinese",
        "cannot read and write Chinese (§二(三))",
        chinese_proficiency=False,
    ),
    V(
        "minority-no-computer",
        "minority-backbone",
        "computer",
        "cannot operate a computer (§二(三))",
        computer_skills=False,
    ),
    V(
        "minority-associate-degree-in-ili",
        "minority-backbone",
        "education",
        "an associate (大专) degree outside the south (§二(四); the scarce-specialty relaxation is a softened reason)",
        education="associate",
    ),
    V(
        "minority-junior-title-in-ili",
        "minority-backbone",
        "title",
        "a junior title outside the south (§二(四); the scarce-specialty relaxation is a softened reason)",
        title="junior",
    ),
    V(
        "minority-secondary-school-in-kashgar",
        "minority-backbone",
        "education-floor",
        "only secondary school, in Kashgar (§二(四) 可放宽至大专学历: not below)",
        region="xinjiang_south",
        education="secondary",
        also=("education",),
    ),
    V(
        "minority-no-title-in-kashgar",
        "minority-backbone",
        "title-floor",
        "no title at all, in Kashgar (§二(四) 可放宽至初级职称: not below)",
        region="xinjiang_south",
        title="none",
        also=("title",),
    ),
]

#: (program, track, requirement id) → the variant that breaks it.
BREAKERS: dict[tuple[str, str | None, str], Variant] = {}
for _v in VARIANTS:
    _key = (PERSONAS[_v.persona].program, PERSONAS[_v.persona].track, _v.breaks)
    assert _key not in BREAKERS, f"two variants break {_key}"
    BREAKERS[_key] = _v


# --------------------------------------------------------------------------- cases: relaxations both ways


@dataclass(frozen=True)
class Case:
    id: str
    persona: str
    changes: Mapping[str, object]
    #: Requirement ids that must fail; empty means the verdict is eligible.
    fails: frozenset[str]
    who: str


def C(id: str, persona: str, fails: tuple[str, ...], who: str, **changes: object) -> Case:
    return Case(id, persona, changes, frozenset(fails), who)


RELAXATION_CASES: list[Case] = [
    # 000: "高级职称" includes 副高级; 南疆四地州 is Xinjiang.
    C("regional-associate-senior-is-enough", "regional-professional", (), "副高级 engineer", title="associate_senior"),
    C(
        "regional-kashgar-counts-as-xinjiang",
        "regional-professional",
        (),
        "an engineer in Kashgar",
        region="xinjiang_south",
    ),
    # 001: nationality is required; the academician clause is tested separately below.
    C("xj2020-associate-senior-is-enough", "xj2020-professional", (), "副主任医师", title="associate_senior"),
    C(
        "xj2020-non-public-enterprise-admitted",
        "xj2020-skilled",
        (),
        "a senior technician at a private company (§三 向非公有制单位倾斜)",
        employer="non_public",
    ),
    # 002: foreigners and non-public units in Shanxi may be recommended (§二(四)).
    C(
        "sx-german-national-in-taiyuan-is-eligible",
        "sx-professional",
        (),
        "a German national working full time in Shanxi (§二(四) 海外高层次人才（含外籍）)",
        nationality="DE",
    ),
    C(
        "sx-hong-kong-resident-in-shanxi-is-eligible",
        "sx-skilled",
        (),
        "a Hong Kong resident working full time in Shanxi (§二(四))",
        nationality="HK",
        employer="non_public",
    ),
    C(
        "sx-exactly-five-years-is-enough",
        "sx-skilled",
        (),
        "five years in the trade (5年以上 includes 5)",
        frontline_years=5,
    ),
    C(
        "sx-dual-qualified-goes-to-skilled-track",
        "sx-skilled",
        (),
        "senior technician who also holds a senior title (§四(二) 按高技能人才推荐)",
        title="associate_senior",
    ),
    C(
        "sx-senior-title-with-technician-level-stays-professional",
        "sx-professional",
        (),
        "副高级 title and a technician (level 2) qualification: not a 高级技师, so not sent to skilled",
        skill_level="technician",
    ),
    # 003 medical team: 8+ for a prefecture hospital, 6+ for a county hospital.
    C(
        "medical-county-team-of-seven-is-enough",
        "medical-member",
        (),
        "a 7-person team for a county hospital (§一(二) 县市区级一般6人以上)",
        hospital_level="county",
        team_size=7,
    ),
    C(
        "medical-county-team-of-six-is-enough",
        "medical-member",
        (),
        "a 6-person county team",
        hospital_level="county",
        team_size=6,
    ),
    C(
        "medical-county-team-of-five-is-too-small",
        "medical-member",
        ("medical-team-size",),
        "a 5-person county team",
        hospital_level="county",
        team_size=5,
    ),
    C("medical-prefecture-team-of-eight-is-enough", "medical-member", (), "an 8-person prefecture team", team_size=8),
    C(
        "medical-member-with-one-year-is-enough",
        "medical-member",
        (),
        "a member staying exactly a year; the leader's 3 years do not apply",
        support_months=12,
    ),
    C(
        "medical-member-with-intermediate-title-and-bachelor",
        "medical-member",
        (),
        "an attending physician (中级) with a bachelor's degree",
        education="bachelor",
        title="intermediate",
    ),
    C(
        "medical-member-with-master-and-junior-title",
        "medical-member",
        (),
        "a resident with a master's degree",
        education="master",
        title="junior",
    ),
    C(
        "medical-member-need-not-run-hospital",
        "medical-member",
        (),
        "a member who holds no director post (the leader's rule)",
        leader_runs_hospital=False,
    ),
    C(
        "medical-leader-for-two-years-fails-period",
        "medical-leader",
        ("medical-leader-period",),
        "a leader staying two years",
        support_months=24,
    ),
    # 003 small team: 5..8 people; the 副高级 rule is the leader's only.
    C("small-team-of-five-is-enough", "small-team-leader", (), "leader plus four members", team_size=5),
    C("small-team-of-eight-is-enough", "small-team-leader", (), "eight people", team_size=8),
    C(
        "small-team-member-needs-no-senior-title",
        "small-team-member",
        (),
        "an intermediate-title member with a bachelor's degree",
        education="bachelor",
        title="intermediate",
    ),
    C("small-team-three-months-is-enough", "small-team-member", (), "three months a year", months_in_xj_per_year=3),
    # 003 flexible expert: 正高级 OR 博士.
    C(
        "expert-associate-senior-with-doctorate",
        "flexible-expert",
        (),
        "an associate professor with a PhD",
        title="associate_senior",
    ),
    C(
        "expert-senior-without-doctorate",
        "flexible-expert",
        (),
        "a full professor with a master's degree",
        education="master",
    ),
    C("expert-two-months-is-enough", "flexible-expert", (), "two months a year", months_in_xj_per_year=2),
    C(
        "expert-from-shanxi-is-admitted",
        "flexible-expert",
        (),
        "a professor from Shanxi, an aiding province",
        region="shanxi",
    ),
    # 003 backbone training: regional unit 硕士 or 副高级; prefecture unit 本科 or 中级.
    C("backbone-aged-45-is-admitted", "backbone-regional", (), "a 45-year-old", age=45),
    C(
        "backbone-regional-associate-senior-with-bachelor",
        "backbone-regional",
        (),
        "regional-unit engineer, bachelor's degree, 副高级",
        education="bachelor",
        title="associate_senior",
    ),
    C(
        "backbone-regional-master-with-junior-title",
        "backbone-regional",
        (),
        "regional-unit engineer, master's degree, junior title",
        title="junior",
    ),
    C(
        "backbone-prefecture-bachelor-is-enough",
        "backbone-prefecture",
        (),
        "prefecture-unit trainee, bachelor's degree, no title",
        title="none",
    ),
    C(
        "backbone-prefecture-intermediate-with-associate-degree",
        "backbone-prefecture",
        (),
        "prefecture-unit trainee, 大专 and intermediate title",
        education="associate",
        title="intermediate",
    ),
    C(
        "backbone-prefecture-associate-degree-junior-title-fails",
        "backbone-prefecture",
        ("trainee-qualification",),
        "prefecture-unit trainee, 大专 and junior title",
        education="associate",
        title="junior",
    ),
    C(
        "backbone-prefecture-qualification-is-not-enough-for-regional",
        "backbone-prefecture",
        ("trainee-qualification",),
        "the same bachelor's-degree trainee at a regional unit",
        unit_level="regional",
    ),
    # 004 minority backbone: Han in the south; 大专 + 初级 in the south. "部分紧缺专业" may also be relaxed,
    # but the notice lists no specialty as scarce: that is a softened reason (exceptions, whom to ask), not a fact.
    C(
        "minority-han-in-kashgar-is-eligible",
        "minority-backbone",
        (),
        "a Han engineer in Kashgar (§一 南疆四地州可适当推荐部分汉族)",
        region="xinjiang_south",
        ethnic_minority=False,
    ),
    C("minority-aged-45-is-eligible", "minority-backbone", (), "a 45-year-old (含45岁)", age=45),
    C(
        "minority-associate-junior-in-hotan-is-eligible",
        "minority-backbone",
        (),
        "大专 + 初级 in Hotan (§二(四) 南疆四地州可放宽)",
        region="xinjiang_south",
        education="associate",
        title="junior",
    ),
    C(
        "minority-associate-junior-elsewhere-fails-both",
        "minority-backbone",
        ("education", "title"),
        "大专 + 初级 in Ili: fails both, each softened (some scarce specialties may be relaxed; ask)",
        education="associate",
        title="junior",
    ),
    C(
        "minority-secondary-school-fails-even-in-south",
        "minority-backbone",
        ("education", "education-floor"),
        "only secondary school, in Kashgar: relaxed to 大专, not below",
        region="xinjiang_south",
        education="secondary",
    ),
    C(
        "minority-private-enterprise-is-admitted",
        "minority-backbone",
        (),
        "works at a private company (§一 包括非公有制企业)",
        employer="non_public",
    ),
]


# --------------------------------------------------------------------------- helpers


def with_changes(facts: Mapping[str, object], changes: Mapping[str, object]) -> dict[str, object]:
    out = dict(facts)
    for key, value in changes.items():
        if value is DROP:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def assess_as(content: Content, persona: Persona, changes: Mapping[str, object] = {}) -> Assessment:
    facts = with_changes(persona.facts, changes)
    # Every value must be one the fact allows: a typo here would test nothing.
    assert parse_profile(facts, content.facts) == facts
    program = content.program(persona.program)
    return assess(program, program.track(persona.track), facts, content.facts)


def met_by_id(assessment: Assessment) -> dict[str, bool | None]:
    return {r.requirement.id: r.met for r in assessment.reasons}


def assert_outcome(assessment: Assessment, fails: frozenset[str]) -> None:
    """The verdict follows from ``fails``; exactly those reasons are False, all others True."""
    met = met_by_id(assessment)
    assert fails <= met.keys(), f"{sorted(fails - met.keys())} are not requirements of this track"
    assert met == {rid: rid not in fails for rid in met}
    expected = Verdict.INELIGIBLE if fails else Verdict.ELIGIBLE
    assert assessment.verdict is expected
    assert assessment.missing == ()


def _pair(program: str, track: str | None) -> str:
    return f"{program}/{track or '-'}"


# --------------------------------------------------------------------------- 1. personas the notices admit


@pytest.mark.parametrize("name", list(PERSONAS))
def test_applicant_the_notice_admits_is_eligible_on_every_requirement(shipped, name):
    assessment = assess_as(shipped, PERSONAS[name])
    assert_outcome(assessment, frozenset())
    assert assessment.reasons, "a track without requirements admits anyone"


def test_every_program_track_has_an_admitted_persona(shipped):
    covered = {(p.program, p.track) for p in PERSONAS.values()}
    assert {(p.id, t.id) for p, t in shipped.tracks()} == covered


# --------------------------------------------------------------------------- 2. one failed requirement


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.id for v in VARIANTS])
def test_applicant_failing_one_requirement_is_ineligible_for_that_reason(shipped, variant):
    assessment = assess_as(shipped, PERSONAS[variant.persona], variant.changes)
    assert_outcome(assessment, frozenset({variant.breaks}) | variant.also_fails)


@pytest.mark.parametrize("case", RELAXATION_CASES, ids=[c.id for c in RELAXATION_CASES])
def test_relaxations_hold_where_the_notice_grants_them_and_nowhere_else(shipped, case):
    assert_outcome(assess_as(shipped, PERSONAS[case.persona], case.changes), case.fails)


@pytest.mark.parametrize("persona", ["medical-member", "small-team-leader", "flexible-expert", "backbone-regional"])
def test_civil_servant_cannot_apply_to_aid_talent_tracks(shipped, persona):
    # 003 §四1: 公务员和参照公务员管理的工作人员不允许申报 — every track of the plan.
    assessment = assess_as(shipped, PERSONAS[persona], {"civil_servant": True})
    assert assessment.verdict is Verdict.INELIGIBLE
    assert met_by_id(assessment)["not-civil-servant"] is False


def test_foreign_national_cannot_get_the_2020_xinjiang_allowance_but_can_in_shanxi(shipped):
    xj = assess_as(shipped, PERSONAS["xj2020-professional"], {"nationality": "US"})
    sx = assess_as(shipped, PERSONAS["sx-professional"], {"nationality": "US"})
    assert (xj.verdict, sx.verdict) == (Verdict.INELIGIBLE, Verdict.ELIGIBLE)
    assert met_by_id(xj)["chinese-nationality"] is False


@pytest.mark.parametrize("employer", ["party_gov_organ", "military", "mass_org"])
def test_academician_in_a_party_government_military_or_mass_organ_is_not_excluded_in_2020(shipped, employer):
    # 001 §一 以下人员(三): 党、政、军、群机关工作人员（除中国科学院院士和中国工程院院士外）.
    assessment = assess_as(shipped, PERSONAS["xj2020-professional"], {"employer": employer, "academician": True})
    assert met_by_id(assessment)["not-organ-staff"] is True


def test_academician_in_a_government_organ_is_eligible_for_the_2020_allowance(shipped):
    # 001 §一 以下人员(三) exempts academicians from the organ exclusion, so the scope
    # "自治区各类企事业单位" must not reject them either, or the exemption would admit no one.
    assessment = assess_as(
        shipped, PERSONAS["xj2020-professional"], {"employer": "party_gov_organ", "academician": True}
    )
    assert_outcome(assessment, frozenset())


def test_non_academician_in_a_government_organ_is_excluded_in_2020(shipped):
    assessment = assess_as(
        shipped, PERSONAS["xj2020-professional"], {"employer": "party_gov_organ", "academician": False}
    )
    assert assessment.verdict is Verdict.INELIGIBLE
    assert met_by_id(assessment)["not-organ-staff"] is False


# --------------------------------------------------------------------------- 3. coverage


def test_every_requirement_of_every_track_has_a_variant_that_breaks_it(shipped):
    shipped_keys = {
        (program.id, track.id, requirement.id)
        for program, track in shipped.tracks()
        for requirement in requirements_of(program, track)
    }
    untested = sorted(shipped_keys - BREAKERS.keys(), key=str)
    stale = sorted(BREAKERS.keys() - shipped_keys, key=str)
    assert untested == [], "requirements no variant breaks: add a variant to VARIANTS"
    assert stale == [], "variants break requirements the content no longer has"


# --------------------------------------------------------------------------- 4. undetermined


#: For each track, a fact the persona needs, and the persona to remove it from.
UNDETERMINED = [
    ("regional-professional", "title"),
    ("regional-skilled", "skill_level"),
    ("xj2020-professional", "nationality"),
    ("xj2020-skilled", "has_state_allowance"),
    ("sx-professional", "skill_level"),  # 副高级 title: the dual-qualification exclusion needs the skill level
    ("sx-skilled", "frontline_years"),
    (
        "medical-member",
        "support_months",
    ),  # not hospital_level: a team of 10 meets both sizes, so either level decides it
    ("small-team-leader", "team_size"),
    ("flexible-expert", "months_in_xj_per_year"),
    ("backbone-regional", "age"),  # not unit_level: a master with an intermediate title meets both levels
    ("minority-backbone", "age"),
]


def test_every_track_has_an_undetermined_case(shipped):
    assert {(PERSONAS[p].program, PERSONAS[p].track) for p, _ in UNDETERMINED} == {
        (p.id, t.id) for p, t in shipped.tracks()
    }


@pytest.mark.parametrize(("persona", "fact"), UNDETERMINED, ids=[f"{p}-without-{f}" for p, f in UNDETERMINED])
def test_missing_needed_fact_leaves_the_verdict_undetermined_and_names_it(shipped, persona, fact):
    assessment = assess_as(shipped, PERSONAS[persona], {fact: DROP})
    assert assessment.verdict is Verdict.UNDETERMINED
    assert fact in assessment.missing
    met = met_by_id(assessment)
    assert False not in met.values()
    assert None in met.values()


FAILED_AND_MISSING = [
    ("backbone-regional", "trainee-age", {"age": 46, "unit_level": DROP, "education": DROP}),
    ("minority-backbone", "ethnic-minority", {"ethnic_minority": False, "age": DROP, "computer_skills": DROP}),
    ("xj2020-professional", "chinese-nationality", {"nationality": "KZ", "has_state_allowance": DROP, "title": DROP}),
    ("small-team-leader", "small-team-max-size", {"team_size": 9, "months_in_xj_per_year": DROP}),
    ("sx-skilled", "not-organ-staff", {"employer": "party_gov_organ", "skill_level": DROP}),
]


@pytest.mark.parametrize(
    ("persona", "failing", "changes"), FAILED_AND_MISSING, ids=[f"{p}-{r}" for p, r, _ in FAILED_AND_MISSING]
)
def test_a_failed_requirement_wins_over_missing_facts(shipped, persona, failing, changes):
    assessment = assess_as(shipped, PERSONAS[persona], changes)
    assert assessment.verdict is Verdict.INELIGIBLE
    assert assessment.missing == ()
    met = met_by_id(assessment)
    assert met[failing] is False
    assert None in met.values(), "the dropped facts should leave some reason open"


# --------------------------------------------------------------------------- 5. softened requirements


#: Requirements with exceptions: softened with 一般 / 原则上, or relaxed for cases the notice does not list.
SOFTENED = {
    (SHANXI, "professional", "senior-title"): "generally",  # §一(一) 一般应具有高级职称
    (SHANXI, "professional", "dual-qualified-as-skilled"): "in_principle",  # §四(二) 原则上按高技能人才推荐
    (SHANXI, "skilled", "senior-technician"): "generally",  # §一(二) 一般应具有高级技师
    (XJ2020, "skilled", "senior-technician"): "generally",  # §二(二) 一般应具有高级技师
    (AID, "medical-team", "medical-team-size"): "generally",  # §一(二) 一般8人以上 / 一般6人以上
    (AID, "medical-team", "medical-member-period"): "generally",  # 支援期一般不少于1年
    (AID, "medical-team", "medical-leader-runs-hospital"): "generally",  # 队长一般应…担任受援医院院长
    (AID, "medical-team", "medical-leader-period"): "generally",  # 支援期一般为3年
    (AID, "small-team", "small-team-min-size"): "generally",  # §二(二)1 一般由1名队长和4名以上
    (AID, "small-team", "small-team-leader-title"): "generally",  # 队长一般应具有副高级以上职称
    (AID, "small-team", "small-team-member-qualification"): "generally",  # 骨干成员一般应具有
    (AID, "small-team", "small-team-months"): "in_principle",  # 原则上不少于3个月
    (AID, "small-team", "small-team-same-unit"): "in_principle",  # 原则上在同一受援单位
    (AID, "flexible-expert", "expert-senior-or-doctorate"): "generally",  # §二(二)2 一般应具有正高级或博士
    (AID, "flexible-expert", "expert-months"): "in_principle",  # 原则上不少于2个月
    (AID, "backbone-training", "trainee-age"): "in_principle",  # §三(二) 原则上年龄不超过45周岁
    # 004 §二(四) 部分紧缺专业…可放宽: a relaxation for specialties the notice does not list.
    (MINORITY, None, "education"): "elsewhere",
    (MINORITY, None, "title"): "elsewhere",
}


def test_softened_requirements_are_exactly_those_the_notices_soften(shipped):
    in_content = {
        (program.id, track.id, requirement.id): requirement.softened.word
        for program, track in shipped.tracks()
        for requirement in requirements_of(program, track)
        if requirement.softened is not None
    }
    assert in_content == SOFTENED


@pytest.mark.parametrize("key", list(SOFTENED), ids=[f"{_pair(p, t)}-{r}" for p, t, r in SOFTENED])
def test_failing_a_softened_requirement_is_still_ineligible(shipped, key):
    variant = BREAKERS[key]
    assessment = assess_as(shipped, PERSONAS[variant.persona], variant.changes)
    assert assessment.verdict is Verdict.INELIGIBLE
    [reason] = [r for r in assessment.reasons if r.requirement.id == key[2]]
    assert reason.met is False
    assert reason.requirement.softened is not None
    assert reason.requirement.softened.ask, "a softened reason must say whom to ask about exceptions"


# --------------------------------------------------------------------------- 6. what is not the applicant's to meet


@pytest.mark.parametrize("persona", ["medical-member", "backbone-regional"])
def test_an_agreement_the_applicant_does_not_sign_does_not_decide_the_verdict(shipped, persona):
    # 003 §一(二): the 以院包科 agreement is between the hospitals; §三(三)2: the training agreement is a step
    # of the 申报程序 taken by the employer. Neither is asked of the applicant nor rules them out.
    assessment = assess_as(shipped, PERSONAS[persona], {"agreement_signed": False})
    assert assessment.verdict is Verdict.ELIGIBLE
    assert "agreement_signed" not in {fact for r in assessment.reasons for fact in r.requirement.rule.facts()}
