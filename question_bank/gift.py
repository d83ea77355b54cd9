"""Moodle's GIFT format, multiple-choice questions only (single and multiple answer), read as Moodle reads it
(question/format/gift/format.php is the reference).

A question is `[::title::] [[format]] text { =right ~wrong ... }`; questions are separated by blank lines, `//`
lines are comments, `$CATEGORY:` lines name the topic (its last part), `\\` escapes ~=#{}: and `\\n` is a line
break. The answers are the first `{...}` of the question; text after it makes a missing-word question, whose blank
is shown as "_____". Text without a format, or `[plain]`, is plain text (a "<" stays a "<"); `[html]` and
`[moodle]` are HTML, `[markdown]` Markdown; answers and feedback take the question's format unless they declare
their own. A multiple-answer question is Moodle's form in which every right option carries the same positive weight
(`~%50%a ~%50%b ~%-100%c`); any other use of weights, or several `=`, is partial credit or "any one is right",
which this platform does not give: refused with the line. Other question types (short answer, matching, numerical,
essay, description) are reported with their line.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

import markdown

from question_bank.messages import N_, Message
from question_bank.model import FALSE_TEXT, LETTERS, TRUE_TEXT, DraftOption, DraftQuestion, FileProblem, ReadResult
from question_bank.pictures import Pictures, picture_in_html
from question_bank.sanitize import html_paragraphs
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
_WEIGHT = re.compile(r"^%(-?\d+(?:[.,]\d+)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TITLE = re.compile(r"^::(.*?)::", re.DOTALL)
BLANK = "_____"  # a missing-word question's blank, as Moodle shows it


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


def _with_format(escaped: str, default: str) -> tuple[str, str]:
    """A text's own format tag (or `default`) and the text without it."""
    stripped = escaped.strip()
    declared = _FORMAT.match(stripped)
    if declared is None:
        return default, stripped
    return declared.group(1).lower(), stripped[declared.end() :]


def as_html(text: str, text_format: str) -> str:
    """A GIFT text (unescaped) as the HTML a question stores: plain text escaped, Markdown converted, HTML kept
    (sanitised later, its paragraphs kept apart as line breaks)."""
    if text_format == "plain":
        return html.escape(text, quote=False)
    if text_format == "markdown":
        return html_paragraphs(markdown.markdown(text))
    return html_paragraphs(text)


def _blocks(source: str) -> tuple[list[_Block], list[tuple[int, str]]]:
    """Question blocks (with their first line) and $CATEGORY lines, in file order. As in Moodle, a blank line ends
    a question whatever it holds: an answer block left open is reported, never continued into the next question."""
    blocks: list[_Block] = []
    categories: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:"):
            categories.append((number, stripped[len("$CATEGORY:") :].strip()))
            continue
        if not stripped:
            if current:
                blocks.append(_Block(start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(_Block(start, "\n".join(current)))
    return blocks, categories


def _topic_at(line: int, category_lines: list[int], categories: list[tuple[int, str]]) -> str:
    """The topic of the last $CATEGORY before `line` (categories are in file order, `category_lines` their lines)."""
    index = bisect.bisect_left(category_lines, line) - 1
    if index < 0:
        return ""
    last = re.split(r"(?<!/)/(?!/)", categories[index][1])[-1]  # "//" is a slash within a category's name
    return last.replace("//", "/").replace("$course$", "").strip()


@dataclass
class _Answer:
    right: bool
    weight: float  # Moodle's percentage: 100 for "=", the declared one or 0 for "~"
    marker: str  # "=" or "~"
    text: str  # escaped, feedback removed


def _general_feedback(body: str) -> tuple[str, str]:
    """The answers and the general feedback (after the last ####)."""
    if "####" not in body:
        return body, ""
    answers, _, general = body.rpartition("####")
    return answers, general


def _parse_answers(body: str) -> list[_Answer] | None:
    """The answers of a multiple-choice block (Moodle: a block with a "~"), or None for other types."""
    parts = re.split(r"([~=])", body)
    if parts[0].strip():
        return None
    answers: list[_Answer] = []
    for index in range(1, len(parts), 2):
        marker, content = parts[index], parts[index + 1]
        content = content.split("#", 1)[0].strip()  # per-answer feedback is not kept
        weight = 100.0 if marker == "=" else 0.0
        declared = _WEIGHT.match(content) if marker == "~" else None  # Moodle reads no weight after "="
        if declared:
            weight = float(declared.group(1).replace(",", "."))
            content = content[declared.end() :]
        answers.append(_Answer(weight > 0, weight, marker, content))
    return answers


def _scoring_problem(answers: list[_Answer]) -> Message | None:
    """What this platform cannot score as the file means it: partial credit, or "any one of these is right"."""
    rights = [answer for answer in answers if answer.right]
    if not rights:
        return N_("a multiple-choice question needs at least one right answer (=)")
    equals = [answer for answer in answers if answer.marker == "="]
    if len(equals) > 1:
        return N_(
            "%(count)d answers marked = (Moodle: any one of them is right): this platform gives one right answer, "
            'or several that must all be chosen; write one "=", or write each right answer "~%%50%%..." with equal '
            "weights",
            count=len(equals),
        )
    weights = {round(answer.weight, 3) for answer in rights}
    total = sum(answer.weight for answer in rights)
    if len(weights) > 1 or abs(total - 100) > 0.01:
        return N_(
            "partial credit (%(weights)s) is not given on this platform: a question has one right answer (=), or "
            'several right answers with equal weights summing to 100 ("~%%50%%a ~%%50%%b ~%%-100%%c"), all of '
            "which must be chosen",
            weights=", ".join(f"{answer.weight:g}%" for answer in rights),
        )
    return None


def _answer_block(escaped: str) -> tuple[int, int] | Message | None:
    """Where the answers are (Moodle: from the first "{" to the first "}" after it); None for a description."""
    open_at, close_at = escaped.find("{"), escaped.find("}")
    if open_at < 0 and close_at < 0:
        return None
    if open_at < 0 or close_at < open_at:
        return N_('a "}" without its "{": write the answers between "{" and "}" (or escape a brace as "\\}")')
    if escaped.find("}", open_at) < 0:
        return N_(
            'the "{" that opens the answers is not closed: end them with "}" before the blank line that ends the '
            "question"
        )
    return open_at, escaped.find("}", open_at)


def read_gift(source: str, pictures: Pictures | None = None) -> ReadResult:
    """GIFT's questions; an <img> in an [html] text is the question's or option's picture, found in `pictures`
    (the files of the zip the GIFT file came in)."""
    blocks, categories = _blocks(source.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    category_lines = [category_line for category_line, _path in categories]
    questions: list[DraftQuestion] = []
    problems: list[FileProblem] = []
    skipped: list[FileProblem] = []
    for block in blocks:
        escaped = _escape(block.text)
        found = _answer_block(escaped)
        if found is None:
            skipped.append(FileProblem(block.line, N_("a description (no answers) is not a multiple-choice question")))
            continue
        if isinstance(found, Message):
            problems.append(FileProblem(block.line, found))
            continue
        open_at, close_at = found
        before, after = escaped[:open_at].strip(), escaped[close_at + 1 :].strip()
        head = f"{before} {BLANK} {after}" if after else before  # Moodle's missing-word form keeps its blank
        body = escaped[open_at + 1 : close_at].strip()
        head = _TITLE.sub("", head.strip(), count=1).strip()
        text_format, head = _with_format(head, "plain")
        text, image, picture_problems = picture_in_html(
            pictures if text_format != "plain" else None, as_html(_unescape(head), text_format)
        )
        if picture_problems:
            problems += [FileProblem(block.line, problem) for problem in picture_problems]
            continue
        true_false = _true_false(body)
        if true_false is not None:
            if not text:
                problems.append(FileProblem(block.line, N_("the question text is missing")))
                continue
            right, explanation = true_false
            explanation_format, explanation = _with_format(explanation, text_format)
            questions.append(
                DraftQuestion(
                    line=block.line,
                    text=text,
                    options=[DraftOption(0, TRUE_TEXT, right), DraftOption(1, FALSE_TEXT, not right)],
                    topic=_topic_at(block.line, category_lines, categories),
                    explanation=as_html(_unescape(explanation), explanation_format),
                    image=image,
                )
            )
            continue
        kind = _unsupported_kind(body)
        if kind:
            skipped.append(FileProblem(block.line, N_("%(kind)s questions are not supported yet", kind=kind)))
            continue
        answers_text, general = _general_feedback(body)
        answers = _parse_answers(answers_text)
        if answers is None:
            problems.append(FileProblem(block.line, N_("text before the first answer (~ or =) inside the braces")))
            continue
        scoring = _scoring_problem(answers)
        if scoring is not None:
            problems.append(FileProblem(block.line, scoring))
            continue
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
        for position, answer in enumerate(answers):
            answer_format, content = _with_format(answer.text, text_format)
            option_text, option_image, picture_problems = picture_in_html(
                pictures if answer_format != "plain" else None, as_html(_unescape(content), answer_format)
            )
            problems += [
                FileProblem(block.line, N_("option %(letter)s: %(problem)s", letter=LETTERS[position], problem=p))
                for p in picture_problems
            ]
            options.append(DraftOption(position, option_text, answer.right, option_image))
        if any(problem.line == block.line for problem in problems):
            continue
        if any(not option.text and option.image is None for option in options):
            problems.append(FileProblem(block.line, N_("an option is empty")))
            continue
        general_format, general = _with_format(general, text_format)
        questions.append(
            DraftQuestion(
                line=block.line,
                text=text,
                options=options,
                topic=_topic_at(block.line, category_lines, categories),
                explanation=as_html(_unescape(general), general_format),
                image=image,
            )
        )
    return ReadResult(questions, problems, skipped, line_label="line")


_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(?:#([^#]*))?(?:#([^#]*))?$", re.I)


def _true_false(body: str) -> tuple[bool, str] | None:
    """Moodle's true/false: {T}, {F}, {TRUE}, {FALSE}, with optional feedback ({T#if wrong#if right}) and general
    feedback after ####; the explanation kept is the general feedback, else the feedback for a right answer."""
    body, general = _general_feedback(body)
    matched = _TRUE_FALSE.match(body.strip())
    if matched is None:
        return None
    right = matched.group(1).upper() in ("T", "TRUE")
    feedback = (matched.group(3) or matched.group(2) or "").strip()
    return right, (general.strip() or feedback)


def _unsupported_kind(body: str) -> Message | None:
    """Moodle's order: {} essay, "#" numerical, any "~" multiple choice, "=" with "->" matching, else short answer."""
    stripped = _general_feedback(body)[0].strip()
    if stripped == "":
        return N_("Essay")
    if stripped.startswith("#"):
        return N_("Numerical")
    if "~" in stripped:
        return None
    if "->" in stripped:
        return N_("Matching")
    return N_("Short answer")
