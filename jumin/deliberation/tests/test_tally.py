"""The arithmetic, on hand-computed cases (exact fractions: 2/3 and 3/4 are boundaries, not approximations)."""

from decimal import Decimal

from jumin.deliberation.tally import CastVote, count

CODES = ["yes", "no", "abstain"]


def votes(*spec):
    """spec: (choice, area) pairs."""
    return [CastVote((c,), "online", Decimal(a)) for c, a in spec]


def test_majority_needs_more_than_half_of_votes_cast():
    r = count(
        votes(("yes", 0), ("no", 0)), option_codes=CODES, electorate=2, electorate_area=0, rule="majority", quorum=0
    )
    assert r.quorum_met and not r.passed
    r = count(
        votes(("yes", 0), ("yes", 0), ("no", 0)),
        option_codes=CODES,
        electorate=3,
        electorate_area=0,
        rule="majority",
        quorum=0,
    )
    assert r.passed and r.counts == {"yes": 2, "no": 1, "abstain": 0}


def test_quorum_is_a_share_of_the_electorate():
    r = count(votes(("yes", 0)), option_codes=CODES, electorate=3, electorate_area=0, rule="majority", quorum="0.5")
    assert not r.quorum_met and not r.passed
    r = count(
        votes(("yes", 0), ("yes", 0)),
        option_codes=CODES,
        electorate=4,
        electorate_area=0,
        rule="majority",
        quorum="0.5",
    )
    assert r.quorum_met and r.passed  # exactly half is enough for a quorum of 0.5


def test_two_thirds_at_exactly_two_thirds_passes():
    r = count(
        votes(("yes", 0), ("yes", 0), ("no", 0)),
        option_codes=CODES,
        electorate=3,
        electorate_area=0,
        rule="two_thirds",
        quorum=0,
    )
    assert r.passed
    r = count(
        votes(("yes", 0), ("yes", 0), ("no", 0), ("abstain", 0)),
        option_codes=CODES,
        electorate=4,
        electorate_area=0,
        rule="two_thirds",
        quorum=0,
    )
    assert not r.passed


def test_civil_code_278_participation_at_exactly_two_thirds_of_area_and_owners():
    # 6 owners, 600 m² in all; 4 take part (2/3 of owners) holding 400 m² (2/3 of area): participation holds.
    cast = votes(("yes", 100), ("yes", 150), ("no", 100), ("abstain", 50))
    r = count(cast, option_codes=CODES, electorate=6, electorate_area=600, rule="civil_code_278", quorum=0)
    assert r.quorum_met
    # yes: 250 of 400 m² (> 1/2) but 2 of 4 owners (not more than half): fails.
    assert not r.passed


def test_civil_code_278_participation_just_under_two_thirds_fails():
    cast = votes(("yes", 100), ("yes", 100), ("yes", 100), ("yes", 99))
    r = count(cast, option_codes=CODES, electorate=6, electorate_area=600, rule="civil_code_278", quorum=0)
    assert not r.quorum_met and not r.passed  # 399 m² < 400 m²


def test_civil_code_278_passes_with_more_than_half_of_participating_area_and_owners():
    cast = votes(("yes", 100), ("yes", 100), ("yes", 60), ("no", 140))
    r = count(cast, option_codes=CODES, electorate=6, electorate_area=600, rule="civil_code_278", quorum=0)
    # 3 of 4 owners, 260 of 400 m² (65%): passes the ordinary rule.
    assert r.quorum_met and r.passed
    major = count(cast, option_codes=CODES, electorate=6, electorate_area=600, rule="civil_code_278_major", quorum=0)
    # major needs ≥ 3/4 of each: owners 3/4 exactly holds, area 65% does not.
    assert not major.passed


def test_civil_code_278_major_at_exactly_three_quarters_passes():
    cast = votes(("yes", 100), ("yes", 100), ("yes", 100), ("no", 100))
    r = count(cast, option_codes=CODES, electorate=6, electorate_area=600, rule="civil_code_278_major", quorum=0)
    assert r.quorum_met and r.passed  # 3/4 owners and 300/400 m² exactly


def test_several_choices_pass_the_option_with_most_votes():
    cast = [CastVote(("1",), "online"), CastVote(("1",), "paper"), CastVote(("2",), "online")]
    r = count(cast, option_codes=["1", "2", "3"], electorate=3, electorate_area=0, rule="majority", quorum=0)
    assert r.passed and r.counts["1"] == 2 and r.by_channel == {"online": 2, "paper": 1}
