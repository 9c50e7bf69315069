"""The formation benchmark's parts: generators, exact models (HiGHS), baselines, the command."""

import itertools
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from devtools.formation_bench import baselines, bench, exact, measure
from devtools.formation_bench import instances as gen

pytest.importorskip("highspy")


def assert_partition(groups, n, gmin, gmax):
    assert sorted(i for g in groups for i in g) == list(range(n))
    assert all(gmin <= len(g) <= gmax for g in groups), [len(g) for g in groups]


def test_generators_are_deterministic_and_seeded():
    a = gen.matching_instance(37, 5, "noisy", seed=3)
    b = gen.matching_instance(37, 5, "noisy", seed=3)
    c = gen.matching_instance(37, 5, "noisy", seed=4)
    assert a.problem == b.problem and a.planted == b.planted
    assert a.problem != c.problem
    for make in (
        lambda: gen.criteria_instance(30, "noisy", "mix", seed=2),
        lambda: gen.map_instance(25, seed=2),
        lambda: gen.topic_instance(40, seed=2),
        lambda: gen.preassign_instance(30, seed=2),
    ):
        assert make().problem == make().problem


def test_matching_instance_plants_groups_and_preferences():
    inst = gen.matching_instance(37, 5, "clear", seed=1, gmin=4, gmax=6)
    assert inst.n == 37
    assert sorted(p for g in inst.planted for p in g) == sorted(gen.person_ids(37))
    assert all(4 <= len(g) <= 6 for g in inst.planted)
    home = {p: gi for gi, g in enumerate(inst.planted) for p in g}
    inside = total = 0
    for person in inst.problem["participants"]:
        assert len(person["choices"]) == 5
        assert len(set(person["choices"])) == 5 and person["id"] not in person["choices"]
        inside += sum(home[q] == home[person["id"]] for q in person["choices"])
        total += 5
    # Clear: 90% aimed inside, but a planted group of 4-6 holds only 3-5 mates.
    assert inside / total > 0.7
    random_inst = gen.matching_instance(37, 5, "random", seed=1)
    home = {p: gi for gi, g in enumerate(random_inst.planted) for p in g}
    assert not any(
        home[q] == home[p["id"]] for p in random_inst.problem["participants"] for q in p["choices"]
    )
    marks, mutual = gen.choice_pairs(inst.problem)
    assert len(marks) == 37 * 5 and mutual


def test_other_generators_follow_the_format():
    crit = gen.criteria_instance(30, "clear", "similar")
    attrs = crit.problem["participants"][0]["attributes"]
    assert set(attrs) == {"format", "region", "commitment", "expertise"}
    assert 1 <= attrs["commitment"] <= 5 and isinstance(attrs["expertise"], list)
    assert all(c["rule"] == "similar" for c in crit.problem["criteria"])
    places = gen.map_instance(50, metros=3).problem["participants"]
    assert all(24 < p["location"]["lat"] < 50 and -125 < p["location"]["lon"] < -66 for p in places)
    topic = gen.topic_instance(60, topics=6).problem
    ids = {t["id"] for t in topic["topics"]}
    assert len(ids) == 6
    assert all(len(p["ranking"]) == 3 and set(p["ranking"]) <= ids for p in topic["participants"])
    first = Counter(p["ranking"][0] for p in topic["participants"])
    assert max(first.values()) >= 2 * min(first.get(t, 0) for t in ids)  # popularity skew


def hand_made(choices, gmin, gmax):
    return {
        "method": "matching",
        "group_size": {"min": gmin, "max": gmax},
        "participants": [{"id": p, "choices": c} for p, c in choices.items()],
    }


def test_exact_matching_finds_the_known_optimum():
    # Two cliques of four marking each other, plus two cross marks: groups of exactly 4 keep
    # the 24 inside marks; any mix loses more than the 2 cross marks gain.
    a, b = ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]
    choices = {p: [q for q in team if q != p] for team in (a, b) for p in team}
    choices["a1"] = [*choices["a1"], "b1"]
    choices["b2"] = [*choices["b2"], "a2"]
    result = exact.matching_optimum(hand_made(choices, 4, 4), time_limit_s=20)
    assert result.optimal and result.valid
    assert result.value == 24
    assert sorted(sorted(g) for g in result.groups) == [a, b]


def test_exact_matching_respects_sizes():
    # Six people who all mark everyone, in groups of exactly 3: each keeps 2 of 5 marks.
    people = [f"p{i}" for i in range(6)]
    choices = {p: [q for q in people if q != p] for p in people}
    result = exact.matching_optimum(hand_made(choices, 3, 3), time_limit_s=20)
    assert result.optimal and result.valid and result.value == 12
    assert sorted(len(g) for g in result.groups) == [3, 3]


@pytest.mark.parametrize(
    ("bound", "proven", "shown"), [(24.4, True, 24), (24.9999999999, False, 25), (25.2, False, 25)]
)
def test_exact_matching_reads_a_fractional_bound_as_whole_choices(
    monkeypatch, bound, proven, shown
):
    # Stopped by the time limit with the best answer at 24: a bound under 25 proves 24; one
    # within the solver's tolerance of 25 does not.
    a, b = ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]
    choices = {p: [q for q in team if q != p] for team in (a, b) for p in team}
    solved = exact._finish

    def stopped(h, sense_max):
        x, value, _bound, _optimal, _status, elapsed = solved(h, sense_max)
        return x, value, bound, False, "Time limit reached", elapsed

    monkeypatch.setattr(exact, "_finish", stopped)
    result = exact.matching_optimum(hand_made(choices, 4, 4), time_limit_s=20)
    assert result.value == 24
    assert (result.optimal, result.bound) == (proven, shown)


def test_exact_pmedian_matches_brute_force():
    inst = gen.map_instance(8, metros=2, seed=5, gmin=4, gmax=4)
    ids = [p["id"] for p in inst.problem["participants"]]
    points = {
        p["id"]: (p["location"]["lat"], p["location"]["lon"]) for p in inst.problem["participants"]
    }
    best = min(
        exact.pmedian_cost(points, [list(g), [p for p in ids if p not in g]])
        for g in itertools.combinations(ids, 4)
    )
    result = exact.pmedian_optimum(inst.problem, 2, time_limit_s=20)
    assert result.optimal and result.valid
    assert result.value == pytest.approx(best, rel=1e-4)
    assert exact.pmedian_cost(points, result.groups) == pytest.approx(best, rel=1e-4)


def test_baselines_respect_the_hard_rules():
    inst = gen.matching_instance(37, 3, "noisy", seed=2)
    groups = baselines.hill_climb_matching(inst.problem, budget_s=0.5)
    assert_partition(groups, 37, 4, 6)
    start = baselines.random_start(37, 4, 6, baselines._rng(1))
    assert measure.kept(inst.problem, groups)[0] > measure.kept(inst.problem, start)[0]
    assert groups == baselines.hill_climb_matching(inst.problem, budget_s=0.5)  # repeatable

    crit = gen.criteria_instance(37, "noisy", "mix", seed=2)
    assert_partition(baselines.hill_climb_criteria(crit.problem, budget_s=0.3), 37, 4, 6)
    assert_partition(baselines.rule_repair_criteria(crit.problem, budget_s=0.3), 37, 4, 6)

    places = gen.map_instance(37, seed=2)
    assert_partition(baselines.kmeans_map(places.problem, seed=1, restarts=2), 37, 4, 6)


def test_hard_rule_check_reports_faults():
    problem = {
        "group_size": {"min": 2, "max": 3},
        "participants": [{"id": p} for p in "abcde"],
        "together": [["a", "b"]],
        "apart": [["c", "d"]],
    }
    good = {
        "groups": [
            {"id": "g1", "members": ["a", "b"]},
            {"id": "g2", "members": ["c", "e"]},
            {"id": "g3", "members": ["d"]},
        ]
    }
    faults = measure.hard_rule_faults(problem, good)
    assert faults == ["1 groups outside 2-3"]
    bad = {
        "groups": [{"id": "g1", "members": ["a", "c", "d"]}, {"id": "g2", "members": ["b", "e"]}]
    }
    assert set(measure.hard_rule_faults(problem, bad)) == {
        "a together-lock broken",
        "an apart-lock broken",
    }


class FakeReport:
    def __init__(self, status):
        self.targets = [measure.Target("demo target", status, "figures")]
        self.failed = [t for t in self.targets if t.status == "FAIL"]


def test_command_fails_on_a_failed_target_unless_report_only(monkeypatch):
    monkeypatch.setattr(bench, "run", lambda **kwargs: FakeReport("FAIL"))
    with pytest.raises(CommandError, match="demo target"):
        call_command("formbench", "--quick")
    call_command("formbench", "--quick", "--report-only")
    monkeypatch.setattr(bench, "run", lambda **kwargs: FakeReport("PASS"))
    call_command("formbench", "--quick")


def test_quick_benchmark_runs_the_engine_and_prints_targets():
    lines = []
    report = bench.run(quick=True, exact_s=3, out=lines.append, retry_factor=1)
    text = "\n".join(lines)
    assert "Speed matching up to 40 people" in text
    assert "targets pass" in text
    names = {t.name.split(":")[0] for t in report.targets}
    assert {"matching <=40", "criteria", "map"} <= names
    parts = {r["part"] for r in report.rows}
    assert {"matching-small", "criteria", "map"} <= parts
    small = [r for r in report.rows if r["part"] == "matching-small"]
    assert all(r["engine_kept"] <= r["bound"] for r in small)
