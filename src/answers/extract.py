"""Finding the answer inside what was typed: lead-in phrases, currency and percent markers, units.

Each step reports whether it removed words, because an answer pulled out of a phrase is read with
less confidence than one typed on its own.
"""

from __future__ import annotations

import re

from src.answers.normalize import fold_word

# Not followed by a letter: \b fails on Bengali, whose vowel signs are not \w characters.
_END = r"(?![a-z\u0980-\u09ff])"


def _options(words: str) -> list[str]:
    return [word.strip() for word in words.split(";") if word.strip()]


def _alternation(words: str) -> str:
    options = sorted({fold_word(word) for word in _options(words)}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(option) for option in options) + ")"


_LEADS = _alternation(
    "the final answer is;final answer is;final answer;the answer is;my answer is;answer is;"
    "the answer;answer;ans;ansr;answr;the result is;result is;result;the value is;value is;"
    "solution is;solution;i think it is;i think it's;i think its;i think the answer is;i think;"
    "i guess;i believe;i got;i get;i found;got;it is;it's;its;is it;it should be;should be;must be;"
    "will be;would be;it will be;maybe;probably;perhaps;so;therefore;hence;thus;then;ok;okay;"
    "sir;apu;yes;hi;hello;hey;salam;assalamu alaikum;সালাম;আসসালামু আলাইকুম;হ্যালো;"
    "উত্তর হলো;উত্তর হল;উত্তর হবে;উত্তরঃ;উত্তর;উঃ;আমার উত্তর;আমার মনে হয়;মনে হয়;আমার মতে;সম্ভবত;"
    "হয়তো;সুতরাং;অতএব;তাই;ফলাফল;ফল;মান;সমাধান;"
    "uttor holo;uttor hobe;uttor;amar mone hoy;mone hoy;ans holo"
)
# "Ans. 12" abbreviates with a full stop; "ans.5" keeps its decimal point.
_LEAD = re.compile(rf"^{_LEADS}{_END}(?:\.(?![0-9]))?\s*(?:=>|->|[:=ঃ\-](?![0-9.]))?\s*")
_TRAILS = _alternation(
    "i think;i guess;maybe;probably;right;ok;okay;sir;apu;please;pls;ans;answer;"
    "হবে মনে হয়;মনে হয়;হবে;হয়;হলো;হল;তো;hobe;mone hoy;holo"
)
_TRAIL = re.compile(rf"(?<![a-z\u0980-\u09ff])\s*,?\s*{_TRAILS}$")
_EDGE_PUNCTUATION = re.compile(r"^(?:=>|->|[\s:=,])+|[\s.!?।৷॥,;:]+$")

_PERCENT_WORD = re.compile(
    r"(?:(?<=[0-9)])\s*|\s+)"
    + _alternation("percent;per cent;percentage;pct;শতাংশ;পার্সেন্ট;পারসেন্ট;পারসেন্টেজ;parcent;porsent")
    + _END
)
_PERCENT_PREFIX = re.compile(r"^" + _alternation("শতকরা;shotokora;sotokora") + r"\s*(.+)$")

_MONEY_WORDS = _alternation("tk.;tk;taka;bdt;টাকা;টা.;টাকার")
_MONEY_PREFIX = re.compile(rf"^(?:৳|{_MONEY_WORDS}{_END}|rs\.?)\s*")
_MONEY_SUFFIX = re.compile(rf"\s*(?:৳|{_MONEY_WORDS}|/-|/=)(?:\s*{_alternation('only;মাত্র;matro')})?$")
_TAKA_PAISA = re.compile(
    rf"^([0-9][0-9,]*)\s*(?:৳|{_MONEY_WORDS})\s*([0-9]{{1,2}})\s*" + _alternation("paisa;poisa;পয়সা;পয়সা") + "$"
)

_UNITS = _alternation(
    "mm;cm;dm;m;km;in;inch;inches;ft;feet;foot;yd;yard;yards;mile;miles;g;gm;gms;gram;grams;kg;kgs;"
    "mg;l;lt;ltr;litre;litres;liter;liters;ml;cc;metre;metres;meter;meters;centimetre;centimetres;"
    "centimeter;centimeters;millimetre;millimetres;millimeter;millimeters;kilometre;kilometres;"
    "kilometer;kilometers;kilogram;kilograms;degree;degrees;deg;°;°c;hr;hrs;hour;hours;h;min;mins;"
    "minute;minutes;sec;secs;second;seconds;s;day;days;week;weeks;month;months;year;years;yr;yrs;"
    "unit;units;people;persons;person;students;boys;girls;pieces;piece;pcs;times;km/h;km/hr;kmph;"
    "kmh;m/s;ta;ti;jon;"
    "সেমি;সে.মি.;সে.মি;সেন্টিমিটার;মিমি;মি.মি.;মিলিমিটার;মিটার;মি.;মি;কিমি;কি.মি.;কি.মি;কিলোমিটার;"
    "ডেসিমিটার;ইঞ্চি;ফুট;গজ;মাইল;গ্রাম;কেজি;কি.গ্রা.;কিলোগ্রাম;কিলো;মিলিগ্রাম;লিটার;লি.;মিলিলিটার;"
    "মিলি;ঘণ্টা;ঘন্টা;মিনিট;সেকেন্ড;দিন;সপ্তাহ;মাস;বছর;বৎসর;ডিগ্রি;একক;জন;টি;টা;টো;খানা;বার;"
    "কিমি/ঘণ্টা;কিমি/ঘন্টা;মি/সে;paisa;poisa;poisha;পয়সা"
)
_UNIT_PREFIX = _alternation("sq.;sq;square;cu.;cu;cubic;বর্গ;ঘন")
_UNIT_SUFFIX = r"(?:\s*\^?\s*[23]|\s*sq\.?|\s*square)?"
# A unit follows a number, glued (12cm) or spaced; after number words it must be spaced (বারো সেমি).
_UNIT = re.compile(
    rf"^(.*?(?:[0-9)%]\s*|[a-z\u0980-\u09ff]\s+))(?:{_UNIT_PREFIX}\s*)?{_UNITS}{_UNIT_SUFFIX}\.?$"
)

# After an expression a unit must be spaced: in "6m" or "16cm" the letters may be variables.
_EXPRESSION_UNIT = re.compile(
    rf"^(.*?[0-9a-z)\]])\s+(?:{_UNIT_PREFIX}\s*)?(?:{_UNITS}|{_MONEY_WORDS}|৳){_UNIT_SUFFIX}\.?"
    rf"(?:\s*{_alternation('only;মাত্র;matro')})?$"
)

_EMPTY_SET = frozenset(
    fold_word(word)
    for word in _options(
        "∅;ø;φ;ϕ;empty;empty set;the empty set;null set;null;no elements;no element;"
        "ফাঁকা সেট;শূন্য সেট;খালি সেট;ফাঁকা;faka set;khali set"
    )
)
_PAIR_SEPARATOR = re.compile(
    r"\s*[;&।৷॥]\s*|\s*(?<![a-z\u0980-\u09ff])"
    + _alternation("and;or;ও;এবং;আর;অথবা;বা;ebong;othoba")
    + rf"{_END}\s*"
)
# "1 2 3" or "{1 2 3}": numbers separated only by spaces, as typed on a phone without a comma key.
_SPACED_NUMBERS = re.compile(r"[({\[]?-?[0-9]+(?:\.[0-9]+)?(?: -?[0-9]+(?:\.[0-9]+)?)+[)}\]]?")
_ASSIGNMENT_START = re.compile(r"(?<=[0-9a-z)])\s+(?=[a-z]\s*=)")


def strip_edges(text: str) -> str:
    """Sentence punctuation and leading `=`/`:` around an answer carry no meaning."""
    return _EDGE_PUNCTUATION.sub("", text)


def strip_frames(text: str) -> tuple[str, bool]:
    """Remove phrases like "the answer is", "উত্তর", "I think"; True if any words were removed."""
    framed = False
    for _ in range(4):  # "so i think the answer is 12": a few leads, each removed once
        match = _LEAD.match(text)
        if not match or match.end() == 0 or match.end() == len(text):
            break
        text, framed = strip_edges(text[match.end() :]), True
    for _ in range(2):
        match = _TRAIL.search(text)
        if not match or match.start() == 0:
            break
        text, framed = strip_edges(text[: match.start()]), True
    return text, framed


def strip_markers(text: str) -> tuple[str, bool]:
    """Currency, percent words and units around a number; True if a currency marker was present.

    Percent words become `%`, which the parser reads; currency and units are simply dropped.
    """
    money = False
    prefix = _PERCENT_PREFIX.match(text)
    if prefix:
        text = prefix.group(1) + "%"
    text = _PERCENT_WORD.sub("%", text)
    taka_paisa = _TAKA_PAISA.match(text)
    if taka_paisa:
        text, money = f"{taka_paisa.group(1)}.{int(taka_paisa.group(2)):02d}", True
    for _ in range(2):
        stripped = _MONEY_PREFIX.sub("", text, count=1)
        stripped = _MONEY_SUFFIX.sub("", stripped, count=1)
        if stripped != text:
            text, money = strip_edges(stripped), True
        unit = _UNIT.match(text)
        if unit:
            text = strip_edges(unit.group(1))
    return text, money


def strip_expression_unit(text: str) -> str | None:
    """The expression before a spaced trailing unit or currency ("4x + 25 tk"), or None if none.

    The unit may also be a variable ("(6m + 6) m"), so the caller must weigh both readings.
    """
    match = _EXPRESSION_UNIT.match(text)
    return strip_edges(match.group(1)) if match else None


def is_empty_set_word(text: str) -> bool:
    return text in _EMPTY_SET


def separate_items(text: str) -> tuple[str, bool]:
    """For pairs and sets: `x=2 y=3`, `2 and 3`, `১ ৷ ২` all become comma-separated items.

    True when items were separated by spaces alone, which is a guess at what was meant.
    """
    if _SPACED_NUMBERS.fullmatch(text):
        return text.replace(" ", ", "), True
    text = _PAIR_SEPARATOR.sub(", ", text)
    return _ASSIGNMENT_START.sub(", ", text), False
