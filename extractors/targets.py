"""Targets (chỉ tiêu) from a plan's lines: prose target lists, indicator tables, task text.

Three places hold targets:
- prose lists under an objectives heading ("2. Mục tiêu cụ thể", "2.1. Đến hết năm 2025",
  "a) Phát triển hạ tầng"), one bullet giving one target or several;
- tables with an indicator column and one column per year ("Kết quả đạt được năm 2026",
  "Phấn đấu đến năm 2030");
- task text that states a threshold outright ("bố trí ít nhất 3,4% ngân sách cho …").

Headings give the section ("II.2.1.c", "PL1.I.3") and, when they name a year, the target
year; otherwise the document's own year applies.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise

from rapidfuzz import fuzz

from extractors import lexicon
from extractors.numbers import (
    COMPARATOR_WORDS,
    Threshold,
    find_prose_deadline,
    find_thresholds,
    parse_threshold_cell,
    with_number_words_as_digits,
)
from extractors.outline import (
    ELECTED_TERM,
    Block,
    Placed,
    horizon_year,
    is_title,
    names_objectives,
    outline,
)
from extractors.textblocks import content_id, fold
from normalizers.documents import document_kinds
from normalizers.restore.syllables import dictionary
from normalizers.unicode import normalize_text
from schemas.records import Comparator, Document, Line, Target, TextSource
from schemas.units import INDEX_UNIT, PERSONS_PER_10K, RANK_UNIT

CONFIDENCE_TABLE = 0.95
CONFIDENCE_PROSE = 0.9
CONFIDENCE_MAINTAIN = 0.85  # "Duy trì Trung tâm …": a yes/no target said outright
CONFIDENCE_TASK_TEXT = 0.7  # a threshold inside a task's wording
CONFIDENCE_QUALITATIVE = 0.6  # a bullet in a target list with no number
CONFIDENCE_GUESSED_COMPARATOR = 0.5
REPAIRED_FACTOR = 0.85

NOTE_QUALITATIVE = "Chỉ tiêu định tính (có/không), không có con số trong văn bản."
NOTE_TASK_TEXT = "Ngưỡng nêu trong nội dung nhiệm vụ, không thuộc danh mục chỉ tiêu."
NOTE_REPAIRED = "Dòng văn bản được khôi phục dấu từ bản OCR."
NOTE_GUESSED_COMPARATOR = (
    "Dấu so sánh được đoán khi khôi phục bản OCR (ký tự '>' có thể là '≥'); cần đối chiếu "
    "bản gốc.")
NOTE_EQUALS_IN_OCR = ("Dấu '≥' được đoán từ ký tự '=' hoặc '2' của bản OCR; cần đối chiếu "
                      "bản gốc.")
NOTE_STRICT_IN_SCAN = ("Dấu '≥' được đoán từ ký tự '>' của bản quét (Tesseract đọc '≥' thành "
                       "'>'); cần đối chiếu bản gốc.")
_AT_LEAST_MISREAD: dict[str, Comparator] = {">": ">=", "<": "<="}
NOTE_LOW_OCR = "Độ tin cậy nhận dạng OCR của dòng thấp."
NOTE_NO_YEAR = ("Văn bản không nêu rõ năm của chỉ tiêu (không có trong câu, đề mục hay tên văn "
                "bản); cần xem lại.")


# A year a sentence sets for its own target: "Phấn đấu đến năm 2030, tỷ lệ … đạt 100%".
# "Năm 2027, …" opening a clause sets its year too; a school year "năm học 2024 - 2025" ends
# in its second year.
# "đến 2045" says it without "năm".
_CLAUSE_YEAR = re.compile(rf"\b(?:{lexicon.alternation('horizon', 'clause')}) ((?:19|20)\d{{2}})\b|"
                          r"\b(?:giai doan|nhiem ky|nam hoc) (?:19|20)\d{2}\s*[-–]\s*"
                          r"((?:19|20)\d{2})\b|"
                          r"^[\s\-–•+*]*(?:trong )?nam ((?:19|20)\d{2})\b|"
                          r"\b(?:den|toi|vao)(?: het)? ((?:19|20)\d{2})\b(?!\s*[/-])")
# A year said right after the value it is for ("… đạt 20% GDP năm 2025", "… vào 2030",
# "… 20% dân số vào năm 2024"), or right before it ("… năm 2025 đạt 8,3%").
# A year after "và" opens the next clause ("… 20% GRDP và đến năm 2030 đạt 30%").
_YEAR_AFTER_VALUE = re.compile(
    r"^(?:\s+(?!(?:va|con|hoac)\b)[^\W\d]+){0,3}?\s*"
    r"(?:vao (?:nam )?|trong nam |(?:den|toi) (?:het )?nam |nam )((?:19|20)\d{2})\b")
# A horizon followed by a value opens that value's clause: no year of the values before it.
_OPENS_VALUE = re.compile(r"^\D{0,40}\d")
_YEAR_BEFORE_VALUE = re.compile(
    r"\bnam ((?:19|20)\d{2})\s*,?\s*(?:dat|la|chiem|o muc|khoang|:)?\s*$")
# "… phấn đấu đến năm 2025: đạt 70% A, năm 2030 đạt 90%; đạt 50% B …": the year a colon
# leads in with governs the clauses after it that name none, over a year another clause named
_LEAD_IN_YEAR = re.compile(r"\bnam ((?:19|20)\d{2})\s*:")
# Words after a value that name when, not what ("…, 30% vào năm 2030 …").
_HORIZON_FIRST = re.compile(r"^\s*(?:(?:vao|trong|den|toi)\s+)?(?:het\s+)?nam\s+(?:19|20)\d{2}")
# A clause naming only when ("…, năm 2030 tối thiểu 30%") restates the measure before it.
_ONLY_WHEN = re.compile(r"^[\s,;:]*(?:(?:va|den|vao|toi|trong)\s+)?(?:nam\s+(?:19|20)\d{2}|"
                        r"(?:giai doan|thoi ky)\s+(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2})?"
                        r"[\s,;:]*(?:dat|la)?[\s,;:]*$")
_PAST = re.compile(
    rf"\b(?:{lexicon.alternation('target_wording', 'past', fold_words=False)})\s+(?>(?:được\s+)?)"
    rf"(?!(?:{lexicon.alternation('target_wording', 'past_setting', fold_words=False)})\b)\w",
    re.IGNORECASE)
# "… mục tiêu … đã được đặt ra", "đã được phê duyệt": set, not achieved.
# A comma before these ends what a value counts: the rest says what it is for.
_PURPOSE = re.compile(
    rf",\s*(?=(?:{lexicon.alternation('target_wording', 'purpose', fold_words=False)})\b)",
    re.IGNORECASE)
_PURPOSE_WORD = re.compile(
    rf"\b(?:{lexicon.alternation('target_wording', 'purpose')})\s+(?=\S)")
_TRAILING_SETTING = re.compile(  # "… vào tăng trưởng phấn đấu ở mức từ 42%"
    rf"\s+(?:{lexicon.alternation('target_wording', 'setting_verbs', fold_words=False)})\s*$",
    re.IGNORECASE)
# A share after verbs alone is of the noun after it ("Tiếp tục rà soát thực hiện 100% hồ sơ …",
# "Triển khai cung cấp 100% hàng hóa …").
# "50% năm 2025 và 80% năm 2030 sản phẩm …": values that share the noun after the last.
_BARE_YEAR_THEN_NOUN = re.compile(r"^\s*nam\s+(?:19|20)\d{2}\s+[^\W\d_]")
_HORIZON_THEN_VALUE = re.compile(r"^\s*(?:nam\s+(?:19|20)\d{2})\s+(?:va|hoac)\s+\d")
_ONLY_VERBS = re.compile(
    rf"(?:(?:{lexicon.alternation('target_wording', 'direction_only')}|"
    rf"{lexicon.alternation('tasks', 'work_verbs')})\s*)+")
_PURPOSE_END = re.compile(
    rf"\s+(?:{lexicon.alternation('target_wording', 'purpose', fold_words=False)})$",
    re.IGNORECASE)
# After a measure's head, "đã được" is part of its name ("Tỷ lệ hồ sơ đã được số hóa đạt 50%").
_IN_A_NAME = re.compile(r"\b(?:ty le|ty trong|so luong)\b")
_TERM = re.compile(r"\bnhiem ky\s+(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}")
_SETTING_AFTER = re.compile(
    rf"\s+(?:{lexicon.alternation('target_wording', 'past_setting')})\b")
_PER_YEAR_RIGHT_AFTER = re.compile(
    rf"^\s*(?:[^\W\d]+\s+){{0,1}}?(?:{lexicon.alternation('recurrence', 'per_year')}|/\s*nam)\b")
_SCALES = {fold(word): factor for word, factor in lexicon.mapping("units", "scales").items()}
_SCALE = re.compile(rf"\s+({'|'.join(map(re.escape, lexicon.words('units', 'scales')))})(?=\s)"
                    rf"(?!\s+(?:{lexicon.alternation('units', 'scale_word_names', False)})\b)",
                    re.IGNORECASE)
_SETS_GOAL = re.compile(rf"\b(?:{lexicon.alternation('target_wording', 'sets_goal')})\b")
# "… có 85 trang trại, 540 gia trại; 866 hội viên đạt …": a list of what there is, over ";"
_HAS_BEFORE = re.compile(r"\bco\s*(?:\d[^:]*)?$")
_GOAL_SET = re.compile(rf"\b(?:{lexicon.alternation('target_wording', 'goal_setting')})\b")
_CHANGE = re.compile(lexicon.alternation("target_wording", "change"))
_PART_OF_IT = re.compile(r"^[\s\-–•+*]*(?:trong do|trong so do|cu the)\b")
_CHANGE_WORD = re.compile(
    rf"\s(?:{lexicon.alternation('target_wording', 'change', fold_words=False)})\s", re.IGNORECASE)
# What a share of a total is said with after another value ("…, chiếm 20% tổng mức …").
_SHARE_LINK = re.compile(
    r"[\s,]*(?:(?:moi|hang) nam[\s,]*)?"
    rf"(?:(?:{lexicon.alternation('target_wording', 'purpose')}|va)\s+)?"
    rf"(?:{lexicon.alternation('target_wording', 'share_links')})\s*(?:khoang\s*)?")
_SHARE_TOTAL_OPENING = re.compile(r"^\s*(?:so với|trong|của)\s+", re.IGNORECASE)
_SITUATION = re.compile(rf"\b(?:{lexicon.alternation('target_wording', 'situation')})\b")
_SITUATION_INSIDE = re.compile(
    rf"\b(?:{lexicon.alternation('target_wording', 'situation_inside')})\b")
_PREDICATE_HEAD = re.compile(
    rf"\s(?:{lexicon.alternation('target_wording', 'predicate_heads', fold_words=False)})\s",
    re.IGNORECASE)
_LEVEL_SAID_WITH = lexicon.alternation("target_wording", "level_said_with")
_LEVEL_HEAD = re.compile(rf"^(?P<said_with>(?:{_LEVEL_SAID_WITH})\s+)?"
                         rf"(?:{lexicon.alternation('target_wording', 'level_heads')})\s")
_DANGLING_AND = re.compile(r"\s+(?:và|hoặc)$", re.IGNORECASE)
LEVEL_WORDING_MAX_WORDS = 4  # "cấp huyện", "khu vực nông thôn"
STRUCTURED_HEADINGS = 2  # a text with fewer numbered headings is read as one list of targets
BOUNDS = (">=", ">", "<=", "<")
RESTATEMENT_WINDOW = 200  # earlier targets of one threshold a restatement is compared with
WINDOW = 300  # characters before a value that rules look back over (linear in long clauses)
SAME_TARGET_SCORE = 90  # wordings this similar, with one value and year, state one target

# Words a bullet opens with before the value ("Mỗi năm có ≥ 20 …", "Bố trí ≥ 1%"); "có" may
# come out of an OCR as "c6" or "c¢6".
_EACH_YEAR = r"(?:m\S{1,4}|h[ao]\S{1,3})\s*nam\b"  # mỗi/hằng/hàng năm, and OCR slips (M3i năm)
_LEAD_WORDS = lexicon.alternation("target_wording", "lead")
_LEAD_HORIZON = (r"(?:(?:(?:den|toi|vao|trong)(?: het)?\s+)?(?:nam|giai doan)\s+\d{4}"
                 r"|(?:den|toi|vao)(?: het)?\s+(?:19|20)\d{2})(?:\s*[-–]\s*\d{4})?")
_LEAD = re.compile(rf"^[\s\-–•+*]*(?:(?:{_LEAD_WORDS}|{_EACH_YEAR}|{_LEAD_HORIZON}|c[0-9¢]\S?)"
                   r"(?:[\s,:]+|$))*$")
# Words between an indicator and its value ("tăng tỷ lệ … lên 80%", "… ở mức 0,8").
_TRAILING_LINK = re.compile(
    rf"(?:(?:^|\s+)(?:{lexicon.alternation('target_wording', 'link', fold_words=False)}))+[\s:]*$",
    re.IGNORECASE)
# Text that ends by naming when, before a comma ("Bắc Ninh phấn đấu đến năm 2030,"):
# the measure's name comes after it.
_HORIZON_END = re.compile(rf"\b{_LEAD_HORIZON}[\s,;:]*$")
# … and "Mục tiêu quan trọng nhất của Kế hoạch là đảm bảo 100% …": what the goal is follows.
_SETTING_VERB = re.compile(r"\b(?:(?:muc tieu|chi tieu)\b[^,;:.\d]{0,60}?\bla|"
                           rf"{lexicon.alternation('target_wording', 'setting_verbs')})\b\s*")
_CONNECTIVE = re.compile(rf"^[\s\-–•+*]*(?:{lexicon.alternation('target_wording', 'connectives')})"
                         r"[\s,;:]*$")
_CONNECTIVE_OPENING = re.compile(
    rf"^(?:{lexicon.alternation('target_wording', 'connectives')})(?:[\s,:]+)")
# A value the wording links to: "… đạt mức 70 điểm", "… là 5", "… ở mức 0,8" (folded).
_LINKED_VALUE = re.compile(
    rf"\s(?:{lexicon.alternation('target_wording', 'value_links')})\s*:?\s*$")
_PER_YEAR = re.compile(rf"(?:\b(?:{lexicon.alternation('recurrence', 'per_year')})|/\s*nam)\b")
_OPENS_PER_YEAR = re.compile(rf"^[\s\-–•+*]*{_EACH_YEAR}")
# A number followed by these measures a condition of the indicator, not the target.
_QUALIFIER_AFTER = re.compile(
    rf"^\s*(?:(?:{lexicon.alternation('units', 'qualifiers_after')})(?![a-z])|[-–]\s*\w+/)")
# "mức 2" is a level, but "đạt mức 70", "ở mức 0,8" state a value ("ở mức độ 3, 4" names levels).
# "mức độ 3 và 4": every number of a list after the label is a level.
_QUALIFIER_BEFORE = re.compile(
    rf"(?:(?<!dat )(?<!o )\b(?:{lexicon.alternation('units', 'qualifiers_before')})|\bmuc do)"
    r"(?:\s*\d+\s*(?:,|va|hoac))*\s*$")
# A place in a ranking ([ranks] of the lexicon).
_RANK_LEAD_IN = (r"(?:\b(?:"
                 rf"{lexicon.alternation('ranks', 'lead_in', fold_words=False)})\s+)*")
# Matched on the written words: folded, "nằm" (lies) would be "Nam" of "Việt Nam".
_RANK_STATED = re.compile(
    rf"{_RANK_LEAD_IN}\b(?:(?P<position>{lexicon.alternation('ranks', 'positions', False)})"
    rf"(?:\s+thứ)?|(?P<top>{lexicon.alternation('ranks', 'tops', False)})"
    rf"|(?P<group>{lexicon.alternation('ranks', 'groups', False)}))\s*$", re.IGNORECASE)
_LEVELS_AFTER = re.compile(rf"^\s*(?:{lexicon.alternation('units', 'levels_after')})\b")
_REPORTED_POSITION = re.compile(
    rf"\b(?:{lexicon.alternation('ranks', 'reported_positions')})\s*\d+(?:/\d+)?\s*$")
_TOP_BEFORE = re.compile(rf"\b(?:{lexicon.alternation('ranks', 'tops')})\s*$")
_DAY_BEFORE = re.compile(rf"\b(?:{lexicon.alternation('units', 'days')})\s*$")
# A place out of how many ("xếp hạng 15/34"): the place is the number; "/34" reads as a date.
# A count's denominator said after its noun: "0,7 doanh nghiệp công nghệ số trên 1.000 dân".
_PER_PEOPLE_AFTER = re.compile(r"^[^,;.\d]{0,50}?\btrên\s+(?P<people>\d{1,3}(?:\.\d{3})+\s+dân)\b",
                               re.IGNORECASE)
_MEASURE_HEAD_OPENING = re.compile(r"^\s*(?:tỷ lệ|số lượng|tổng số|số)\s+", re.IGNORECASE)
_GROUP_ABOUT = re.compile(r"^[^;:.,\d]{1,30}?(?=\s+ve\s)")
_RESPECTIVELY = re.compile(
    rf"\s(?:{lexicon.alternation('target_wording', 'respectively')})\s*(?:la|dat|chiem)?\s*:?")
_RESPECTIVE_FRAME = re.compile(r"\s(?:ở\s+|trong\s+)?(?:giai đoạn|thời kỳ)\s+\d{4}\s*[-–]\s*\d{4}"
                               r"|\s(?:dự kiến|với|là|gồm)(?=\s|$)", re.IGNORECASE)
_RESPECTIVE_GROUP = re.compile(
    rf"\b(?:{lexicon.alternation('target_wording', 'respective_groups')})\b\s*")
_OUT_OF = re.compile(
    rf"(\b(?:{lexicon.alternation('ranks', 'positions', False)})\s+\d+)(/\d+)", re.IGNORECASE)
_COUNTED_BEFORE = re.compile(r"(?<![\d/.,-])(?<!nhóm )(?<!top )(?<!tốp )(?!(?:19|20)\d\d\b)"
                             r"\d[\d.,]*\s+(?:[^\W\d]+\s+){1,6}$", re.IGNORECASE)
_RANK_GROUP = re.compile(
    rf"\b(?P<word>{lexicon.alternation('ranks', 'tops', False)}|"
    rf"{lexicon.alternation('ranks', 'groups', False)})\s*\d+\s*(?P<rest>.*)$", re.IGNORECASE)
_RANK_ABOUT = re.compile(r"\bve\b")  # "… dẫn đầu về chuyển đổi số": the measure follows
_RANK_STEP = re.compile(rf"^\s*(?:{lexicon.alternation('ranks', 'steps')})\b")
_RANK_LEADING = re.compile(
    rf"^[^;:.\d]{{0,80}}?(?<!thong )(?<!duy )\b"
    rf"(?:{lexicon.alternation('ranks', 'leading')})\b")  # "tỉnh, thành phố"
_AFTER_VALUE = re.compile(r"^\s*(?:trở lên|trở xuống)?", re.IGNORECASE)  # not a counted noun
# A measuring unit right after a value stated outright ("Tốc độ …: 36 Mb/s").
# A share whose name says of what product: "… trong GDP", "… trong GRDP của tỉnh".
_SHARE_OF_PRODUCT = re.compile(
    rf"\b(?:{lexicon.alternation('units', 'share_of_product')}) (grdp|gdp)\b")
_PRODUCT_NAMES = {fold(name): product
                  for name, product in lexicon.mapping("units", "product_names").items()}
_PRODUCT_NAMED_AFTER = re.compile(
    rf"^\s*(?:khoang\s+)?(?:({lexicon.alternation('units', 'product_names')})\b"
    r"|tong san pham\s*\((grdp|gdp)\))")
_STRUCTURE_OF_PRODUCT = re.compile(
    rf"\b(?:{lexicon.alternation('units', 'structure_of_product')}) (grdp|gdp)\b")
_MONEY = {word.lower(): unit for word, unit in lexicon.mapping("units", "money").items()}
_MONEY_AFTER = re.compile(
    rf"^\s*({'|'.join(re.escape(word) for word in sorted(_MONEY, key=len, reverse=True))})"
    r"(?!\w)", re.IGNORECASE)
_MEASURE_UNIT = re.compile(
    rf"^\s*({lexicon.alternation('units', 'qualifiers_after', fold_words=False)})(?![^\W\d_])"
    r"(?!\s+(?:19|20)\d{2}\b)",  # "50% năm 2025 …" names a year, no unit
    re.IGNORECASE)
# A unit in brackets closing an indicator's name: "%", a lower-case word or two ("xã",
# "người/vạn dân"), never an acronym ("(DTI)").
_BRACKETED_UNIT = re.compile(r"\s*\((%(?:\s?GR?DP)?|[^\W\d_A-Z][^()\dA-Z]{0,24})\)$")
_PER_10K = re.compile(rf"\b(?:{lexicon.alternation('units', 'per_10k')})\b")
# A verb may come before the name of a measure ("duy trì chỉ số …", "nâng cao tỷ lệ …").
_VERB_FIRST = (rf"(?:(?:{lexicon.alternation('target_wording', 'maintain')}|"
               rf"{lexicon.alternation('target_wording', 'direction_only')})\s+)?")
_INDEX = re.compile(rf"^{_VERB_FIRST}(?:{lexicon.alternation('units', 'index_heads')})\b")
_COUNT_PREFIX = re.compile(r"^(?:tong )?so(?: luong)?\s+")
_SPLIT_WORDS = re.compile(rf"^\s*(?:{lexicon.alternation('target_wording', 'measure_heads')})\b")
_NAMES_MEASURE = re.compile(
    rf"^\s*{_VERB_FIRST}(?:{lexicon.alternation('target_wording', 'measure_heads')})\b")
# "Sở" (a department) folds like "số" (the number of), which opens a measure's name.
_DEPARTMENT = re.compile(r"^[\s\-–•+*]*(?:các\s+)?sở\b", re.IGNORECASE)


def _names_measure(written: str) -> bool:
    """Whether a wording opens with the name of a measure ("tỷ lệ …", "số …", "duy trì chỉ
    số …"), not with a department ("Sở Giáo dục … khuyến khích 100% …")."""
    return bool(_NAMES_MEASURE.match(fold(written))) and not _DEPARTMENT.match(written)


_PLAN_PARTS = re.compile(rf"^\s*(?:{lexicon.alternation('units', 'plan_parts')})\b")
PHONE_DIGITS = 7  # a bare run of this many digits is a phone number or an id
_DOCUMENT_NUMBER = re.compile(
    rf"\b(?:{'|'.join(re.escape(fold(kind)) for kind in document_kinds())}|de an)(?: so)?\s*$")
_PLAN_PARTS_UNBOUNDED = re.compile(
    rf"^\s*(?!(?:{lexicon.alternation('units', 'counted_groups')})\b)"
    rf"(?:{lexicon.alternation('units', 'plan_parts_unbounded')})\b")
_VERB_MEASURE = re.compile(
    rf"\b(?:{lexicon.alternation('target_wording', 'maintain')}|"
    rf"{lexicon.alternation('target_wording', 'direction_only')})\s+"
    rf"(?:{lexicon.alternation('target_wording', 'measure_heads')})\b")
_CONTRIBUTES_TO_GOAL = re.compile(
    rf"\b(?:{lexicon.alternation('target_wording', 'serves_goal')})(?:\s+[^\W\d]+){{0,3}}?\s+"
    r"(?:vao|cho)\s+(?:viec\s+)?(?:thuc hien\s+|dat\s+)?(?:cac\s+)?muc tieu"
    r"(?:\s+[^\W\d]+){0,8}\s*$")
_CONTRIBUTES_TO = re.compile(
    rf"\b(?:{lexicon.alternation('target_wording', 'contributes_to')})\s+"
    rf"(?=(?:{lexicon.alternation('target_wording', 'measure_heads')})\b)")
# A horizon closing a wording ("… có kết nối cáp quang vào năm 2027") is no part of it.
_HORIZON_TAIL = re.compile(r"(?:^|[\s,]+)(?:(?:vào|đến|tới|trong)\s+)?(?:(?:hết\s+)?năm\s+\d{4}|"
                           r"(?:từ\s+)?(?:học kỳ\s+[IV\d]+\s+)?(?:giai đoạn|thời kỳ|năm học)"
                           r"\s+\d{4}\s*[-–]\s*\d{4})\s*$", re.IGNORECASE)
_PREPOSITION_END = re.compile(
    rf"\b(?:{lexicon.alternation('target_wording', 'prepositions')})\s*$")
_AMENDED_TO = re.compile(rf"\b(?:{lexicon.alternation('target_wording', 'amended_to')})\b")
# Qualitative bullets that only set a direction are not targets.
_DIRECTION_ONLY = re.compile(rf"^(?:{lexicon.alternation('target_wording', 'direction_only')})\b")
_MAINTAIN = re.compile(rf"^(?:{lexicon.alternation('target_wording', 'maintain')})\b")
# Comparator wordings strong enough to make a target out of task text.
_STRONG_CUES = re.compile(rf"^(?:{lexicon.alternation('comparators', 'bounds')})")
_BOUND_WORDS = tuple(word for word in lexicon.words("comparators", "bounds")
                     if word in COMPARATOR_WORDS)
VERB_PHRASE_MAX_WORDS = 3  # "thu hút", "hoàn thành", "đào tạo mới"
_ONE_SYLLABLE_NOUNS = frozenset(lexicon.folded("units", "one_syllable_nouns"))
_CAPTION = re.compile(r"\s+[-–]\s+Ảnh\s*\d*\s*$", re.IGNORECASE)  # "… nghèo/năm - Ảnh 1"
_COMPOUND_NOUN = re.compile(
    rf"(?:{lexicon.alternation('units', 'compound_nouns')})(?![^\W\d_])")
_FUNCTION_WORDS = frozenset(lexicon.folded("target_wording", "function_words"))
_FUNCTION_WORDS_WRITTEN = frozenset(word.lower() for word in lexicon.words("target_wording",
                                                                          "function_words"))


def _is_function_word(word: str) -> bool:
    """ "có", "tại": compared as written, so that "cơ sở", "tài khoản", "đề án" are nouns;
    a word without marks (stripped text) compares folded."""
    written = word.lower()
    return written in _FUNCTION_WORDS_WRITTEN or (fold(written) == written
                                                  and written in _FUNCTION_WORDS)

# A year column's header that says it holds targets, not results ("Kế hoạch năm 2025").
_TARGET_HEADER = re.compile(rf"\b(?:{lexicon.alternation('columns', 'target_year')})\b")
# Table header words (folded) → the column's role.
_COLUMN_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(lexicon.alternation("columns", role)))
    for role in ("number", "unit", "owner", "baseline", "indicator", "task", "product", "source"))


# ---------------------------------------------------------------- target building


@dataclass
class _Draft:
    """A target before it gets its id and provenance."""

    indicator_text: str
    comparator: Comparator
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    per_year: bool = False
    target_year: int | None = None
    owner_agency: str | None = None
    section: str | None = None
    confidence: float = CONFIDENCE_PROSE
    notes: list[str] = field(default_factory=list)
    span: tuple[int, int] | None = None  # the threshold's place in the block text
    strict_symbol: bool = False  # the comparator is a written ">" or "<"


# What a draft says that a Target stores as is.
_STATED_FIELDS = ("indicator_text", "comparator", "value", "value_max", "unit", "per_year",
                  "target_year", "owner_agency", "section")


def target_id(document: Document, draft: _Draft, seen: Counter[str]) -> str:
    """What the document says, not where: its number (doc_id is the number's slug when it has
    one), the wording, the year, per year or not, the owner; the n-th target alike gets n."""
    key = content_id(document.doc_id, draft.indicator_text, draft.target_year, draft.per_year,
                     draft.owner_agency or "")
    seen[key] += 1
    return content_id(key, seen[key])


def _finish(document: Document, block: Block, drafts: list[_Draft],
            seen: Counter[str]) -> Iterator[Target]:
    first = block.lines[0]
    guessed = block.uncertain_offsets()
    for draft in drafts:
        confidence, notes = draft.confidence, list(draft.notes)
        if any(line.repaired for line in block.lines):
            confidence *= REPAIRED_FACTOR
            notes.append(NOTE_REPAIRED)
        if draft.span and any(draft.span[0] <= offset < draft.span[1] for offset in guessed):
            confidence = min(confidence, CONFIDENCE_GUESSED_COMPARATOR)
            notes.append(NOTE_GUESSED_COMPARATOR)
        ocr_confidences = [line.confidence for line in block.lines if line.confidence is not None]
        if ocr_confidences and min(ocr_confidences) < 0.8:
            confidence *= 0.5 + 0.5 * min(ocr_confidences)
            notes.append(NOTE_LOW_OCR)
        stated = {name: getattr(draft, name) for name in _STATED_FIELDS}
        yield Target(
            target_id=target_id(document, draft, seen),
            doc_id=document.doc_id,
            page=first.page,
            line=first.line_no,
            source_text=block.text,
            confidence=round(max(0.0, min(1.0, confidence)), 3),
            confidence_note=" ".join(notes) or None,
            **stated,
        )


def document_year(document: Document) -> int | None:
    """The year a plan's title looks to: "… năm 2026", "… giai đoạn 2026 - 2030" (→ 2030).
    Never the date it was issued: a plan issued in 2025 may set targets for 2030."""
    return horizon_year(fold(document.title)) if document.title else None


MEASURED_DECIMALS = 2  # "99,51%", "6,41%": a figure this precise was measured, not set


def _per_year_of(folded_clause: str, values: list[Threshold]) -> list[bool]:
    """Which values are set for every year: "mỗi năm", "/năm" right after a value is that
    value's ("tăng 15-20% mỗi năm, chiếm 15-20% tổng mức …": the share is not per year);
    said anywhere else in the clause ("Hằng năm, …"), it is every value's."""
    own = [bool(_PER_YEAR_RIGHT_AFTER.match(folded_clause[value.end:])) for value in values]
    rest = folded_clause
    for value, is_own in zip(values, own, strict=True):
        if is_own and (match := _PER_YEAR_RIGHT_AFTER.match(rest[value.end:])):
            rest = rest[:value.end] + " " * match.end() + rest[value.end + match.end():]
    shared = bool(_PER_YEAR.search(rest))
    return [is_own or shared for is_own in own]


def _scaled(clause: str, threshold: Threshold) -> Threshold:
    """ "8 triệu lao động", "2,5 nghìn lượt": a count with a scale word is the number it
    says (8,000,000 lao động); money keeps its unit ("12 tỷ đồng", "2 triệu USD")."""
    scale = _SCALE.match(clause[threshold.end:])
    if threshold.unit or scale is None or threshold.value is None or _MONEY_AFTER.match(
            clause[threshold.end:]):
        return threshold
    factor = _SCALES[fold(scale.group(1))]
    return replace(threshold, value=threshold.value * factor,
                   value_max=threshold.value_max * factor if threshold.value_max else None,
                   end=threshold.end + scale.end())


def _has_now(before: str, threshold: Threshold, sentence: str) -> bool:
    """In an article, "Hội … có 591 hội viên", "toàn huyện có 85 trang trại, …; 866 hội viên
    …": a bare count after "có" (`before` is its sentence up to the count) says what there is,
    unless its sentence sets a goal ("đến năm 2030 có …")."""
    return (not threshold.explicit and threshold.unit is None
            and bool(_HAS_BEFORE.search(fold(before)))
            and not _SETS_GOAL.search(fold(sentence)))


def _measured(clause: str, threshold: Threshold) -> bool:
    """In an article, a percentage with two decimals reports a result (plans set "80%",
    "1,5%", "0,65"), whatever verb comes before it — unless its paragraph sets goals."""
    written = re.search(r"\d+[,.](\d+)\s*%", clause[threshold.start:threshold.end])
    return written is not None and len(written.group(1)) >= MEASURED_DECIMALS


def _goal_after_report(clause: str) -> int | None:
    """Where a sentence that reports turns to setting a goal ("… đến nay đã có những bước
    phát triển vượt bậc và đặt mục tiêu tự động hóa 70–80% vào 2030"): its values after that
    are targets. None when no goal is set after the report's last words."""
    folded = fold(clause)
    reported_end = max((match.end() for match in _SITUATION.finditer(folded)), default=0)
    goal = next((match for match in _GOAL_SET.finditer(folded, reported_end)), None)
    return goal.start() if goal else None


def _reports(clause: str) -> bool:
    """Whether a sentence reports what was achieved ("năm 2024 đã đạt 12%"); folded, "đã
    đặt ra mục tiêu" (set) reads like "đã đạt" (reached), so the written word decides. "Đã"
    before another verb reports too ("… đã kích hoạt 2,6 triệu tài khoản"), in a sentence
    that names no horizon and sets nothing."""
    folded = fold(clause)
    compounds = [match.span() for match in _SITUATION_INSIDE.finditer(folded)]
    for match in _SITUATION.finditer(folded):
        if any(start < match.start() < end for start, end in compounds):
            continue
        if match.group() == "da duoc" and _IN_A_NAME.search(folded[:match.start()]):
            clause = clause[:match.start()] + " " * len(match.group()) + clause[match.end():]
        elif "đặt" not in clause[match.start():match.end()].lower() and not _SETTING_AFTER.match(
                folded[match.end():]):
            return True
    # a body's term ("Đại hội … nhiệm kỳ 2022-2027 đã bầu …") is no horizon the sentence sets
    return (_PAST.search(clause) is not None and not clause_years(_TERM.sub(" ", folded))
            and not _SETTING_VERB.search(folded))


_ELECTED_TERM = re.compile(rf"{ELECTED_TERM}$")


def clause_years(folded_clause: str) -> list[tuple[int, int]]:
    """(where, year) of each horizon a sentence names: "Phấn đấu đến năm 2030, …", "Năm 2027,
    …", "… đến 2045 kinh tế số …"."""
    return [(match.start(), int(next(group for group in match.groups() if group)))
            for match in _CLAUSE_YEAR.finditer(folded_clause)
            if not _ELECTED_TERM.search(folded_clause[:match.end()])]


def clause_year(folded_clause: str) -> int | None:
    """The first year a sentence sets for itself."""
    return next((year for _, year in clause_years(folded_clause)), None)


def _value_year(folded_clause: str, threshold: Threshold,
                horizons: list[tuple[int, int]]) -> int | None:
    """The year of one value: said right after it, else the last horizon before it in its
    sentence ("Đến năm 2030 …, đến 2045 kinh tế số đạt 50%" → 2045), else the sentence's
    first (a year after the values: "… đạt 20% vào năm 2025")."""
    if match := _YEAR_AFTER_VALUE.match(folded_clause[threshold.end:]):
        return int(match.group(1))
    if match := _YEAR_BEFORE_VALUE.search(folded_clause[:threshold.start]):
        return int(match.group(1))  # "… trong GDP năm 2025 tối thiểu 20%, năm 2030 …"
    before = [year for where, year in horizons if where < threshold.start]
    after = [year for where, year in horizons
             if not _OPENS_VALUE.match(folded_clause[folded_clause.find(str(year), where) + 4:])]
    return before[-1] if before else next(iter(after), None)


def _deadline_year(clause: str) -> tuple[str, int | None]:
    """A sentence that gives its target a deadline ("… 60% hồ sơ …, hoàn thành trước
    30/7/2025"): the clause without the deadline's words (same length) and its year."""
    deadline = find_prose_deadline(clause)
    if deadline is None or deadline.due_date is None or deadline.text not in clause:
        return clause, None
    return clause.replace(deadline.text, " " * len(deadline.text), 1), deadline.due_date.year


_ASIDE = re.compile(r"\([^()]*\d[^()]*\)")
_YEAR_ASIDE = re.compile(r"\((\s*(?:năm\s+)?(?:19|20)\d{2}\s*)\)", re.IGNORECASE)


def _without_asides(clause: str) -> str:
    """ "kinh tế số đạt 35–40% GRDP (so với 30% theo Nghị quyết 57)": a bracketed aside with
    a number compares or explains; when the sentence states a value outside brackets, the
    aside's numbers are no targets (blanked, same length)."""
    clause = _YEAR_ASIDE.sub(lambda match: f" {match[1]} ", clause)  # "50% (năm 2025) và …"
    blanked = _ASIDE.sub(lambda match: " " * len(match.group()), clause)
    if blanked == clause or not find_thresholds(blanked):
        return clause
    return blanked


def _only_lead_words(text: str) -> bool:
    """Whether `text` holds nothing but the words a bullet opens with ("cơ" folds like "có"
    but opens "cơ quan", "cơ sở")."""
    return bool(_LEAD.match(fold(text))) and not re.search(r"\bcơ\b", text.lower())


def _clean_indicator(text: str, lead_words: bool = True) -> str:
    """Drop item marks, edge punctuation, a dangling "và" and (when the wording opens the
    bullet) lead words; a wording without a letter is none ("08:15 12/05/2027")."""
    text = _DANGLING_AND.sub("", _CAPTION.sub("", text).strip(" \t,.;:-–•+*"))
    words = text.split()
    for cut in range(min(len(words), 4) if lead_words else 0, 0, -1):
        if _only_lead_words(" ".join(words[:cut])):
            text = " ".join(words[cut:])
            break
    text = text.strip(" \t,.;:-–•+*")
    return text if any(char.isalpha() for char in text) else ""


_PLURAL_OPENING = re.compile(r"^\s*(?:các|những)\s+(?=\S)", re.IGNORECASE)


def head_noun(phrase: str) -> str | None:
    """The counted noun at the start of a phrase: "doanh nghiệp khoa học …" → "doanh nghiệp"."""
    phrase = phrase.strip()
    if match := _COUNT_PREFIX.match(fold(phrase)):
        phrase = phrase[match.end():]
    phrase = _PLURAL_OPENING.sub("", phrase)  # "100% các dịch vụ công …"
    words = re.split(r"[\s/,;()]+", phrase.strip())
    words = [word for word in words if word]
    if not words or not words[0][:1].isalpha():
        return None
    first = fold(words[0])
    if _is_function_word(words[0]):
        return None
    if compound := _COMPOUND_NOUN.match(fold(" ".join(words))):  # "hộ gia đình", "hợp tác xã"
        return " ".join(words[:compound.group().count(" ") + 1]).lower()
    if first in _ONE_SYLLABLE_NOUNS or len(words) == 1 or _is_function_word(words[1]):
        return words[0].lower()
    pair = f"{words[0]} {words[1]}".lower()
    following = f"{words[1]} {words[2]}".lower() if len(words) > 2 else ""
    known = dictionary()
    if normalize_text(following) in known and normalize_text(pair) not in known:
        return words[0].lower()  # "khu công nghệ", "vụ tấn công": a word starts at the second
    return pair


def _unit(threshold: Threshold | None, indicator: str, context: str,
          unit_cell: str | None = None, after: str = "") -> str | None:
    """%, %GRDP, index, persons per 10,000 or the counted noun (the one right `after` the
    value, "… không quá 5 vụ/năm", else the indicator's); the unit column when given."""
    if threshold is not None and threshold.comparator == "exists":
        return None
    if threshold is not None and threshold.unit == "%" and (
            share := _SHARE_OF_PRODUCT.search(fold(indicator))
            or _STRUCTURE_OF_PRODUCT.search(fold(context[:threshold.start]))):
        return f"%{share.group(1).upper()}"  # "tỷ trọng kinh tế số trong GRDP đạt 30%"
    if threshold is not None and threshold.unit == "%" and (
            product := _PRODUCT_NAMED_AFTER.match(fold(after))):
        named = _PRODUCT_NAMES.get(product.group(1) or "") or product.group(2).upper()
        return f"%{named}"  # "… 20% tổng sản phẩm trong tỉnh", "… tổng sản phẩm (GRDP)"
    if threshold is not None and threshold.unit and threshold.unit.startswith("/"):
        counted = _MEASURE_HEAD_OPENING.sub("", indicator)  # "tỷ lệ doanh nghiệp …"
        return f"{head_noun(counted) or ''}{threshold.unit}"  # "doanh nghiệp/1.000 dân"
    if threshold is not None and threshold.unit:
        return threshold.unit
    if money := _MONEY_AFTER.match(after):  # "đạt 660 ngàn tỷ đồng"
        return _MONEY[normalize_text(money.group(1)).lower()]
    if _PER_10K.search(fold(context)):
        return PERSONS_PER_10K
    cell = (unit_cell or "").strip()
    if _INDEX.match(fold(indicator)) and fold(cell) in ("", "-", "diem"):
        return INDEX_UNIT  # "Chỉ số chuyển đổi số (DTI)", in points or no unit
    if cell and cell not in "-–—":
        compact = cell.replace(" ", "")
        if compact.upper() in ("%GRDP", "%GDP"):
            return compact.upper()
        return "%" if compact == "%" else cell.lower()
    if _INDEX.match(fold(indicator)):
        return INDEX_UNIT
    if measure := _MEASURE_UNIT.match(after):  # "Tốc độ …: 36 Mb/s"
        return measure.group(1)
    counted = re.split(r"[/.,;:()]", _AFTER_VALUE.sub("", after), maxsplit=1)[0]
    noun = head_noun(counted) or head_noun(indicator)
    per = _PER_PEOPLE_AFTER.match(after)
    return f"{noun}/{per['people']}" if noun and per else noun  # "… trên 1.000 dân"


# ---------------------------------------------------------------- prose


def _is_qualifier(clause: str, threshold: Threshold, raw_value: str) -> bool:
    """A number that conditions the indicator (01 Gbps, 12 tháng, năm 2025), not a target."""
    folded_after = fold(clause[threshold.end:])
    folded_before = fold(clause[:threshold.start])
    stated = folded_before.rstrip().endswith(":") or _LINKED_VALUE.search(folded_before)
    if threshold.unit is None and (_PLAN_PARTS.match(folded_after) or (
            _QUALIFIER_AFTER.match(folded_after) and not stated)):
        return True
    if threshold.value == 0 and threshold.unit is None and not threshold.explicit:
        return True  # "… 15:23 424 0": a page's counter; a plan says "không còn", not "0"
    if threshold.unit is None and not threshold.explicit and _LEVELS_AFTER.match(folded_after):
        return True  # "chính quyền địa phương 2 cấp"
    if threshold.unit is None and _RANK_STEP.match(folded_after):
        return True  # "tăng 3 bậc"
    if threshold.unit is None and threshold.comparator == "=" and _PLAN_PARTS_UNBOUNDED.match(
            folded_after):
        return True
    grouped = re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw_value)  # "500.000" is a count
    if not threshold.explicit and ((len(raw_value) >= PHONE_DIGITS and not grouped)
                                   or _DOCUMENT_NUMBER.search(folded_before)):
        return True  # "Hotline 0692324026", "Nghị quyết 57", "Đề án 06": a number that names
    if _TOP_BEFORE.search(folded_before):
        return True  # "… xếp hạng trong tốp 300-500 khu vực": a band of a ranking, no count
    if threshold.unit is None and _DAY_BEFORE.search(folded_before):
        return True  # "Ngày 3-10, …", "Chiều 25-12, …": a date written with a dash
    if threshold.unit is None and not threshold.explicit and re.fullmatch(r"\d+\.0", raw_value):
        return True  # "cách mạng 4.0", "Web 3.0": a generation's name (decimals take a comma)
    cue = fold(clause[threshold.start:threshold.end])
    if (threshold.unit is None and cue.startswith("tren") and (threshold.value or 0) >= 100
            and re.match(r"\s*(?:nguoi\s+)?dan\b", folded_after)):
        return True  # "… doanh nghiệp công nghệ số trên 1.000 dân": a denominator
    if threshold.value == 1 and threshold.unit is None and cue.startswith("tren"):
        return True  # "Số dân … trên 01 điểm phục vụ …": per one, a ratio's denominator
    if not threshold.explicit and threshold.unit != "%" and _QUALIFIER_BEFORE.search(
            folded_before):
        return True  # "mức 2", "quý 3"; but "giải quyết ngay trong quý 80% kiến nghị"
    if clause[threshold.start - 1:threshold.start] == "(" and folded_after.startswith(")"):
        return True
    year_like = threshold.value is not None and 1900 <= threshold.value <= 2100
    return (year_like and threshold.unit is None and re.fullmatch(r"\d{4}", raw_value) is not None
            and (not threshold.explicit or threshold.comparator == "between"))


def _rank(clause: str, threshold: Threshold) -> Threshold | None:
    """A place in a ranking as a ceiling ("thuộc nhóm 30 nước dẫn đầu" → ≤ 30 hạng), its span
    from the words that place the measure to those that say the group leads; else None."""
    if threshold.explicit or threshold.unit or threshold.value_max is not None:
        return None
    stated = _RANK_STATED.search(clause[:threshold.start])
    if stated is None or _COUNTED_BEFORE.search(clause[:stated.start()]):
        return None  # "10 doanh nghiệp nằm trong tốp 500 …": the count is the target
    end = threshold.end
    leading = _RANK_LEADING.match(fold(clause[end:]))
    if stated.group("group") and leading is None:
        leading = _GROUP_ABOUT.match(fold(clause[end:]))  # "vào nhóm 10 địa phương về …"
    if stated.group("group") and leading is None:
        return None
    if leading is not None and (stated.group("group") or stated.group("top")):
        end += leading.end()  # "tốp 5 tỉnh, thành phố dẫn đầu": the group is one name
    return replace(threshold, comparator="<=", unit=RANK_UNIT, start=stated.start(), end=end,
                   explicit=True)


def _rank_subject(clause: str, rank: Threshold, floor: int) -> str:
    """What a rank's piece says before it: "Việt Nam", "Chỉ số GII", "" when the rank opens
    its piece ("…, đứng thứ 3 khu vực")."""
    start = _named_start(clause, _piece_start(clause, rank.start, floor), rank.start)
    setting = list(_SETTING_VERB.finditer(fold(clause), start, rank.start))
    start = setting[-1].end() if setting else start  # "tỉnh phấn đấu xếp thứ 15 …"
    return _clean_indicator(_HORIZON_TAIL.sub("", f" {clause[start:rank.start].strip()}"))


def _rank_wording(clause: str, rank: Threshold, own: str, subject: str, previous: str,
                  end: int) -> str:
    """The measure a rank is of: what its piece says before it and the words after it up to
    the next punctuation ("Việt Nam thuộc nhóm 50 nước dẫn đầu về Chính phủ số" → "Việt Nam về
    Chính phủ số"; "Chỉ số GII duy trì trong top 40" → "Chỉ số GII"). A rank that opens its
    piece is of the clause's first subject when it names its own measure ("…, và nhóm 50
    nước đứng đầu thế giới về …"), else of the measure before it ("…, đứng thứ 3 khu vực")."""
    after = re.split(r"[,;:]", clause[rank.end:end], maxsplit=1)[0].strip()
    about = _RANK_ABOUT.search(fold(after))
    if about:  # "… về ứng dụng, chuyển giao khoa học, công nghệ": the list is the measure
        after = ",".join(_listed_after(clause[rank.end:end])).strip()
    base = own or (subject if about else previous)
    named = " ".join(f"{base} {_group_named(clause, rank)} {after}".split())
    return _clean_indicator(_HORIZON_TAIL.sub("", named))


def _group_named(clause: str, rank: Threshold) -> str:
    """The group a rank places the measure in, without its size: "thuộc nhóm 30 nước dẫn
    đầu" → "nhóm nước dẫn đầu", "tốp 5 tỉnh, thành phố dẫn đầu" → "tốp tỉnh, thành phố dẫn
    đầu"; "" for a place ("xếp thứ 6")."""
    named = _RANK_GROUP.search(clause[rank.start:rank.end])
    return f"{named['word']} {named['rest'].strip()}" if named and named["rest"].strip() else ""


_PER_YEAR_AFTER = re.compile(r"^\s*(?:/\s*(?:người|năm)\b)+", re.IGNORECASE)  # "/người/năm"


def _unit_words_after(text: str) -> int:
    """How many characters of `text` a value's unit takes ("/năm", "nghìn tỷ đồng"): no
    part of the next wording nor of an object."""
    match = _MONEY_AFTER.match(text)
    end = match.end() if match else 0
    per = _PER_YEAR_AFTER.match(text[end:])
    return end + (per.end() if per else 0)


def _listed_after(text: str) -> list[str]:
    """The comma-separated list that opens `text`: its pieces up to a semicolon or colon, and
    before a piece that opens with a capital or a year ("…, năm 2023, Thanh Hóa đã …") or
    holds a number."""
    pieces = re.split(r"[;:]", text, maxsplit=1)[0].split(",")
    listed = pieces[:1]
    for piece in pieces[1:]:
        words = piece.strip()
        if not words[:1].islower() or _HORIZON_FIRST.match(fold(words)) or re.search(
                r"\d", words):
            break  # "…, xây dựng 10 thương hiệu …": another value's piece
        listed.append(piece)
    return listed


def _piece_start(clause: str, position: int, floor: int) -> int:
    """Start of the piece that holds `position` (never before `floor`): after the last comma,
    semicolon, colon or "và" ("100% trường học, 80% bệnh viện và 70% chợ …", "… gồm: có 1 …")."""
    cuts = [clause.rfind(mark, floor, position) + 1 for mark in ",;:"]
    for joint in (" va ", " de "):  # "… và 70% chợ …", "… quốc gia để 100% tài khoản …"
        if (joined := fold(clause).rfind(joint, floor, position)) >= 0:
            cuts.append(joined + len(joint))
    return max(max(cuts), floor) if max(cuts) > 0 else floor


def _is_prefix(clause: str, threshold: Threshold, floor: int) -> bool:
    """Whether the value comes before its indicator ("Có ≥ 12 doanh nghiệp …"); a value with
    no words after it ends its indicator ("Tỷ lệ hồ sơ trực tuyến: 80%.")."""
    start = _piece_start(clause, threshold.start, floor)
    setting = list(_SETTING_VERB.finditer(fold(clause), start, threshold.start))
    start = setting[-1].end() if setting else start  # "Hướng tới mục tiêu 100% …"
    following = re.split(r"[,;]", clause[threshold.end:], maxsplit=1)[0]
    following = following[_unit_words_after(following):]  # "… đạt 13,5%/năm."
    before = _OPENS_PER_YEAR.sub("", fold(clause[start:threshold.start])).strip()  # "mỗi năm giảm"
    return ((_only_lead_words(clause[start:threshold.start])
             or _CHANGE.fullmatch(before) is not None
             or (threshold.unit == "%" and _ONLY_VERBS.fullmatch(before) is not None))
            and any(char.isalpha() for char in following)
            and not _MEASURE_UNIT.match(following)  # ": 36 Mb/s" ends its indicator
            and not _horizon_only(fold(following)))  # ", 30% vào năm 2030." too


def _horizon_only(folded_following: str) -> bool:
    """Whether what follows a value names only when ("…, 30% vào năm 2030."), not a noun
    after the horizon ("80% (năm 2030) sản phẩm …") nor values sharing one ("50% năm 2025 và
    80% năm 2030 sản phẩm …")."""
    return (_HORIZON_FIRST.match(folded_following) is not None
            and not _HORIZON_THEN_VALUE.match(folded_following)
            and not _BARE_YEAR_THEN_NOUN.match(folded_following))


def _split_point(clause: str, start: int, end: int) -> int:
    """Where an earlier value's indicator stops and a later indicator's wording begins."""
    commas = [match.end() for match in re.finditer(r"[,;]\s*", clause[start:end])]
    for comma in reversed(commas):
        if _SPLIT_WORDS.match(fold(clause[start + comma:end])):
            return start + comma
    return start + commas[-1] if commas else end


def _named_start(clause: str, start: int, end: int) -> int:
    """Where the indicator's name begins when something else comes first: after the last
    comma that opens a measure ("…, tỷ lệ …", "…, duy trì chỉ số …"), or closes a horizon
    ("Bắc Ninh phấn đấu đến năm 2030, kinh tế số …") or a connective ("Cùng với đó, …"),
    after a colon ("… vượt yêu cầu Trung ương: kinh tế số …"), after a verb that sets a
    target ("Đà Nẵng đặt mục tiêu kinh tế số …") or contributes to the measure ("… đóng góp
    vào chỉ số …"); else `start`. The name keeps a letter."""
    folded = fold(clause)
    cuts = [start]
    for match in re.finditer(r"[,;:]\s*", clause[start:end]):
        cut, before = start + match.end(), folded[start:start + match.start()]
        if (match.group().startswith(":") or _names_measure(clause[cut:end])
                or _HORIZON_END.search(before) or _CONNECTIVE.match(before)):
            cuts.append(cut)
        if connective := _CONNECTIVE_OPENING.match(folded[cut:end]):  # "…, cụ thể các xã …"
            cuts.append(cut + connective.end())
    cuts += [match.end() for match in _SETTING_VERB.finditer(folded, start, end)]
    cuts += [match.start() for match in _VERB_MEASURE.finditer(folded, start, end)]
    cuts += [match.end() for match in _CONTRIBUTES_TO.finditer(folded, start, end)]
    named = max((cut for cut in cuts if _clean_indicator(_TRAILING_LINK.sub("", clause[cut:end]))),
                default=start)
    if _names_measure(clause[named:end]):  # "số dân được phục vụ …" names the measure
        return named
    # "Lộ trình 2 giai đoạn để Đà Nẵng tăng tốc, giúp kinh tế số đạt 40%": what it is for
    purposes = [match.end() for match in _PURPOSE_WORD.finditer(folded, named, end)
                if _clean_indicator(_TRAILING_LINK.sub("", clause[match.end():end]))]
    return max(purposes, default=named)


def _bound_in_lead(clause: str, threshold: Threshold, floor: int) -> Threshold:
    """ "có tối thiểu có 1 doanh nghiệp …": a bound word among the words before a value that
    precedes its noun bounds that value."""
    if threshold.explicit:
        return threshold
    lead = clause[_piece_start(clause, threshold.start, floor):threshold.start]
    bound = next((word for word in _BOUND_WORDS if re.search(rf"\b{word}\b", lead.lower())),
                 None)
    if bound is None:
        return threshold
    return replace(threshold, comparator=COMPARATOR_WORDS[bound], explicit=True)


@dataclass
class _Chosen:
    """The values of a clause that are targets; for a count after a short verb phrase, where
    its wording starts ("…, hỗ trợ 5 dự án …": at "hỗ trợ"); whether the one value is a
    lone count."""

    thresholds: list[Threshold] = field(default_factory=list)
    verb_starts: dict[int, int] = field(default_factory=dict)
    lone: bool = False


def _verb_count_start(clause: str, threshold: Threshold, floor: int) -> int | None:
    """Where a short verb phrase before a bare count starts, if one does: "…, hỗ trợ và phát
    triển 3 doanh nghiệp …", "… phấn đấu hỗ trợ 5 dự án …" (after the verb that sets it)."""
    start = _piece_start(clause, threshold.start, floor)
    setting = list(_SETTING_VERB.finditer(fold(clause), start, threshold.start))
    start = setting[-1].end() if setting else start
    words = clause[start:threshold.start].split()
    # a preposition may close a longer phrase: "nâng cao năng lực số cho 52.000 đoàn viên"
    closed = bool(words) and _PREPOSITION_END.search(fold(words[-1])) is not None
    longest = VERB_PHRASE_MAX_WORDS * (2 if closed else 1)
    return start if 0 < len(words) <= longest else None


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _quoted(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether `position` lies inside quotation marks (`spans`, of the clause): a number there
    is part of a name (tiêu chí “5 không, 3 sạch”, phong trào "3 an toàn"), no target."""
    return any(start < position < end for start, end in spans)


def _chosen_thresholds(clause: str, strong_only: bool, counts: bool) -> _Chosen:
    """The values of a clause that are targets, not conditions or counts inside a wording.
    With `counts` (a target list, or a sentence that names its horizon), a bare count after
    a short verb phrase is one ("hỗ trợ 5 dự án …"), and when the clause states no other
    value, a lone count after any verb is its value ("hoàn thành chuyển đổi số tại 12 huyện")."""
    chosen = _Chosen()
    lone: list[Threshold] = []
    quoted = [match.span() for match in _QUOTED.finditer(clause)]
    for threshold in find_thresholds(clause):
        threshold = _scaled(clause, threshold)
        if not strong_only and (rank := _rank(clause, threshold)) is not None:
            chosen.thresholds.append(rank)
            continue
        raw = re.search(r"\d[\d.,]*", clause[threshold.start:threshold.end])
        if _quoted(quoted, threshold.start) or _CONTRIBUTES_TO_GOAL.search(
                fold(clause[max(0, threshold.start - WINDOW):threshold.start])) or _is_qualifier(
                clause, threshold, raw.group(0).rstrip(".,") if raw else ""):
            continue
        cue = fold(clause[threshold.start:threshold.end]).lstrip()
        if strong_only and not (_STRONG_CUES.match(cue) or fold(clause[threshold.end:])
                                .lstrip().startswith("tro len")):
            continue
        floor = chosen.thresholds[-1].end if chosen.thresholds else 0
        # an amount of money states its quantity ("Lợi nhuận … mục tiêu 5.040 tỉ đồng")
        bare = (not threshold.explicit and threshold.unit is None
                and not _MONEY_AFTER.match(clause[threshold.end:]))
        linked = (_LINKED_VALUE.search(fold(clause[floor:threshold.start]))
                  or clause[floor:threshold.start].rstrip().endswith(":"))
        if bare and not strong_only and not linked:
            counted = head_noun(clause[threshold.end:]) and not _SPLIT_WORDS.match(
                fold(clause[threshold.end:]))  # "6 mức": a level, not a count
            if _is_prefix(clause, threshold, floor):
                threshold = _bound_in_lead(clause, threshold, floor)
            elif counted and counts and (verb := _verb_count_start(clause, threshold, floor)
                                         ) is not None:
                chosen.verb_starts[len(chosen.thresholds)] = verb
            else:  # "… triển khai 4 thủ tục": a count inside the wording, not after "Có"
                if counted and counts:
                    lone.append(threshold)
                continue
        chosen.thresholds.append(threshold)
    if not chosen.thresholds and len(lone) == 1:
        return _Chosen(lone, lone=True)
    return chosen


def _clause_targets(clause: str, strong_only: bool, counts: bool = True
                    ) -> list[tuple[Threshold, str]]:
    """(threshold, indicator wording) for each target a clause states."""
    choice = _chosen_thresholds(clause, strong_only, counts)
    chosen = choice.thresholds
    if strong_only:
        # Task text names the threshold after a verb: "lựa chọn tối thiểu 03 bài toán …".
        styles = [len(clause[t.end:].split()) >= 2 for t in chosen]
    else:
        styles = [_is_prefix(clause, t, chosen[i - 1].end if i else 0)
                  for i, t in enumerate(chosen)]
    found = []
    subject = ""  # what the clause's first rank is of
    for index, threshold in enumerate(chosen):
        if threshold.unit == RANK_UNIT:
            end = (_piece_start(clause, chosen[index + 1].start, threshold.end)
                   if index + 1 < len(chosen) else len(clause))
            own = _rank_subject(clause, threshold, chosen[index - 1].end if index else 0)
            subject = subject or own
            found.append((threshold, _rank_wording(
                clause, threshold, own, subject, found[-1][1] if found else "", end)))
        elif styles[index]:
            if index + 1 < len(chosen):
                following = chosen[index + 1]
                end = (_piece_start(clause, following.start, threshold.end) if styles[index + 1]
                       else _split_point(clause, threshold.end, following.start))
            else:
                end = len(clause)
            named = clause[threshold.end:end]
            if horizon := _HORIZON_FIRST.match(fold(named)):  # "80% (năm 2030) sản phẩm …"
                named = named[horizon.end():]
            if setting := _SETTING_VERB.search(fold(named)):  # "…, 50% có chữ ký số và phấn
                named = _DANGLING_AND.sub("", named[:setting.start()].rstrip())  # đấu đạt …"
            found.append((threshold, _HORIZON_TAIL.sub("", _clean_indicator(named, False))))
        else:
            if index == 0:
                start = 0
            elif styles[index - 1]:
                start = _split_point(clause, chosen[index - 1].end, threshold.start)
            else:  # after the value before it and its unit ("… 710 nghìn tỷ đồng, tăng …")
                start = chosen[index - 1].end
                start += _unit_words_after(clause[start:])
                if index - 1 in choice.verb_starts:  # "… cho 8 triệu lao động và đóng góp 15%"
                    counted_end = re.search(r",|\s(?:và|hoặc)\s", clause[start:threshold.start])
                    start += counted_end.end() if counted_end else 0
            start = choice.verb_starts.get(index, _named_start(clause, start, threshold.start))
            named = _HORIZON_TAIL.sub("", clause[start:threshold.start])  # "… GDP năm 2025"
            wording = _HORIZON_TAIL.sub(  # "Về kinh tế số, năm 2025 chiếm 10% GRDP"
                "", _TRAILING_SETTING.sub("", _TRAILING_LINK.sub("", named)))
            end = (_piece_start(clause, chosen[index + 1].start, threshold.end)
                   if index + 1 < len(chosen) else len(clause))
            if found and _SHARE_LINK.fullmatch(fold(named)):
                before = _PURPOSE_END.sub("", found[-1][1])  # "… tăng trưởng mỗi năm để"
                found[-1] = (found[-1][0], before)
                found.append((threshold, _share_of_total(before, clause, threshold, end)))
                continue
            # "… đạt 12 tỷ USD": money is the unit, no object of the wording
            link_dropped = (wording.strip() != named.strip()
                            or bool(_MONEY_AFTER.match(clause[threshold.end:])))
            found.append((threshold, _clean_indicator(wording) if link_dropped else
                          _verb_and_object(_clean_indicator(wording),
                                           clause[threshold.end + _unit_words_after(
                                               clause[threshold.end:]):end],
                                           choice.lone or index in choice.verb_starts,
                                           last=index + 1 == len(chosen))))
    for index in reversed(range(len(found) - 1)):
        if styles[index] and styles[index + 1] and (not found[index][1]
                                                     or _only_lead_words(found[index][1])):
            found[index] = (found[index][0], found[index + 1][1])  # the noun they share
    return _share_predicate(_share_verb(clause, _share_bound(clause, found), styles), styles)


_NOTHING_BETWEEN = re.compile(r"^\s*\(?\s*(?:(?:năm\s+)?\d{4}\s*\)?)?\s*(?:,|và|hoặc)\s*$",
                              re.IGNORECASE)


def _share_bound(clause: str, found: list[tuple[Threshold, str]]
                 ) -> list[tuple[Threshold, str]]:
    """ "Có tối thiểu 50% (năm 2025) và 80% (năm 2030) sản phẩm …": values that share one noun
    share the bound said before the first."""
    shared = list(found)
    for index in range(1, len(found)):
        (earlier, earlier_wording), (threshold, wording) = shared[index - 1], found[index]
        if (wording == earlier_wording and not threshold.explicit and earlier.explicit
                and earlier.comparator in BOUNDS
                and _NOTHING_BETWEEN.match(clause[earlier.end:threshold.start])):
            shared[index] = (replace(threshold, comparator=earlier.comparator, explicit=True),
                             wording)
    return shared


def _share_verb(clause: str, found: list[tuple[Threshold, str]], styles: list[bool]
                ) -> list[tuple[Threshold, str]]:
    """ "Hạ tầng cáp quang phủ trên 80% hộ gia đình, 100% xã": a bare noun after a value
    that follows a verb's object takes the words before that object ("… phủ xã")."""
    shared = list(found)
    for index in range(1, len(found)):
        (earlier, earlier_wording), (threshold, wording) = found[index - 1], found[index]
        if styles[index - 1] or not styles[index] or len(wording.split()) > VERB_PHRASE_MAX_WORDS:
            continue
        between = clause[earlier.end + _unit_words_after(clause[earlier.end:]):threshold.start]
        earlier_object = between.strip().rstrip(",").strip()
        if (not earlier_object or not between.rstrip().endswith(",")
                or not earlier_wording.endswith(earlier_object)
                or len(earlier_wording) == len(earlier_object)):
            continue
        verb_phrase = earlier_wording[:-len(earlier_object)].rstrip()
        shared[index] = (threshold, f"{verb_phrase} {wording}")
    return shared


def _share_of_total(previous: str, clause: str, threshold: Threshold, end: int) -> str:
    """ "Doanh số … tăng bình quân 15-20% mỗi năm, chiếm 15-20% tổng mức bán lẻ …": the value
    after "chiếm" is a share of the total it names, of the subject of the value before it."""
    subject = _CHANGE_WORD.split(previous, maxsplit=1)[0].strip()
    total = re.split(r"[,;(]", clause[threshold.end:end], maxsplit=1)[0]
    total = _SHARE_TOTAL_OPENING.sub("", total)
    return _HORIZON_TAIL.sub("", _clean_indicator(" ".join(f"{subject} chiếm {total}".split()),
                                                  False))


def _verb_and_object(wording: str, after: str, counted_after: bool = False,
                     last: bool = False) -> str:
    """ "Thu hút tối thiểu 10 dự án đầu tư …", "Hằng năm đào tạo ít nhất 500 lượt cán bộ …": a
    short verb phrase before the value (the last of a list: "thúc đẩy, hỗ trợ hình thành 5 - 10
    doanh nghiệp …") and what it counts after it make the wording together; so do a
    preposition and its noun ("cấp CCCD cho 100% công dân"). A longer wording, or one that
    opens with "tỷ lệ", "số" …, names the indicator itself; but a count whose verb was
    found (`counted_after`) takes what it counts, up to the next comma."""
    # what a count's verb counts runs to the clause's end when no value follows ("… 2.000 lượt
    # cán bộ, công chức về …"); else, and for other values, to the next comma
    after = _PURPOSE.split(after, maxsplit=1)[0]  # "… 17 luật chuyên ngành, đảm bảo …"
    piece = _HORIZON_TAIL.sub("", _clean_indicator(
        re.split(r"[(]" if counted_after and last else r"[,;(]", after, maxsplit=1)[0], False))
    if wording and _LEVEL_HEAD.match(fold(piece) + " ") and len(
            piece.split()) <= LEVEL_WORDING_MAX_WORDS + 2:
        return f"{wording} {piece}"  # "… đạt tối thiểu 70% đối với cấp tỉnh, 60% …"
    if counted_after or (wording and (_PREPOSITION_END.search(fold(wording)) or (
            len(wording.split()) > VERB_PHRASE_MAX_WORDS and not _names_measure(wording)
            and not _QUALIFIER_AFTER.match(fold(after))))):
        # "các xã tiếp nhận tối thiểu 60% hồ sơ …": a subject and a verb name no measure
        # until the object after the value joins them
        return f"{wording} {piece}".strip() if head_noun(piece) else wording
    counted = _HORIZON_TAIL.sub("", _clean_indicator(after, False))
    tail = re.split(r"[,;]\s*", wording)[-1]
    if (not wording or _YEAR_AFTER_VALUE.match(fold(after))
            or len(tail.split()) > VERB_PHRASE_MAX_WORDS
            or _SPLIT_WORDS.match(fold(tail)) or len(counted.split()) < 2
            or head_noun(counted) is None):
        return wording
    return f"{wording} {counted}"


def _share_predicate(found: list[tuple[Threshold, str]], styles: list[bool]
                     ) -> list[tuple[Threshold, str]]:
    """ "80% cơ quan cấp tỉnh, 60% cơ quan cấp xã được trang bị …", "100% trường học, 80% bệnh
    viện có thanh toán số": the last of a run of values-before-wording states the predicate
    ("được …", "có …") for those before it that state none."""
    if len(found) < 2 or not all(styles):
        return found
    last = found[-1][1]
    cut = _PREDICATE_HEAD.search(last)
    if cut is None:
        return found
    predicate = last[cut.start():]
    return [(threshold, wording if _PREDICATE_HEAD.search(f" {wording} ") else wording + predicate)
            for threshold, wording in found[:-1]] + [found[-1]]


def _with_level(wording: str, previous: str | None) -> str:
    """ "Tỷ lệ văn bản đi được ký số cấp tỉnh đạt 95%; cấp huyện đạt 85%", "… đạt tối thiểu
    70% đối với cấp tỉnh, 60% đối với cấp huyện": a clause naming only another level takes
    the previous measure, with its level replaced."""
    level = _LEVEL_HEAD.match(fold(wording) + " ")
    if previous is None or level is None:
        return wording
    said_with = len(level["said_with"] or "")
    if len(wording[said_with:].split()) > LEVEL_WORDING_MAX_WORDS:
        return wording
    head = fold(wording[said_with:]).split()[0]
    cut = fold(previous).rfind(f" {head} ")
    level_words = wording[said_with:] if cut > 0 else wording
    return f"{previous[:cut + 1]}{level_words}" if cut > 0 else f"{previous} {wording}"


def _with_trailing_trở_lên(clause: str, threshold: Threshold) -> Threshold:
    """"90% cán bộ … cấp xã trở lên": the `trở lên` ends the phrase, not the number; the
    phrase ends at the next number ("… chiếm 20% GRDP, …, tỷ trọng … đạt 10% trở lên" bounds
    the 10%, not the 20%)."""
    phrase = re.split(r"\d", clause[threshold.end:], maxsplit=1)[0]
    if threshold.explicit or "tro len" not in fold(phrase):
        return threshold
    return Threshold(">=", threshold.value, threshold.value_max, threshold.unit,
                     threshold.start, threshold.end, explicit=True)


def _clauses(text: str) -> Iterator[tuple[int, str]]:
    """(offset, clause) split at semicolons, an ellipsis ("… tác nghiệp… phấn đấu đến năm
    2023, …") and full stops between sentences."""
    start = 0
    for match in re.finditer(r";|…\s+|\.\s+(?=[^\W_])", text):
        yield start, text[start:match.start()]
        start = match.end()
    yield start, text[start:]


_SENTENCE_END = re.compile(r"\.\s+(?=[^\W_])")
_CLOSING_HORIZON = re.compile(
    r"\b(?:(?:den|toi|vao|trong)\s+)?(?:het\s+)?nam\s+((?:19|20)\d{2})\s*[.)]*\s*$")


def _sentence_closings(text: str) -> tuple[list[int], list[int | None]]:
    """Where each sentence starts, and the year that closes it, if one does: "Kế hoạch đặt ra
    6 mục tiêu (A đạt 20%; B đạt trên 10%) … đến năm 2025." — a year a sentence ends on is the
    year of its clauses that name none, before any year of an earlier sentence."""
    starts = [0, *(match.end() for match in _SENTENCE_END.finditer(text))]
    ends = [*starts[1:], len(text)]
    closings = [(int(match[1]) if (match := _CLOSING_HORIZON.search(fold(text[start:end])))
                 else None) for start, end in zip(starts, ends, strict=True)]
    return starts, closings


_AT_LEAST_READ_AS_2 = re.compile(r"(?:(?<=^)|(?<=\s))2 (?=\d)")


def _misread_at_least(text: str) -> tuple[str, list[int]]:
    """An English OCR reads "≥ 80%" as "2 80%": a lone 2 before a number is a ≥ (same length,
    so offsets hold). Returns the text and where it put a ≥."""
    offsets = [match.start() for match in _AT_LEAST_READ_AS_2.finditer(text)]
    for offset in offsets:
        text = text[:offset] + "≥" + text[offset + 1:]
    return text, offsets


def _strict_symbol(threshold: Threshold) -> bool:
    return threshold.comparator in _AT_LEAST_MISREAD and threshold.symbol is not None


def _scan_comparators(drafts: list[_Draft]) -> list[_Draft]:
    """Tesseract's `vie` model reads a printed "≥" as ">" (and "≤" as "<"), and plans state
    floors and ceilings, seldom strict bounds: a scan's ">" is taken as "≥", flagged."""
    for draft in drafts:
        if draft.strict_symbol:
            draft.comparator = _AT_LEAST_MISREAD[draft.comparator]
            draft.confidence = min(draft.confidence, CONFIDENCE_GUESSED_COMPARATOR)
            draft.notes.append(NOTE_STRICT_IN_SCAN)
    return drafts


def _amended(clause: str) -> str:
    """ "… đạt 70% nay sửa thành đạt 85% …": the value replaced, and the words saying so, are
    blanked (same length); the one after stands."""
    match = _AMENDED_TO.search(fold(clause))
    if match is None:
        return clause
    replaced = [threshold for threshold in find_thresholds(clause[:match.start()])]
    if not replaced:
        return clause
    start = replaced[-1].start
    return clause[:start] + " " * (match.end() - start) + clause[match.end():]


def prose_drafts(text: str, strong_only: bool = False, ocr_text: bool = False,
                 skip_situation: bool = False, counts_need_year: bool = False
                 ) -> list[_Draft]:
    """Targets one bullet or paragraph states, with the span of each threshold in `text`.

    A year one clause names holds for the clauses after it ("Mục tiêu đến hết năm 2025, đạt
    100% A; 100% B"); with `skip_situation`, a clause that reports what was achieved ("năm
    2024 đã đạt 12%") gives none.

    In OCR text a lone "=" before a number is the lower half of a "≥" (a plan writes equality
    without a symbol) and a lone "2" before a number is a "≥" too: both are read as ≥, with
    low confidence and a note.

    With `counts_need_year` (an article's paragraph outside any list), a bare count is a
    target only in a sentence whose year is known ("Đề án 06 …", "Hotline 0692 …" are not).
    """
    guessed: list[int] = []
    text = _OUT_OF.sub(lambda match: match[1] + " " * len(match[2]),
                       with_number_words_as_digits(text))
    if ocr_text:
        text, guessed = _misread_at_least(text)
    drafts: list[_Draft] = []
    opens_per_year = bool(_OPENS_PER_YEAR.match(fold(text)))
    year: int | None = None
    starts, closings = _sentence_closings(text)

    def sentence_text(index: int) -> str:
        return text[starts[index]:starts[index + 1] if index + 1 < len(starts) else len(text)]

    sentence, stated_in_sentence = -1, False
    goal_set = False  # a paragraph that sets goals sets even precise figures ("đạt 9,57%/năm")
    respective_names: list[str] = []
    reported = False
    lead_year: int | None = None
    for offset, clause in _clauses(text):
        same_sentence = (at := bisect_right(starts, offset) - 1) == sentence
        if not same_sentence:
            sentence, stated_in_sentence, lead_year = at, False, None
        stated_clause = _amended(clause)  # a "tương ứng là" list may hold its values in brackets
        clause, due_year = _deadline_year(_without_asides(stated_clause))
        horizons = clause_years(fold(clause))
        if lead_year and not horizons and not due_year:
            year = lead_year
        lead_year = int(lead[1]) if (lead := _LEAD_IN_YEAR.search(fold(clause))) else lead_year
        running = year if stated_in_sentence else closings[sentence] or year
        stated_in_sentence = stated_in_sentence or bool(horizons or due_year)
        year = (horizons[-1][1] if horizons else None) or due_year or year
        goal_set = goal_set or bool(_GOAL_SET.search(fold(clause)))
        # "… hiện Bộ đang quản lý 991 dịch vụ. Trong đó, có 490 …", "… đang vận hành 139
        # ngành …; 141 ngành thạc sĩ …": the report goes on
        goes_on = reported and (same_sentence or bool(_PART_OF_IT.match(fold(clause))))
        reported = skip_situation and (goes_on or _reports(clause))
        if reported and not goes_on and (goal := _goal_after_report(clause)):
            clause, reported = " " * goal + clause[goal:], False
        if reported or _CONTACT.search(clause):  # an address line's numbers are no targets
            continue
        counts = not counts_need_year or bool(horizons or due_year or running or opens_per_year
                                              or _PER_YEAR.search(fold(clause)))
        respective, respective_names = _respective_targets(stated_clause, respective_names)
        found = respective or _clause_targets(clause, strong_only, counts)
        every_year = _per_year_of(fold(clause), [threshold for threshold, _ in found])
        for (threshold, wording), per_year in zip(found, every_year, strict=True):
            per_year = per_year or opens_per_year
            indicator = _with_level(wording, drafts[-1].indicator_text if drafts else None)
            if indicator != wording and not threshold.explicit:
                # "… tối thiểu 70% đối với cấp tỉnh, 60% đối với cấp huyện": one bound for all
                threshold = replace(threshold, comparator=drafts[-1].comparator)
            if not indicator and drafts and _ONLY_WHEN.match(fold(wording)):
                indicator = drafts[-1].indicator_text  # "A đạt 20% vào năm 2025, 30% vào 2030"
            # a horizon's list of respective values sets them, however precise
            sets_goals = goal_set or bool(respective and (horizons or year))
            if not indicator or (skip_situation and not sets_goals
                                 and _measured(clause, threshold)):
                continue
            before = text[max(starts[sentence], offset + threshold.start - WINDOW):
                          offset + threshold.start]
            if skip_situation and _has_now(before, threshold, sentence_text(sentence)):
                continue
            if (skip_situation and threshold.unit == RANK_UNIT and not goal_set
                    and _REPORTED_POSITION.search(
                        fold(clause[max(0, threshold.end - WINDOW):threshold.end]))
                    and not _SETS_GOAL.search(fold(sentence_text(sentence)))):
                continue  # "Theo Ban Chỉ đạo, năm 2021, tỉnh xếp thứ 55/63": a place reported
            threshold = _with_trailing_trở_lên(clause, threshold)
            unit = _unit(threshold, indicator, clause, after=clause[threshold.end:])
            if (drafts and indicator == drafts[-1].indicator_text and unit == "%"
                    and drafts[-1].unit in ("%GDP", "%GRDP")):
                unit = drafts[-1].unit  # "… 21% trong GRDP và đến năm 2031 chiếm khoảng 32%"
            misread = ocr_text and threshold.symbol is not None and threshold.comparator == "="
            drafts.append(_Draft(
                indicator_text=indicator,
                comparator=threshold.comparator,
                value=threshold.value,
                value_max=threshold.value_max,
                unit=unit,
                per_year=per_year,
                target_year=_value_year(fold(clause), threshold, horizons) or due_year or running,
                span=(offset + threshold.start, offset + threshold.end),
                strict_symbol=_strict_symbol(threshold),
            ))
            span = drafts[-1].span or (0, 0)
            misread = misread or any(span[0] <= position < span[1] for position in guessed)
            if misread:
                drafts[-1].comparator = ">="
                drafts[-1].confidence = CONFIDENCE_GUESSED_COMPARATOR
                drafts[-1].notes.append(NOTE_EQUALS_IN_OCR)
            year = drafts[-1].target_year or year  # "… 20% GDP năm 2025; B đạt 10%": 2025
    return _product_said_last(drafts)


def _product_said_last(drafts: list[_Draft]) -> list[_Draft]:
    """ "Tỷ trọng kinh tế số năm 2025 đạt 15-20%, năm 2030 đạt 25-30% GDP": the product said
    after the last value of one measure is that of the values before it too."""
    for earlier, later in reversed(list(pairwise(drafts))):
        if (earlier.unit == "%" and later.unit in ("%GDP", "%GRDP")
                and earlier.indicator_text == later.indicator_text):
            earlier.unit = later.unit
    return drafts


def _respective_targets(clause: str, names: list[str]
                        ) -> tuple[list[tuple[Threshold, str]], list[str]]:
    """ "tỷ trọng ngành nông nghiệp, công nghiệp, dịch vụ tương ứng là 26%, 29%, 40%": one
    target per name, in order; a later clause of values alone ("; giai đoạn 2026-2030 lần lượt
    là 33%, 43%, 18%") is of the same names. The names, for the clauses after."""
    marker = _RESPECTIVELY.search(fold(clause))
    if marker is None:
        return [], names
    values = [threshold for threshold in find_thresholds(
        re.sub(r"[()]", " ", clause[marker.end():])) if threshold.unit]
    values = [replace(value, start=value.start + marker.end(), end=value.end + marker.end())
              for value in values]
    names = _respective_names(clause[:marker.start()]) or names
    if not values or len(values) != len(names):
        return [], names
    return list(zip(values, names, strict=True)), names


def _respective_names(text: str) -> list[str]:
    """The names a "tương ứng là" list gives values to: the items after the group word of
    the first, each with the measure before it ("tỷ trọng ngành A, B và C" → "tỷ trọng A",
    "tỷ trọng B", "tỷ trọng C")."""
    text = text[_named_start(text, 0, len(text)):].strip(" :")
    items = [item.strip() for item in re.split(r",|\s+và\s+", text) if item.strip()]
    group = list(_RESPECTIVE_GROUP.finditer(fold(items[0]))) if items else []
    if len(items) < 2 or not group:
        return []
    # "Cơ cấu ngành kinh tế ở giai đoạn 2021-2025 dự kiến với các ngành A" → "Cơ cấu ngành kinh tế"
    measure = _clean_indicator(_RESPECTIVE_FRAME.sub(" ", items[0][:group[-1].start()]))
    names = [items[0][group[-1].end():], *items[1:]]
    return [_clean_indicator(f"{measure} {name}") for name in names]


def qualitative_draft(title: str) -> _Draft | None:
    """A bullet with no number in a target list: a yes/no target, unless it only sets a course."""
    wording = _clean_indicator(title)
    folded = fold(wording)
    if not wording or _DIRECTION_ONLY.match(folded):
        return None
    if _MAINTAIN.match(folded):
        return _Draft(wording, "exists", confidence=CONFIDENCE_MAINTAIN)
    return _Draft(wording, "exists", confidence=CONFIDENCE_QUALITATIVE, notes=[NOTE_QUALITATIVE])


@dataclass
class _Years:
    """Where a target's year comes from when its own clause names none, in this order: the
    lead-in governing it, the enclosing heading, the year the text last set since that
    heading ("Kế hoạch đặt mục tiêu năm 2022, …" then "Trong phát triển chính phủ số, …"),
    the document's title. None when nothing settles it."""

    title: int | None
    running: int | None = None

    def resolve(self, draft: _Draft, placed: Placed) -> None:
        lead = placed.lead
        draft.target_year = (draft.target_year
                             or (clause_year(fold(lead.text)) or horizon_year(fold(lead.text))
                                 if lead else None)
                             or placed.place.horizon_year() or self.running or self.title)
        if draft.target_year is None:
            draft.notes.append(NOTE_NO_YEAR)


def _reads_targets(placed: Placed, structured: bool) -> bool:
    """Whether a block is read as a list of targets: under an objectives heading, after a
    lead-in that names objectives or a horizon, or anywhere in a text with no objectives
    heading at all (a news article, an excerpt)."""
    lead = placed.lead
    return (placed.place.in_objectives() or not structured
            or (lead is not None and (names_objectives(fold(lead.text))
                                      or clause_year(fold(lead.text)) is not None)))


def _text_drafts(placed: Placed, structured: bool, years: _Years, ocr_text: bool
                 ) -> list[_Draft]:
    block, place = placed.block, placed.place
    in_objectives = _reads_targets(placed, structured)
    drafts = prose_drafts(block.title, strong_only=not in_objectives, ocr_text=ocr_text,
                          skip_situation=not structured,
                          counts_need_year=not structured and placed.lead is None
                          and years.title is None and years.running is None)
    stated = [draft.target_year for draft in drafts if draft.target_year]
    title_offset = len(block.text) - len(block.title)
    if not in_objectives:
        for draft in drafts:
            draft.confidence = CONFIDENCE_TASK_TEXT
            draft.notes.append(NOTE_TASK_TEXT)
    elif not drafts and block.kind == "item" and place.in_specific_objectives():
        qualitative = qualitative_draft(block.title)
        drafts = [qualitative] if qualitative else []
    for draft in drafts:
        if draft.span:
            draft.span = (draft.span[0] + title_offset, draft.span[1] + title_offset)
        draft.section = place.section()
        years.resolve(draft, placed)
    if stated and not (block.kind == "item" and placed.lead is not None):
        years.running = stated[-1]  # an item under a lead-in sets no year for its siblings
    elif not stated and not structured:
        # "Tỉnh đề ra mục tiêu … đến năm 2030.", "Nhiệm kỳ 2025-2030, tỉnh hướng tới …": the
        # year of what follows, unless the sentence reports what was achieved
        # "Theo Kế hoạch chuyển đổi số tỉnh năm 2022 đề ra mục tiêu cụ thể, gồm: …" too
        years.running = next((found for _, clause in _clauses(block.text)
                              if (found := clause_year(fold(clause)) or _plan_year(clause))
                              and not _reports(clause)),
                             years.running)
    return drafts


_PLAN_OF_YEAR = re.compile(
    rf"\b(?:{'|'.join(re.escape(fold(kind)) for kind in document_kinds())}|thuc hien|trien khai)"
    r"\b[^.;:\d]{0,80}?\bnam ((?:19|20)\d{2})\b(?!\s*[-–/])")


def _plan_year(clause: str) -> int | None:
    """The year a plan named in a sentence is for ("Kế hoạch chuyển đổi số tỉnh Quảng Bình năm
    2022"), or the work it carries out ("thực hiện Tháng Thanh niên năm 2023"); never a date's
    ("ngày 5 tháng 1 năm 2022" holds digits before "năm")."""
    found = list(_PLAN_OF_YEAR.finditer(fold(clause)))  # "tổng kết … năm 2025 và đề ra
    return int(found[-1][1]) if found else None  # Nghị quyết … năm 2026": the last


# ---------------------------------------------------------------- tables


@dataclass
class TableLayout:
    roles: dict[str, int]  # role → column index
    years: dict[int, int]  # column index → year the column's targets are for

    @property
    def holds_targets(self) -> bool:
        return "indicator" in self.roles and bool(self.years)

    def is_data_row(self, cells: tuple[str, ...]) -> bool:
        """A numbered row; in a table without a number column, a row with an indicator."""
        if "number" in self.roles:
            return _cell(cells, self.roles["number"]).isdigit()
        return bool(_cell(cells, self.roles.get("indicator")))


def table_layout(cells: tuple[str, ...], issued_year: int | None = None) -> TableLayout | None:
    """The header row's meaning, or None when the row is no header. A column for a year before
    the document was issued ("Năm 2025" in a 2026 plan) holds what was achieved, unless its
    header says it is a target ("Kế hoạch năm 2025", "Mục tiêu 2025")."""
    roles: dict[str, int] = {}
    years: dict[int, int] = {}
    for index, cell in enumerate(cells):
        folded = fold(" ".join(cell.split()))  # a PDF header cell may wrap: "Đơn vị\ntính"
        role = next((role for role, pattern in _COLUMN_ROLES if pattern.search(folded)), None)
        if role is None:
            if match := re.search(r"\b((?:19|20)\d{2})\b", folded):
                year = int(match.group(1))
                if issued_year is None or year >= issued_year or _TARGET_HEADER.search(folded):
                    years[index] = year
        elif role != "baseline":  # what was achieved is no target
            roles.setdefault(role, index)
    if "task" in roles and "number" in roles:
        return TableLayout(roles, years)
    if "indicator" in roles and ("number" in roles or years):
        return TableLayout(roles, years)
    return None


def _cell(cells: tuple[str, ...], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def table_drafts(cells: tuple[str, ...], layout: TableLayout) -> list[_Draft]:
    """One target per year column of an indicator row ("-" or empty: none for that year)."""
    indicator = _clean_indicator(_cell(cells, layout.roles["indicator"]), lead_words=False)
    if not indicator:
        return []
    unit_cell = _cell(cells, layout.roles.get("unit"))
    if not unit_cell and (bracketed := _BRACKETED_UNIT.search(indicator)):
        # "Tỷ lệ … có điện thoại thông minh (%)", "Số xã … (xã)": the unit said in the name
        indicator, unit_cell = indicator[:bracketed.start()].rstrip(), bracketed.group(1)
    owner = _cell(cells, layout.roles.get("owner")) or None
    drafts = []
    for column, year in sorted(layout.years.items()):
        threshold = parse_threshold_cell(_cell(cells, column))
        if threshold is None:
            continue
        drafts.append(_Draft(
            indicator_text=indicator,
            comparator=threshold.comparator,
            value=threshold.value,
            value_max=threshold.value_max,
            unit=_unit(threshold, indicator, indicator, unit_cell),
            per_year=bool(_PER_YEAR.search(fold(indicator))),
            target_year=year,
            owner_agency=owner,
            confidence=CONFIDENCE_TABLE,
            strict_symbol=_strict_symbol(threshold),
        ))
    return drafts


def _task_row_drafts(cells: tuple[str, ...], layout: TableLayout) -> list[_Draft]:
    """Thresholds stated outright in a task row's name or product ("ít nhất 3,4% …")."""
    drafts = []
    for role in ("task", "product"):
        for draft in prose_drafts(_cell(cells, layout.roles.get(role)), strong_only=True):
            draft.span = None  # the span is in the cell, not the row text
            draft.confidence = CONFIDENCE_TASK_TEXT
            draft.notes.append(NOTE_TASK_TEXT)
            draft.owner_agency = _cell(cells, layout.roles.get("owner")) or None
            drafts.append(draft)
    return drafts


def _row_drafts(cells: tuple[str, ...], layout: TableLayout, placed: Placed,
                years: _Years) -> list[_Draft]:
    number = _cell(cells, layout.roles.get("number"))
    if layout.holds_targets:
        drafts = table_drafts(cells, layout)
    elif "task" in layout.roles:
        drafts = _task_row_drafts(cells, layout)
    else:
        drafts = []
    for draft in drafts:
        draft.section = placed.place.section(number) if number else placed.place.section()
        years.resolve(draft, placed)
    return drafts


# ---------------------------------------------------------------- the document


def _may_restate(earlier: Target | None, target: Target, structured: bool) -> bool:
    """Whether `target` can restate `earlier`: one of them names no year, or (in an article)
    both name the same."""
    if earlier is None:
        return False
    if earlier.target_year is None or target.target_year is None:
        return True
    return not structured and earlier.target_year == target.target_year


def _restates(earlier: Target | None, target: Target, earlier_wording: str, wording: str
              ) -> bool:
    """Alike wordings; for two statements of one year, one wording holds all the other's
    words ("Quy mô kinh tế số" in the headline and in the body), so that "… phủ 100% xã" and
    "… phủ 100% trường học" stay two."""
    if fuzz.token_set_ratio(earlier_wording, wording) < SAME_TARGET_SCORE:
        return False
    if earlier is None or earlier.target_year is None or target.target_year is None:
        return True
    words, earlier_words = set(wording.split()), set(earlier_wording.split())
    return words <= earlier_words or earlier_words <= words


def _restatements_dropped(targets: list[Target], structured: bool = True) -> list[Target]:
    """A target said again where the text gives it no year (a headline over the article, a
    summary after the list) is the one stated before: the statement with a year is kept,
    else the first. In a plan (`structured`) two statements with years are left alone (one
    plan may set one target under two headings); an article saying one target twice for one
    year (its headline, then its body) states it once.

    Linear in the number of targets: a restatement is looked for only among the earlier
    targets of its threshold that it may restate, among the last RESTATEMENT_WINDOW of
    them (a 5 MB line of clauses made this quadratic: 100 kB took 115 s)."""
    kept: list[Target | None] = []  # None: replaced by a later statement with a year
    wordings: list[str] = []
    every: dict[tuple[object, ...], list[int]] = {}
    for target in targets:
        wording = fold(target.indicator_text)
        key = (target.comparator, target.value, target.value_max, target.unit)
        earlier = [index for index in every.get(key, [])[-RESTATEMENT_WINDOW:]
                   if _may_restate(kept[index], target, structured)]
        same = next((index for index in earlier
                     if _restates(kept[index], target, wordings[index], wording)),
                    None) if target.comparator != "exists" else None
        if same is not None:
            replaced = kept[same]
            if (replaced is None or replaced.target_year is not None
                    or target.target_year is None):
                continue
            kept[same] = None
            every[key].remove(same)
        kept.append(target)
        wordings.append(wording)
        every.setdefault(key, []).append(len(kept) - 1)
    return [target for target in kept if target is not None]


def _is_structured(placed_blocks: list[Placed]) -> bool:
    """Whether the text is a plan with sections that say what they hold (its targets sit
    under an objectives heading, its other numbers in task text under a tasks heading), not
    a news article or a bare excerpt whose headings only name areas ("1. Mạng di động")."""
    return any(placed.place.in_objectives() or placed.place.in_tasks()
               for placed in placed_blocks)


_CONTACT = re.compile(r"[\w.-]+@[\w-]+\.\w|https?://|\bwww\.", re.IGNORECASE)
HEADLINE_MIN_WORDS = 3


def _has_words(text: str) -> bool:
    """Whether a block says something: words, not a page's contact line ("(84) 24.3628;
    6551 isd@neu.edu.vn")."""
    return (not _CONTACT.search(text)
            and len(re.findall(r"\b[^\W\d_]{2,}\b", text)) >= HEADLINE_MIN_WORDS)


def _headline(placed_blocks: list[Placed]) -> Block | None:
    """A text's first block with words when it is a headline (a paragraph no next line
    continues): when the metadata found no title, its horizon is the year of the targets after
    it that name none ("Huyện … đặt mục tiêu chuyển đổi số toàn diện năm 2025", "Nghị quyết
    về Kế hoạch … 5 năm 2025 - 2030" → 2030)."""
    first = next((placed.block for placed in placed_blocks
                  if _has_words(placed.block.text)), None)
    return first if first is not None and first.headline else None


def extract_targets(document: Document, lines: list[Line]) -> list[Target]:
    """Every target the document states, in reading order."""
    placed_blocks = list(outline(lines))
    years = _Years(document_year(document))
    headline = _headline(placed_blocks)
    issued_year = document.issued_on.year if document.issued_on else None
    ocr_text = document.text_source != TextSource.DIGITAL
    layout: TableLayout | None = None
    seen: Counter[str] = Counter()
    targets: list[Target] = []
    structured = _is_structured(placed_blocks)
    for placed in placed_blocks:
        block = placed.block
        drafts: list[_Draft] = []
        if block.kind in ("appendix", "section") or is_title(block):
            years.running = None
        if block.kind == "row":
            cells = block.cells
            if header := table_layout(cells, issued_year):
                layout = header
            elif layout is not None and layout.is_data_row(cells):
                drafts = _row_drafts(cells, layout, placed, years)
        elif block.kind == "appendix":
            layout = None
        elif block.kind != "section":
            drafts = _text_drafts(placed, structured, years, ocr_text)
        if document.text_source == TextSource.OCR:
            drafts = _scan_comparators(drafts)
        targets.extend(_finish(document, block, drafts, seen))
        if block is headline and years.title is None:  # of the blocks after it
            # its title's year ("Kế hoạch … năm 2026 … giai đoạn 2026–2030" → 2026), not
            # the last horizon its sentence names; a lead paragraph that states targets
            # ("… giai đoạn 2021-2030. Mục tiêu đến năm 2025, 80% …") passes on their year
            stated = [draft.target_year for draft in drafts if draft.target_year]
            years.title = stated[-1] if stated else horizon_year(fold(block.lines[0].text))
            years.running = None
    return _restatements_dropped(targets, structured)
