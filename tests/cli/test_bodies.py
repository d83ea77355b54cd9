"""`body create`, `body add-member`, `body list`, and `--body` on `contest create` and `bank import` (#29): the
command line stays whole-platform; with several bodies, what a new contest or bank belongs to is said."""

from __future__ import annotations

from sqlalchemy import select

from contest.models import Body, Contest, Membership, QuestionBank, User
from tests.factories import make_user
from tests.helpers import DEMO_DATA

SAMPLE = str(DEMO_DATA / "sample_bank.csv")


def _create(runner, name: str, short: str) -> int:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["body", "create", "--name", name, "--short", short])
    assert result.exit_code == 0, result.output
    return int(result.output.strip().splitlines()[-1])  # the id alone on the last line


def test_bodies_and_members_from_the_command_line(runner, session, clock) -> None:
    person = make_user(session, clock(), phone="0912000555")
    session.commit()
    department = _create(runner, "Sở Khoa học và Công nghệ", "Sở KH&CN")
    taken = runner.invoke(args=["body", "create", "--name", "Khác", "--short", "sở kh&cn"])
    assert taken.exit_code != 0 and "sở kh&cn" in taken.output
    unknown = runner.invoke(
        args=["body", "add-member", "--body", str(department), "--phone", "0999999999", "--role", "author"]
    )
    assert unknown.exit_code != 0 and "0999999999" in unknown.output
    bad_role = runner.invoke(
        args=["body", "add-member", "--body", str(department), "--phone", "0912000555", "--role", "boss"]
    )
    assert bad_role.exit_code != 0
    added = runner.invoke(
        args=["body", "add-member", "--body", str(department), "--phone", "0912 000 555", "--role", "author"]
    )
    assert added.exit_code == 0, added.output
    session.expire_all()
    assert session.get(User, person.id).role == "organizer"
    assert session.scalar(select(Membership.role).where(Membership.user_id == person.id)) == "author"
    listed = runner.invoke(args=["body", "list"])
    assert f"{department}\tSở KH&CN\tSở Khoa học và Công nghệ" in listed.output
    assert "\tauthor\t0912000555\t" in listed.output


def test_with_several_bodies_a_new_contest_or_bank_names_its_body(runner, session) -> None:
    # one body (or none yet): the commands work as before
    assert runner.invoke(args=["contest", "create", "--slug", "mot", "--title", "Một"]).exit_code == 0
    assert runner.invoke(args=["bank", "import", SAMPLE, "--bank", "Chung"]).exit_code == 0
    only = session.scalar(select(Body.id))
    youth = _create(runner, "Tỉnh đoàn", "Tỉnh đoàn")
    refused = runner.invoke(args=["contest", "create", "--slug", "hai", "--title", "Hai"])
    assert refused.exit_code != 0 and "--body" in refused.output
    assert session.scalar(select(Contest.id).where(Contest.slug == "hai")) is None
    created = runner.invoke(args=["contest", "create", "--slug", "hai", "--title", "Hai", "--body", str(youth)])
    assert created.exit_code == 0, created.output
    assert session.scalar(select(Contest.body_id).where(Contest.slug == "hai")) == youth
    assert runner.invoke(args=["bank", "import", SAMPLE, "--bank", "Mới"]).exit_code != 0
    assert runner.invoke(args=["bank", "import", SAMPLE, "--bank", "Mới", "--body", str(youth)]).exit_code == 0
    assert session.scalar(select(QuestionBank.body_id).where(QuestionBank.name == "Mới")) == youth
    # another body's bank name is taken, without saying by whom; the bank's own body adds to it as before
    taken = runner.invoke(args=["bank", "import", SAMPLE, "--bank", "Chung", "--body", str(youth)])
    assert taken.exit_code != 0 and "Chung" in taken.output and "Tỉnh đoàn" not in taken.output
    again = runner.invoke(args=["bank", "import", SAMPLE, "--bank", "Chung", "--body", str(only)])
    assert again.exit_code != 0 and "already taken" not in again.output and "đã được dùng" not in again.output
    # a round draws from its contest's body's banks only
    other = runner.invoke(
        args=["round", "create", "--contest", "hai", "--name", "V1", "--opens", "2026-10-20T08:00",
              "--closes", "2026-10-27T08:00", "--questions", "5", "--bank", "Chung"]
    )  # fmt: skip
    assert other.exit_code != 0 and "Chung" in other.output
