"""A file's reading kept with its upload: the file is read and its pictures prepared once, when it is uploaded; the
preview and the import use what was kept (a large file, or one with large pictures, costs its time once)."""

from __future__ import annotations

import json
from typing import Any

from question_bank.images import DraftImage, PreparedImage
from question_bank.messages import Message
from question_bank.model import DraftOption, DraftQuestion, FileProblem, ReadResult


def _message(message: Message) -> dict[str, Any]:
    params = {name: _message(value) if isinstance(value, Message) else value for name, value in message.params.items()}
    return {"template": message.template, "params": params}


def _message_back(data: dict[str, Any]) -> Message:
    params = {
        name: _message_back(value) if isinstance(value, dict) and "template" in value else value
        for name, value in data["params"].items()
    }
    return Message(data["template"], params)


def _image(image: DraftImage | None) -> dict[str, Any] | None:
    if image is None:
        return None
    prepared = image.image
    return {
        "source": image.source,
        "alt": image.alt,
        "digest": prepared.digest,
        "width": prepared.width,
        "height": prepared.height,
    }


def _image_back(data: dict[str, Any] | None) -> DraftImage | None:
    if data is None:
        return None
    # the pixels are in the pictures table already (stored at upload, by digest): the import finds them there
    prepared = PreparedImage(b"", data["width"], data["height"], data["digest"])
    return DraftImage(data["source"], data["alt"], prepared)


def _problem(problem: FileProblem) -> dict[str, Any]:
    return {"line": problem.line, "sheet": problem.sheet, "message": _message(problem.message)}


def _problem_back(data: dict[str, Any]) -> FileProblem:
    return FileProblem(data["line"], _message_back(data["message"]), data["sheet"])


def dump_reading(result: ReadResult) -> bytes:
    questions = [
        {
            "line": question.line,
            "sheet": question.sheet,
            "text": question.text,
            "topic": question.topic,
            "difficulty": question.difficulty,
            "explanation": question.explanation,
            "image": _image(question.image),
            "options": [
                {"position": o.position, "text": o.text, "correct": o.correct, "image": _image(o.image)}
                for o in question.options
            ],
        }
        for question in result.questions
    ]
    return json.dumps(
        {
            "questions": questions,
            "problems": [_problem(problem) for problem in result.problems],
            "skipped": [_problem(problem) for problem in result.skipped],
            "notices": [_problem(problem) for problem in result.notices],
            "line_label": result.line_label,
        },
        ensure_ascii=False,
    ).encode("utf-8")


def load_reading(raw: bytes) -> ReadResult:
    data = json.loads(raw.decode("utf-8"))
    questions = [
        DraftQuestion(
            line=item["line"],
            text=item["text"],
            options=[
                DraftOption(o["position"], o["text"], o["correct"], _image_back(o["image"])) for o in item["options"]
            ],
            topic=item["topic"],
            difficulty=item["difficulty"],
            explanation=item["explanation"],
            image=_image_back(item["image"]),
            sheet=item["sheet"],
        )
        for item in data["questions"]
    ]
    return ReadResult(
        questions,
        [_problem_back(item) for item in data["problems"]],
        [_problem_back(item) for item in data["skipped"]],
        data["line_label"],
        [_problem_back(item) for item in data["notices"]],
    )
