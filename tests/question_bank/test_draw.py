"""The draw: seeded, uniform, without repeats, honouring the spec or saying why it cannot."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from question_bank.draw import DrawPart, NotEnoughQuestions, QuestionPool, draw_questions, shuffle_options

TOPICS = ("Chính quyền số", "Kinh tế số", "Xã hội số")
LEVELS = ("easy", "medium", "hard")


@pytest.fixture
def pool() -> QuestionPool:
    # 90 questions: 10 in every topic x difficulty cell; ids encode the cell
    rows = [(100 * t + 10 * d + i, TOPICS[t], LEVELS[d]) for t in range(3) for d in range(3) for i in range(10)]
    random.Random(1).shuffle(rows)  # the database may return them in any order
    return QuestionPool.build(rows)


def test_same_seed_same_draw_in_the_same_order(pool) -> None:
    parts = [DrawPart(None, "easy", 8), DrawPart(None, "medium", 8), DrawPart(None, "hard", 4)]
    assert draw_questions(pool, parts, random.Random(42)) == draw_questions(pool, parts, random.Random(42))
    assert draw_questions(pool, parts, random.Random(42)) != draw_questions(pool, parts, random.Random(43))


def test_spec_by_difficulty_is_honoured_without_repeats(pool) -> None:
    parts = [DrawPart(None, "easy", 8), DrawPart(None, "medium", 8), DrawPart(None, "hard", 4)]
    for seed in range(50):
        drawn = draw_questions(pool, parts, random.Random(seed))
        assert len(drawn) == 20 and len(set(drawn)) == 20
        levels = Counter(LEVELS[(question_id // 10) % 10] for question_id in drawn)
        assert levels == {"easy": 8, "medium": 8, "hard": 4}


def test_spec_by_topic_and_difficulty_and_overlapping_parts(pool) -> None:
    parts = [DrawPart("Kinh tế số", "hard", 10), DrawPart(None, "hard", 5)]
    drawn = draw_questions(pool, parts, random.Random(7))
    assert len(set(drawn)) == 15
    assert sum(1 for q in drawn if q // 100 == 1 and (q // 10) % 10 == 2) == 10


def test_draw_is_uniform(pool) -> None:
    counts: Counter[int] = Counter()
    rng = random.Random(2026)
    for _ in range(3000):
        counts.update(draw_questions(pool, [DrawPart(None, None, 9)], rng))
    # each of 90 questions is expected 300 times; a fair draw keeps every count within +-25 %
    assert len(counts) == 90
    assert min(counts.values()) > 225 and max(counts.values()) < 375


def test_not_enough_questions_is_a_clear_error(pool) -> None:
    with pytest.raises(NotEnoughQuestions) as error:
        draw_questions(pool, [DrawPart("Kinh tế số", "easy", 11)], random.Random(0))
    assert error.value.available == 10
    assert "chỉ còn 10 câu cho Kinh tế số / easy, cần 11" in str(error.value)
    with pytest.raises(NotEnoughQuestions):
        pool.check([DrawPart(None, "easy", 25), DrawPart("Xã hội số", "easy", 6)])


def test_options_are_shuffled_reproducibly() -> None:
    assert shuffle_options([1, 2, 3, 4], random.Random(5)) == shuffle_options([1, 2, 3, 4], random.Random(5))
    orders = {tuple(shuffle_options([1, 2, 3, 4], random.Random(seed))) for seed in range(200)}
    assert len(orders) == 24  # every order of four options occurs


def test_a_part_may_ask_for_a_kind_of_question_and_kinds_leave_the_old_draws_unchanged() -> None:
    rows = [(i, "CĐS", "easy", "true_false" if i % 3 == 0 else "single") for i in range(1, 31)]
    pool = QuestionPool.build(rows)
    parts = [DrawPart(None, None, 4, "true_false"), DrawPart(None, "easy", 6, "single")]
    for seed in range(30):
        drawn = draw_questions(pool, parts, random.Random(seed))
        assert sum(question_id % 3 == 0 for question_id in drawn) == 4 and len(set(drawn)) == 10
    with pytest.raises(NotEnoughQuestions) as refused:
        draw_questions(pool, [DrawPart(None, None, 11, "true_false")], random.Random(0))
    assert refused.value.available == 10
    # a pool built without kinds (every question single) draws as a pool with kinds draws when no part names one
    plain = QuestionPool.build((i, topic, level) for i, topic, level, _kind in rows)
    for seed in range(10):
        assert draw_questions(plain, [DrawPart(None, None, 12)], random.Random(seed)) == draw_questions(
            pool, [DrawPart(None, None, 12)], random.Random(seed)
        )
