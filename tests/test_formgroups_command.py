"""`manage.py formgroups PROBLEM.json`: the solution on stdout, or an error object and exit 2."""

import io
import json

import pytest
from django.core.management import call_command

PROBLEM = {
    "method": "matching",
    "group_size": {"min": 2, "max": 3},
    "seed": 1,
    "participants": [
        {"id": "ann", "choices": ["bo"]},
        {"id": "bo", "choices": ["ann"]},
        {"id": "cy", "choices": ["di"]},
        {"id": "di", "choices": ["cy"]},
    ],
}


def run(*args, stdin=None, monkeypatch=None):
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("formgroups", *args, stdout=out)
    return out.getvalue()


def test_prints_the_solution_as_json(tmp_path):
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(PROBLEM))
    solution = json.loads(run(str(path)))
    groups = sorted(sorted(g["members"]) for g in solution["groups"])
    assert groups == [["ann", "bo"], ["cy", "di"]]
    assert solution["scores"]["mutual_pairs_kept"] == 2


def test_reads_stdin(monkeypatch):
    solution = json.loads(run("-", stdin=json.dumps(PROBLEM), monkeypatch=monkeypatch))
    assert solution["scores"]["choices_kept"] == 4


def test_bad_problem_prints_error_and_exits_2(tmp_path, monkeypatch):
    bad = dict(
        PROBLEM, participants=[*PROBLEM["participants"][:3], {"id": "di", "choices": ["zed"]}]
    )
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    out = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("formgroups", str(path), stdout=out)
    assert caught.value.code == 2
    error = json.loads(out.getvalue())
    assert error["error"] == "The problem has errors."
    assert error["details"] == ["di chose 'zed', who is not in this round."]


@pytest.mark.parametrize(
    ("text", "expected"), [("{not json", "not valid JSON"), ("[]", "must be a JSON object")]
)
def test_unreadable_input_exits_2(monkeypatch, text, expected):
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    out = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("formgroups", "-", stdout=out)
    assert caught.value.code == 2
    assert expected in json.loads(out.getvalue())["error"]


def test_missing_file_exits_2(tmp_path):
    out = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("formgroups", str(tmp_path / "nope.json"), stdout=out)
    assert caught.value.code == 2
    assert "Cannot read" in json.loads(out.getvalue())["error"]
