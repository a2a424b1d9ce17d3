"""The library's topics as a Bengali-reading student sees them.

A problem file names its topic in English (`topic: Profit & Loss`); students who read Bengali see the
name their NCTB textbook gives it: the chapter's name (src/content/syllabus.yaml), or for a chapter the
library splits into several topics, the name of the chapter's section a student knows (ভগ্নাংশ, শতকরা in
class 6's chapters 1 and 2). The bot's progress report and the API's `topic_text` both read this table,
and the library's validator refuses a topic it does not name (`topic-name`).

One English topic is one Bengali name: classes 6 and 7 both have the chapter সরল সমীকরণ, and both
grades' files use the topic "Simple Equations", so a student who changed class sees one line for it.
"""

from __future__ import annotations

TOPICS_BN = {
    # class 6
    "Natural Numbers": "স্বাভাবিক সংখ্যা",
    "LCM & HCF": "ল.সা.গু. ও গ.সা.গু.",
    "Fractions": "ভগ্নাংশ",
    "Decimals": "দশমিক ভগ্নাংশ",
    "Ratio": "অনুপাত",
    "Percentage": "শতকরা",
    "Integers": "পূর্ণসংখ্যা",
    "Algebraic Expressions": "বীজগণিতীয় রাশি",
    "Simple Equations": "সরল সমীকরণ",  # class 6 chapter 5 and class 7 chapter 7
    "Basic Concepts of Geometry": "জ্যামিতির মৌলিক ধারণা",
    "Information and Data": "তথ্য ও উপাত্ত",  # the last chapter of classes 6, 7 and 8
    # class 7
    "Rational and Irrational Numbers": "মূলদ ও অমূলদ সংখ্যা",
    "Squares & Square Roots": "বর্গ ও বর্গমূল",
    "Ratio & Proportion": "অনুপাত ও সমানুপাত",
    "Profit & Loss": "লাভ-ক্ষতি",
    "Measurement": "পরিমাপ",  # classes 7 and 8, chapter 3
    "Multiplication and Division of Expressions": "বীজগণিতীয় রাশির গুণ ও ভাগ",
    "Algebraic Formulas": "বীজগণিতীয় সূত্রাবলি ও প্রয়োগ",  # classes 7 and 8
    "Factorisation": "উৎপাদকে বিশ্লেষণ",
    "Algebraic Fractions": "বীজগণিতীয় ভগ্নাংশ",  # classes 7 and 8
    "Parallel Straight Lines": "সমান্তরাল সরলরেখা",
    "Triangles": "ত্রিভুজ",
    "Congruence and Similarity": "সর্বসমতা ও সদৃশতা",
    # class 8
    "Patterns": "প্যাটার্ন",
    "Profit": "মুনাফা",  # profit and interest, simple and compound
    "Simple Simultaneous Equations": "সরল সহসমীকরণ",
    "Sets": "সেট",
    "Quadrilaterals": "চতুর্ভুজ",
    "Pythagoras' Theorem": "পিথাগোরাসের উপপাদ্য",
    "Circles": "বৃত্ত",
}


def topic_in(language: str, topic: str) -> str:
    """The topic's name in `language` ("bn" or "en"); an unnamed topic keeps its English name."""
    return TOPICS_BN.get(topic, topic) if language != "en" else topic
