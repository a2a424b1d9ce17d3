"""The library's topics as a Bengali-reading student sees them.

A problem file names its topic in English (`topic: Profit & Loss`); students who read Bengali see the
chapter's name as their NCTB textbook gives it. The bot's progress report and the API's `topic_text` both
read this table, and the library's validator refuses a topic it does not name (`topic-name`).
"""

from __future__ import annotations

TOPICS_BN = {
    "Algebraic Expressions": "বীজগণিতীয় রাশি",
    "Algebraic Formulas": "বীজগণিতীয় সূত্রাবলি",
    "Decimals": "দশমিক ভগ্নাংশ",
    "Factorisation": "উৎপাদকে বিশ্লেষণ",
    "Fractions": "ভগ্নাংশ",
    "Geometry & Measurement": "জ্যামিতি ও পরিমাপ",
    "Integers": "পূর্ণসংখ্যা",
    "LCM & HCF": "ল.সা.গু. ও গ.সা.গু.",
    # Grade 7's chapter; grade 6's is "Simple Equations". Both are সরল সমীকরণ in the textbooks, and a
    # student who changed class would see two lines of one name in the progress report.
    "Linear Equations": "রৈখিক সমীকরণ",
    "Measurement": "পরিমাপ",
    "Natural Numbers": "স্বাভাবিক সংখ্যা",
    "Percentage": "শতকরা",
    "Profit": "মুনাফা",  # grade 8's chapter: profit and interest, simple and compound
    "Profit & Loss": "লাভ-ক্ষতি",
    "Quadrilaterals & Circles": "চতুর্ভুজ ও বৃত্ত",
    "Ratio": "অনুপাত",
    "Ratio & Proportion": "অনুপাত ও সমানুপাত",
    "Rational Numbers": "মূলদ সংখ্যা",
    "Sets": "সেট",
    "Simple Equations": "সরল সমীকরণ",
    "Simultaneous Equations": "সহসমীকরণ",
    "Squares & Square Roots": "বর্গ ও বর্গমূল",
    "Statistics": "পরিসংখ্যান",
    "Triangles": "ত্রিভুজ",
}


def topic_in(language: str, topic: str) -> str:
    """The topic's name in `language` ("bn" or "en"); an unnamed topic keeps its English name."""
    return TOPICS_BN.get(topic, topic) if language != "en" else topic
