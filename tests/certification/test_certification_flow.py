"""The core path: check-in, theory + practical + written part, blind marking, release, results."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.certification import practical, queries
from academy.certification.demo import answer_theory
from academy.certification.marking.models import DecisionRule, JudgedResponse, Mark
from academy.certification.marking.operations import (
    decide_appeal,
    lodge_appeal,
    submit_blind_mark,
    submit_third_mark,
)
from academy.certification.models import Candidate, CandidateStatus, Sitting
from academy.certification.results.operations import release_results
from academy.certification.sittings import delivery
from academy.db import db, utcnow
from academy.errors import OperationError
from tests.certification.conftest import get


def _candidates(sitting: Sitting) -> list[Candidate]:
    return sorted(sitting.candidates, key=lambda c: c.user_id)


def _sit(candidate: Candidate, careful: bool) -> None:
    delivery.start_exam(candidate)
    if careful:
        answer_theory(candidate, 1.0, random.Random(candidate.number))
    practical.play_scripted(candidate.market_id, candidate.user, careful=careful, days=25)
    delivery.save_response(candidate, "offer-letter", "Dear buyer ..." if careful else "cheap")


def _response(candidate: Candidate) -> JudgedResponse:
    return db.session.scalar(
        sa.select(JudgedResponse).where(JudgedResponse.candidate_id == candidate.id)
    )


@pytest.fixture
def sat(app, make_cert_world):
    """Two candidates sat: a careful one and a careless one; marking still to do."""
    world = make_cert_world(students=2)
    with app.app_context(), db.unit_of_work():
        sitting = get(Sitting, world.sitting_id)
        invigilator = db.session.merge(world.users["invigilator"])
        careful, careless = _candidates(sitting)
        for candidate in (careful, careless):
            delivery.check_in(candidate, invigilator, "A1", True)
        _sit(careful, True)
        _sit(careless, False)
        delivery.finish_exam(careful)
        delivery.finish_exam(careless)
        # the sitting is over: move its end into the past so results can be released
        sitting.ends_dt = utcnow() - timedelta(seconds=1)
    return world


def test_careful_candidate_reaches_the_level_and_careless_is_told_why(app, sat):
    with app.app_context(), db.unit_of_work():
        sitting = get(Sitting, sat.sitting_id)
        careful, careless = _candidates(sitting)
        examiner, examiner2, chief = (
            db.session.merge(sat.users[k]) for k in ("examiner", "examiner2", "chief")
        )
        submit_blind_mark(_response(careful), examiner, 8)
        submit_blind_mark(_response(careful), examiner2, 9)
        submit_blind_mark(_response(careless), examiner, 1)
        submit_blind_mark(_response(careless), examiner2, 6)  # beyond the tolerance of 2
        assert _response(careless).needs_third_mark
        with pytest.raises(OperationError) as refused:
            release_results(sitting)
        assert refused.value.code == "marking_incomplete"
        submit_third_mark(_response(careless), chief, 2)
        assert release_results(sitting) == 2

    with app.app_context():
        sitting = get(Sitting, sat.sitting_id)
        careful, careless = _candidates(sitting)
        good = queries.result_of(careful)
        bad = queries.result_of(careless)
        assert good.is_level_achieved, good.reasons
        assert {u["code"]: u["met"] for u in good.units} == {"U1": True, "U2": True}
        assert good.parts["practical"]["points"] == "20.0"
        assert _response(careful).final_marks == 9  # mean 8.5, half up
        assert [d.rule for d in _response(careless).decisions] == [DecisionRule.CHIEF_EXAMINER]
        assert not bad.is_level_achieved
        keys = [reason["key"] for reason in bad.reasons]
        assert "total_below" in keys and "criterion" in keys
        margin = next(r for r in bad.reasons if r["key"] == "criterion")["criterion"]
        assert margin["key"] == "win_rfq.margin" and not margin["met"]
        achievements = queries.released_achievements(sitting)
        assert [a.holder.id for a in achievements] == [careful.user_id]
        assert achievements[0].level_code == "intermediate"
        assert {code for code, _title, _zh in achievements[0].units} == {"U1", "U2"}


def test_the_practical_market_stops_when_the_exam_is_handed_in(app, sat):
    with app.app_context(), db.unit_of_work():
        careful, _ = _candidates(get(Sitting, sat.sitting_id))
        day, running = practical.practical_day(careful.market_id)
        assert day == 25 and not running
        assert careful.status == CandidateStatus.FINISHED
        with pytest.raises(OperationError):
            delivery.advance_practical(careful, 1)


def test_an_appeal_remark_is_logged_and_never_overwrites(app, sat):
    with app.app_context(), db.unit_of_work():
        sitting = get(Sitting, sat.sitting_id)
        careful, careless = _candidates(sitting)
        examiner, examiner2, chief = (
            db.session.merge(sat.users[k]) for k in ("examiner", "examiner2", "chief")
        )
        for candidate, (a, b) in ((careful, (8, 8)), (careless, (3, 4))):
            submit_blind_mark(_response(candidate), examiner, a)
            submit_blind_mark(_response(candidate), examiner2, b)
        release_results(sitting)
        appeal = lodge_appeal(careless, "My letter named the price and the term.")
        response = _response(careless)
        decide_appeal(appeal, chief, "Re-marked: complete terms.", {response.id: 7})
        marks = db.session.scalars(
            sa.select(Mark).where(Mark.response_id == response.id).order_by(Mark.round)
        ).all()
        assert [(m.round, m.marks) for m in marks] == [(1, 3), (2, 4), (4, 7)]
        assert [d.rule for d in response.decisions] == [
            DecisionRule.MEAN_WITHIN_TOLERANCE,
            DecisionRule.APPEAL_REMARK,
        ]
        assert response.final_marks == 7
        assert queries.result_of(careless).parts["judged"]["points"] == "7"
