"""Single messages as a student reads them: money, durations and topics in each language."""

from __future__ import annotations

from src.bot import messages
from src.content.library import read_library
from src.content.topics import TOPICS_BN, topic_in


def test_money_is_taka_in_bengali_and_the_taka_sign_in_english() -> None:
    assert messages.reveal("bn", "৳540", None) == "এবার হলো না, মন খারাপ কোরো না। সঠিক উত্তর হলো: ৫৪০ টাকা"
    assert messages.skipped("bn", "৳132.50", None).endswith("সঠিক উত্তর ছিল: ১৩২.৫০ টাকা")
    assert messages.reveal("en", "৳540", None).endswith("The right answer is: ৳540")


def test_the_last_hint_comes_before_the_answer_it_leads_to() -> None:
    assert messages.skipped("en", "12", "Now subtract 8 from 20.") == (
        "All right, we'll skip this one.\n💡 The way there: Now subtract 8 from 20.\nThe right answer was: 12"
    )
    assert messages.reveal("bn", "12", "এবার ২০ থেকে ৮ বিয়োগ করো।") == (
        "এবার হলো না, মন খারাপ কোরো না।\n💡 সমাধানের পথ: এবার ২০ থেকে ৮ বিয়োগ করো।\nসঠিক উত্তর হলো: ১২"
    )


def test_durations_drop_zero_seconds() -> None:
    assert [messages.duration("bn", s) for s in (45, 120, 125)] == [
        "৪৫ সেকেন্ড",
        "২ মিনিট",
        "২ মিনিট ৫ সেকেন্ড",
    ]
    assert [messages.duration("en", s) for s in (45, 120, 125)] == ["45 s", "2 min", "2 min 5 s"]


def test_every_library_topic_has_a_bengali_name_of_its_own() -> None:
    topics = {problem.topic for problem in read_library().problems}
    assert topics <= TOPICS_BN.keys()
    bengali = [topic_in("bn", topic) for topic in sorted(topics)]
    assert len(set(bengali)) == len(bengali)  # a progress report never shows two lines of one name
    assert topic_in("bn", "Information and Data") == "তথ্য ও উপাত্ত"  # not পরিসংখ্যান (classes 9-10)
    assert topic_in("en", "Profit") == "Profit"
