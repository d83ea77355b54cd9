"""Moodle's GIFT format, multiple-choice questions only (single and multiple answer).

A question is `[::title::] [[format]] text { =right ~wrong ... }`, questions separated by blank lines,
`//` comments, `$CATEGORY:` lines (the last part becomes the topic), `\\` escapes for ~=#{}:.
Answers with a percentage (`~%50%x`) are right when the weight is positive. Other question types
(true/false, short answer, matching, numerical, essay, description) are reported with their line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from question_bank.messages import N_, Message
from question_bank.model import FALSE_TEXT, LETTERS, TRUE_TEXT, DraftOption, DraftQuestion, FileProblem, ReadResult
from question_bank.pictures import Pictures, picture_in_html
from question_bank.text import clean

_ESCAPES = {
    "\\\\": "\x07",
    "\\~": "\x01",
    "\\=": "\x02",
    "\\#": "\x03",
    "\\{": "\x04",
    "\\}": "\x05",
    "\\:": "\x06",
    "\\n": "\n",
}
_UNESCAPE = {"\x07": "\\", "\x01": "~", "\x02": "=", "\x03": "#", "\x04": "{", "\x05": "}", "\x06": ":"}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TITLE = re.compile(r"^::(.*?)::", re.DOTALL)


@dataclass
class _Block:
    line: int
    text: str


def _escape(text: str) -> str:
    for sequence, placeholder in _ESCAPES.items():
        text = text.replace(sequence, placeholder)
    return text


def _unescape(text: str) -> str:
    for placeholder, char in _UNESCAPE.items():
        text = text.replace(placeholder, char)
    return clean(text)


def _blocks(source: str) -> tuple[list[_Block], list[tuple[int, str]]]:
    """Question blocks (with their first line) and $CATEGORY lines, in file order."""
    blocks: list[_Block] = []
    categories: list[tuple[int, str]] = []
    current: list[str] = []
    open_braces = 0  # of the current block, kept line by line: re-counting the block at every blank line
    start = 0  # was quadratic in a long block whose braces never close
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:"):
            categories.append((number, stripped[len("$CATEGORY:") :].strip()))
            continue
        if not stripped:
            if current and open_braces == 0:
                blocks.append(_Block(start, "\n".join(current)))
                current = []
            continue
        if not current:
            start, open_braces = number, 0
        current.append(line)
        open_braces += _brace_balance(line)
    if current:
        blocks.append(_Block(start, "\n".join(current)))
    return blocks, categories


def _brace_balance(line: str) -> int:
    """Opening minus closing braces of a line, escaped ones (\\{ \\}) left out."""
    escaped = _escape(line)
    return escaped.count("{") - escaped.count("}")


def _topic_at(line: int, category_lines: list[int], categories: list[tuple[int, str]]) -> str:
    """The topic of the last $CATEGORY before `line` (categories are in file order, `category_lines` their lines)."""
    index = bisect.bisect_left(category_lines, line) - 1
    if index < 0:
        return ""
    last = re.split(r"(?<!/)/(?!/)", categories[index][1])[-1]  # "//" is a slash within a category's name
    return last.replace("//", "/").replace("$course$", "").strip()


def _parse_answers(body: str) -> tuple[list[tuple[bool, str]], str] | None:
    """The answers of a multiple-choice block and its general feedback, or None for other types."""
    general = ""
    if "####" in body:
        body, general = body.split("####", 1)
    answers: list[tuple[bool, str]] = []
    parts = re.split(r"([~=])", body)
    if parts[0].strip():
        return None
    for index in range(1, len(parts), 2):
        marker, content = parts[index], parts[index + 1]
        content = content.split("#", 1)[0]  # per-answer feedback is not kept
        weight = _WEIGHT.match(content.strip())
        if weight:
            right = float(weight.group(1)) > 0
            content = content.strip()[weight.end() :]
        else:
            right = marker == "="
        answers.append((right, content))
    if not any(right for right, _ in answers):
        return None
    return answers, general


def read_gift(source: str, pictures: Pictures | None = None) -> ReadResult:
    """GIFT's questions; an <img> in an [html] text is the question's or option's picture, found in `pictures`
    (the files of the zip the GIFT file came in)."""
    blocks, categories = _blocks(source.replace("\r\n", "\n").lstrip("\ufeff"))
    category_lines = [category_line for category_line, _path in categories]
    questions: list[DraftQuestion] = []
    problems: list[FileProblem] = []
    skipped: list[FileProblem] = []
    for block in blocks:
        escaped = _escape(block.text)
        open_at, close_at = escaped.find("{"), escaped.rfind("}")
        if open_at < 0 or close_at < open_at:
            skipped.append(FileProblem(block.line, N_("a description (no answers) is not a multiple-choice question")))
            continue
        head = escaped[:open_at] + escaped[close_at + 1 :]
        body = escaped[open_at + 1 : close_at].strip()
        head = _TITLE.sub("", head.strip(), count=1).strip()
        head = _FORMAT.sub("", head, count=1)
        text, image, picture_problems = picture_in_html(pictures, _unescape(head))
        if picture_problems:
            problems += [FileProblem(block.line, problem) for problem in picture_problems]
            continue
        true_false = _true_false(body)
        if true_false is not None:
            if not text:
                problems.append(FileProblem(block.line, N_("the question text is missing")))
                continue
            right, explanation = true_false
            questions.append(
                DraftQuestion(
                    line=block.line,
                    text=text,
                    options=[DraftOption(0, TRUE_TEXT, right), DraftOption(1, FALSE_TEXT, not right)],
                    topic=_topic_at(block.line, category_lines, categories),
                    explanation=_unescape(explanation),
                    image=image,
                )
            )
            continue
        kind = _unsupported_kind(body)
        if kind:
            skipped.append(FileProblem(block.line, N_("%(kind)s questions are not supported yet", kind=kind)))
            continue
        parsed = _parse_answers(body)
        if parsed is None:
            problems.append(
                FileProblem(block.line, N_("a multiple-choice question needs at least one right answer (=)"))
            )
            continue
        answers, general = parsed
        if not text:
            problems.append(FileProblem(block.line, N_("the question text is missing")))
            continue
        if len(answers) > len(LETTERS):
            problems.append(
                FileProblem(
                    block.line, N_("%(count)d options, at most %(limit)d", count=len(answers), limit=len(LETTERS))
                )
            )
            continue
        options = []
        for position, (right, content) in enumerate(answers):
            option_text, option_image, picture_problems = picture_in_html(pictures, _unescape(content))
            problems += [
                FileProblem(block.line, N_("option %(letter)s: %(problem)s", letter=LETTERS[position], problem=p))
                for p in picture_problems
            ]
            options.append(DraftOption(position, option_text, right, option_image))
        if any(problem.line == block.line for problem in problems):
            continue
        if any(not option.text and option.image is None for option in options):
            problems.append(FileProblem(block.line, N_("an option is empty")))
            continue
        questions.append(
            DraftQuestion(
                line=block.line,
                text=text,
                options=options,
                topic=_topic_at(block.line, category_lines, categories),
                explanation=_unescape(general),
                image=image,
            )
        )
    return ReadResult(questions, problems, skipped, line_label="line")


_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(?:#([^#]*))?(?:#([^#]*))?$", re.I)


def _true_false(body: str) -> tuple[bool, str] | None:
    """Moodle's true/false: {T}, {F}, {TRUE}, {FALSE}, with optional feedback ({T#if wrong#if right}) and general
    feedback after ####; the explanation kept is the general feedback, else the feedback for a right answer."""
    general = ""
    if "####" in body:
        body, general = body.split("####", 1)
    matched = _TRUE_FALSE.match(body.strip())
    if matched is None:
        return None
    right = matched.group(1).upper() in ("T", "TRUE")
    feedback = (matched.group(3) or matched.group(2) or "").strip()
    return right, (general.strip() or feedback)


def _unsupported_kind(body: str) -> Message | None:
    stripped = body.strip()
    if stripped == "":
        return N_("Essay")
    if "->" in stripped:
        return N_("Matching")
    if stripped.upper() in ("T", "F", "TRUE", "FALSE") or re.match(r"^(T|F|TRUE|FALSE)\s*#", stripped, re.I):
        return N_("True/false")
    if stripped.startswith("#"):
        return N_("Numerical")
    if "~" not in stripped.split("####", 1)[0]:
        return N_("Short answer")
    return None
