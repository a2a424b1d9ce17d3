"""What a student reads when the value is right but the form is not (WRONG_FORM), in both languages.

Kind, short, and never the answer: the student is told what form is wanted and tries again.
"""

from __future__ import annotations

from src.answers.kinds import Form

# (English, Bengali) for each form the checker may ask for.
FORM_NUDGES: dict[Form, tuple[str, str]] = {
    Form.LOWEST_TERMS: ("Right value! Now write it in lowest terms.", "ঠিক মান! এবার লঘিষ্ঠ আকারে লেখো।"),
    Form.MIXED_NUMBER: (
        "Right value! Now write it as a mixed number.",
        "ঠিক মান! এবার মিশ্র ভগ্নাংশ আকারে লেখো।",
    ),
    Form.IMPROPER_FRACTION: (
        "Right value! Now write it as an improper fraction.",
        "ঠিক মান! এবার অপ্রকৃত ভগ্নাংশ আকারে লেখো।",
    ),
    Form.DECIMAL: ("Right value! Now write it as a decimal.", "ঠিক মান! এবার দশমিক ভগ্নাংশে লেখো।"),
    Form.EXPANDED: (
        "Right value! Now expand it: open the brackets and collect like terms.",
        "ঠিক মান! এবার বন্ধনী খুলে সদৃশ পদগুলো একত্র করে লেখো।",
    ),
    Form.SIMPLIFIED: (
        "Right value! Now simplify it: no brackets left, like terms collected.",
        "ঠিক মান! এবার সরল করো: বন্ধনী খুলে সদৃশ পদগুলো একত্র করে লেখো।",
    ),
    Form.FACTORISED: (
        "Right value! Now write it as a product of factors, fully factorised.",
        "ঠিক মান! এবার সম্পূর্ণভাবে উৎপাদকে বিশ্লেষণ করে গুণফল আকারে লেখো।",
    ),
    Form.CALCULATED: (
        "You're on the right track! Finish the calculation and send one number.",
        "ঠিক পথে আছো! হিসাবটা শেষ করে একটি সংখ্যা পাঠাও।",
    ),
    Form.PERCENT: ("Right value! Now write it as a percentage.", "ঠিক মান! এবার শতকরায় লেখো।"),
    Form.SOLVED: (
        "You're on the right track! Now solve it and write what the letter equals.",
        "ঠিক পথে আছো! এবার সমীকরণটি সমাধান করে অক্ষরটির মান লেখো।",
    ),
}


def form_nudge(form: Form) -> tuple[str, str]:
    """(English, Bengali) for the right value written in another form than `form`."""
    return FORM_NUDGES[form]
