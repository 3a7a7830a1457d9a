"""Quiz settings from lesson front matter, and the course-package extension.

The catalog reads packages; this extension owns ``questions/*.toml`` and the quiz keys
of quiz lessons (see courses/README.md). It validates them with file and line,
imports the questions into the course's bank (owned by the course's lead partner), keeps
one ``Quiz`` per quiz lesson, and writes both back on export. Re-importing an unchanged
package changes nothing; a changed question gets a new version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from academy.assessment import operations
from academy.assessment.models import GradeKept, Question, QuestionBank, Quiz, ReviewPolicy
from academy.assessment.questionfile import dump_question_file, parse_question_file
from academy.db import db

QUIZ_DEFAULTS: dict[str, Any] = {
    "questions": [],
    "draw": [],
    "pass_mark": 60,
    "time_limit_minutes": None,
    "attempts": None,
    "grade_kept": "highest",
    "shuffle_questions": False,
    "shuffle_options": True,
    "review": "after_submit",
    "open_date": None,
    "close_date": None,
}


def check_quiz_settings(settings: dict[str, Any], topics: dict[str, list[int]]) -> list[str]:
    """Problems with a quiz lesson's keys; ``topics`` maps topic → difficulties in the bank."""
    problems = []
    files = settings.get("questions", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        problems.append("'questions' must be a list of question files")
    draw = settings.get("draw", [])
    if not isinstance(draw, list):
        problems.append("'draw' must be a list of { topic, count, difficulty }")
        draw = []
    for number, rule in enumerate(draw, start=1):
        if (
            not isinstance(rule, dict)
            or not isinstance(rule.get("topic"), str)
            or not isinstance(rule.get("count"), int)
            or rule["count"] < 1
            or set(rule) - {"topic", "count", "difficulty"}
        ):
            problems.append(f"draw {number} needs a 'topic', a 'count' of at least 1")
            continue
        level = rule.get("difficulty")
        if level is not None and (not isinstance(level, int) or not 1 <= level <= 5):
            problems.append(f"draw {number}: 'difficulty' must be 1 to 5")
            continue
        have = [d for d in topics.get(rule["topic"], []) if level is None or d == level]
        if len(have) < rule["count"]:
            problems.append(
                f"draw {number} asks for {rule['count']} questions on {rule['topic']!r}"
                + (f" of difficulty {level}" if level else "")
                + f" but the bank has {len(have)}"
            )
    if not files and not draw:
        problems.append("a quiz needs 'questions' or 'draw'")
    mark = settings.get("pass_mark", 60)
    if isinstance(mark, bool) or not isinstance(mark, (int, float)) or not 0 <= mark <= 100:
        problems.append("'pass_mark' must be a percentage from 0 to 100")
    for key in ("time_limit_minutes", "attempts"):
        value = settings.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 1
        ):
            problems.append(f"'{key}' must be a whole number of at least 1")
    if settings.get("grade_kept", "highest") not in [g.value for g in GradeKept]:
        problems.append("'grade_kept' must be highest, last or average")
    if settings.get("review", "after_submit") not in [r.value for r in ReviewPolicy]:
        problems.append("'review' must be after_submit, after_close or never")
    for key in ("shuffle_questions", "shuffle_options"):
        if key in settings and not isinstance(settings[key], bool):
            problems.append(f"'{key}' must be true or false")
    for key in ("open_date", "close_date"):
        value = settings.get(key)
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            problems.append(
                f"'{key}' must be a date and time with a zone, e.g. 2026-09-01T08:00:00Z"
            )
    opens, closes = settings.get("open_date"), settings.get("close_date")
    if (
        isinstance(opens, datetime)
        and isinstance(closes, datetime)
        and not problems
        and closes <= opens
    ):
        problems.append("'close_date' must come after 'open_date'")
    return problems


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(UTC)


def apply_quiz_settings(
    quiz: Quiz, settings: dict[str, Any], keys_by_file: dict[str, list[str]]
) -> None:
    """Copy front-matter settings onto ``quiz``; assigning equal values changes nothing."""
    merged = {**QUIZ_DEFAULTS, **settings}
    keys = [key for path in merged["questions"] for key in keys_by_file.get(path, [])]
    values = {
        "question_keys": keys,
        "draw": [dict(rule) for rule in merged["draw"]],
        "pass_mark": float(merged["pass_mark"]),
        "time_limit_minutes": merged["time_limit_minutes"],
        "max_attempts": merged["attempts"],
        "grade_kept": GradeKept(merged["grade_kept"]),
        "is_shuffling_questions": merged["shuffle_questions"],
        "is_shuffling_options": merged["shuffle_options"],
        "review": ReviewPolicy(merged["review"]),
        "open_dt": _aware(merged["open_date"]),
        "close_dt": _aware(merged["close_date"]),
    }
    for name, value in values.items():
        if getattr(quiz, name) != value:
            setattr(quiz, name, value)


def quiz_front_matter(quiz: Quiz) -> dict[str, Any]:
    """The quiz keys of a lesson's front matter, for export."""
    files: list[str] = []
    if quiz.question_keys:
        sources = dict(
            db.session.execute(
                sa.select(Question.key, Question.source_file).where(
                    Question.bank_id == quiz.bank_id, Question.key.in_(quiz.question_keys)
                )
            ).all()
        )
        for key in quiz.question_keys:
            path = sources.get(key) or "questions/bank.toml"
            if path not in files:
                files.append(path)
    matter: dict[str, Any] = {}
    if files:
        matter["questions"] = files
    if quiz.draw:
        matter["draw"] = [dict(rule) for rule in quiz.draw]
    matter["pass_mark"] = int(quiz.pass_mark) if quiz.pass_mark.is_integer() else quiz.pass_mark
    if quiz.time_limit_minutes:
        matter["time_limit_minutes"] = quiz.time_limit_minutes
    if quiz.max_attempts:
        matter["attempts"] = quiz.max_attempts
    matter["grade_kept"] = quiz.grade_kept.value
    matter["shuffle_questions"] = quiz.is_shuffling_questions
    matter["shuffle_options"] = quiz.is_shuffling_options
    matter["review"] = quiz.review.value
    if quiz.open_dt:
        matter["open_date"] = quiz.open_dt
    if quiz.close_dt:
        matter["close_date"] = quiz.close_dt
    return matter


def quiz_for_lesson(lesson: Any) -> Quiz | None:
    return db.session.scalar(sa.select(Quiz).where(Quiz.lesson_id == lesson.id))


class AssessmentPackageExtension:
    """Owns ``questions/*.toml`` and the quiz keys of quiz lessons in course packages."""

    lesson_kinds = frozenset({"quiz"})

    def _question_files(self, package: Any) -> list[Path]:
        return sorted((Path(package.root) / "questions").glob("*.toml"))

    def _read(self, package: Any) -> tuple[dict[str, list[dict[str, Any]]], list[Any]]:
        from academy.catalog.packages import Problem

        by_file: dict[str, list[dict[str, Any]]] = {}
        problems: list[Any] = []
        seen: dict[str, str] = {}
        for path in self._question_files(package):
            shown = package.relative(path)
            text = path.read_text(encoding="utf-8")
            parsed = parse_question_file(text, shown)
            problems += [Problem(p.path, p.line, p.message) for p in parsed.problems]
            for spec, line in zip(parsed.specs, parsed.lines, strict=True):
                key = spec.get("id")
                if isinstance(key, str) and key in seen and seen[key] != shown:
                    problems.append(Problem(shown, line, f"id {key!r} is also used in {seen[key]}"))
                if isinstance(key, str):
                    seen.setdefault(key, shown)
            by_file[f"questions/{path.name}"] = parsed.specs
        return by_file, problems

    def validate(self, package: Any) -> list[Any]:
        from academy.catalog.packages import Problem

        by_file, problems = self._read(package)
        topics: dict[str, list[int]] = {}
        for specs in by_file.values():
            for spec in specs:
                if isinstance(spec.get("topic"), str):
                    topics.setdefault(spec["topic"], []).append(spec.get("difficulty", 2))
        for _module, lesson in package.lessons():
            if lesson.kind != "quiz":
                continue
            settings = lesson.front_matter
            shown = package.relative(lesson.source.path)
            for path in settings.get("questions", []) or []:
                if isinstance(path, str) and path not in by_file:
                    problems.append(
                        Problem(
                            shown, lesson.source.line_of("questions"), f"no question file {path}"
                        )
                    )
            for message in check_quiz_settings(settings, topics):
                key = message.split("'")[1] if "'" in message else "kind"
                problems.append(Problem(shown, lesson.source.line_of(key), message))
            if settings.get("review") == ReviewPolicy.AFTER_CLOSE and not settings.get(
                "close_date"
            ):
                # The web form refuses the same (review_contradiction): answers promised
                # "after close" would never be shown to anyone.
                problems.append(
                    Problem(
                        shown,
                        lesson.source.line_of("review"),
                        "review = \"after_close\" needs a 'close_date': without one the "
                        "answers are never shown; set a close date, or use after_submit "
                        "with limited attempts, or never",
                    )
                )
        return problems

    def import_into(self, course: Any, package: Any, actor: Any) -> None:
        organisation = course.lead_organisation
        bank = operations.get_or_create_bank(organisation, course.slug[:64], course.title)
        by_file, problems = self._read(package)
        if problems:  # the catalog validates first; this is a guard, not a report
            raise operations.BankImportError(problems)
        keys_by_file: dict[str, list[str]] = {}
        present = set()
        for path, specs in by_file.items():
            keys_by_file[path] = [spec["id"] for spec in specs]
            for spec in specs:
                operations.save_question(bank, spec, actor, source_file=path)
                present.add(spec["id"])
        for question in bank.questions:
            if question.key not in present and not question.is_retired:
                question.is_retired = True
        from academy.catalog.models import Lesson

        lessons = {
            lesson.slug: lesson
            for lesson in db.session.scalars(sa.select(Lesson).where(Lesson.course_id == course.id))
        }
        for _module, spec in package.lessons():
            lesson = lessons.get(spec.slug)
            if spec.kind != "quiz" or lesson is None:
                continue
            quiz = quiz_for_lesson(lesson)
            title = spec.front_matter.get("title", spec.slug)
            if quiz is None:
                quiz = Quiz(lesson_id=lesson.id, bank=bank, title=title)
                db.session.add(quiz)
            quiz.title = title
            quiz.title_zh = spec.front_matter.get("title_zh", "")
            if quiz.bank_id != bank.id:
                quiz.bank = bank
            apply_quiz_settings(quiz, spec.front_matter, keys_by_file)
        db.session.flush()

    def export_from(self, course: Any, destination: Path) -> None:
        bank = course_bank(course)
        if bank is None:
            return
        by_file: dict[str, list[dict[str, Any]]] = {}
        for question in sorted(bank.questions, key=lambda q: q.id):  # file order
            if question.is_retired or not question.versions:
                continue
            path = question.source_file or "questions/bank.toml"
            by_file.setdefault(path, []).append(question.latest.spec)
        for path, specs in by_file.items():
            target = Path(destination) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(dump_question_file(specs), encoding="utf-8")

    def lesson_front_matter(self, lesson: Any) -> dict[str, Any]:
        quiz = quiz_for_lesson(lesson)
        return quiz_front_matter(quiz) if quiz is not None else {}


def course_bank(course: Any) -> QuestionBank | None:
    organisation = course.lead_organisation
    if organisation is None:
        return None
    return db.session.scalar(
        sa.select(QuestionBank).where(
            QuestionBank.organisation_id == organisation.id,
            QuestionBank.slug == course.slug[:64],
        )
    )
