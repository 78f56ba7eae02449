"""Answers (not alerts) are limited per chat and per person: a flood never delays an alert."""

from __future__ import annotations

from relaybot.domain.throttle import AnswerLimits, AnswerThrottle

GROUP = -1001000000101
OTHER_GROUP = -1001000000102


def test_one_person_gets_three_answers_a_minute_in_a_group() -> None:
    """A person repeating /help gets 3 answers in a minute; the rest is dropped and counted;
    a minute later they are answered again."""
    throttle = AnswerThrottle()
    allowed = [throttle.allow(GROUP, 7, 1000.0 + i) for i in range(60)]
    assert allowed.count(True) == 3 and allowed[:3] == [True, True, True]
    assert throttle.dropped == 57
    assert throttle.allow(GROUP, 7, 1000.0 + 61)


def test_a_group_never_gets_more_than_half_its_budget() -> None:
    """Many people asking at once in one group get at most 10 answers a minute (half of
    Telegram's 20 a minute per group); another group is not affected."""
    throttle = AnswerThrottle()
    allowed = sum(throttle.allow(GROUP, person, 1000.0 + person / 10) for person in range(50))
    assert allowed == AnswerLimits().group == 10
    assert throttle.allow(OTHER_GROUP, 1, 1006.0)


def test_all_chats_together_never_get_more_than_half_the_overall_budget() -> None:
    """Answers into many chats at once: at most 15 in any second (half of Telegram's 30 a
    second for a bot), so alerts and 112 edits always find half the budget free."""
    throttle = AnswerThrottle()
    allowed = sum(throttle.allow(-1000 - chat, 1, 1000.0) for chat in range(40))
    assert allowed == AnswerLimits().overall == 15
    assert throttle.allow(-2000, 1, 1001.01)


def test_private_chats_have_their_own_budget() -> None:
    """A private chat (positive id) is limited by its own, larger window, not per person."""
    throttle = AnswerThrottle()
    allowed = sum(throttle.allow(42, 42, 1000.0 + i / 10) for i in range(100))  # 10 s
    assert allowed == AnswerLimits().private


def test_old_windows_are_forgotten() -> None:
    """Windows of people who went quiet are dropped, so memory does not grow without end."""
    throttle = AnswerThrottle()
    for person in range(20000):
        throttle.allow(-person - 1, person, 1000.0 + person)
        assert len(throttle._people) <= 4097 and len(throttle._chats) <= 4097


def test_an_answer_split_into_several_messages_counts_each() -> None:
    """A long answer (house rules in three messages) uses three of the group's ten: after
    three such answers, one more of three no longer fits, one of one still does."""
    throttle = AnswerThrottle()
    for _ in range(3):
        assert throttle.allow(GROUP, None, 0.0, messages=3)
    assert not throttle.allow(GROUP, None, 1.0, messages=3)
    assert throttle.allow(GROUP, None, 1.0)


def test_an_answer_longer_than_the_whole_budget_still_fits_an_idle_group() -> None:
    """Rules longer than the group's answer budget are still answered when nothing else was."""
    throttle = AnswerThrottle()
    assert throttle.allow(GROUP, None, 0.0, messages=40)
    assert not throttle.allow(GROUP, None, 1.0)
