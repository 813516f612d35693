"""Counting a ballot: pure arithmetic over the cast votes, exact fractions (no float rounding at 2/3 or 3/4).

民法典 第278条: a property matter is decided with participation of owners holding ≥ 2/3 of the floor area and being
≥ 2/3 of the owners; it passes with more than half of the participating area and of the participating owners, or
≥ 3/4 of each for the major matters of 278 (6)–(8)."""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

YES, NO, ABSTAIN = "yes", "no", "abstain"
YES_NO_OPTIONS = [(YES, "同意"), (NO, "不同意"), (ABSTAIN, "弃权")]


@dataclass(frozen=True)
class CastVote:
    choices: tuple[str, ...]
    channel: str
    area: Decimal = Decimal(0)


@dataclass
class Result:
    counts: dict[str, int]
    by_channel: dict[str, int]
    cast: int
    electorate: int
    turnout: Fraction
    quorum_met: bool
    passed: bool
    area_cast: Decimal = Decimal(0)
    area_yes: Decimal = Decimal(0)
    electorate_area: Decimal = Decimal(0)
    reasons: list[str] = field(default_factory=list)

    @property
    def turnout_percent(self) -> float:
        return round(float(self.turnout) * 100, 1)


def _share(part, whole) -> Fraction:
    return Fraction(part) / Fraction(whole) if whole else Fraction(0)


def count(
    votes, *, option_codes, electorate: int, electorate_area, rule: str, quorum, multiple: bool = False
) -> Result:
    counts = dict.fromkeys(option_codes, 0)
    by_channel: dict[str, int] = {}
    area_cast = area_yes = Decimal(0)
    cast = yes = 0
    for vote in votes:
        cast += 1
        by_channel[vote.channel] = by_channel.get(vote.channel, 0) + 1
        area_cast += vote.area
        for code in vote.choices:
            if code in counts:
                counts[code] += 1
        if YES in vote.choices:
            yes += 1
            area_yes += vote.area
    electorate_area = Decimal(electorate_area or 0)
    turnout = _share(cast, electorate)
    result = Result(
        counts=counts,
        by_channel=by_channel,
        cast=cast,
        electorate=electorate,
        turnout=turnout,
        quorum_met=False,
        passed=False,
        area_cast=area_cast,
        area_yes=area_yes,
        electorate_area=electorate_area,
    )
    if rule in ("civil_code_278", "civil_code_278_major"):
        _civil_code_278(result, yes, major=rule == "civil_code_278_major")
        return result
    result.quorum_met = turnout >= Fraction(str(quorum)) and cast > 0
    if not result.quorum_met:
        result.reasons.append("参与人数未达到法定比例")
        return result
    if YES in counts:
        top = yes
    else:
        # A ballot of several choices passes the option with most votes, if it has the share the rule asks.
        top = max(counts.values(), default=0)
        if list(counts.values()).count(top) > 1:
            result.reasons.append("得票最多的选项票数相同")
            return result
    share = _share(top, cast)
    if rule == "two_thirds":
        result.passed = share >= Fraction(2, 3)
        if not result.passed:
            result.reasons.append("同意票未达到投票数的三分之二")
    elif multiple and YES not in counts:
        result.passed = True
    else:
        result.passed = share > Fraction(1, 2)
        if not result.passed:
            result.reasons.append("同意票未超过投票数的一半")
    return result


def _civil_code_278(result: Result, yes: int, *, major: bool) -> None:
    area_share = _share(result.area_cast, result.electorate_area)
    owner_share = _share(result.cast, result.electorate)
    result.quorum_met = area_share >= Fraction(2, 3) and owner_share >= Fraction(2, 3)
    if not result.quorum_met:
        result.reasons.append("参与表决的专有部分面积或业主人数未达到三分之二")
        return
    yes_area = _share(result.area_yes, result.area_cast)
    yes_owners = _share(yes, result.cast)
    if major:
        result.passed = yes_area >= Fraction(3, 4) and yes_owners >= Fraction(3, 4)
        if not result.passed:
            result.reasons.append("同意的面积或人数未达到参与表决的四分之三")
    else:
        result.passed = yes_area > Fraction(1, 2) and yes_owners > Fraction(1, 2)
        if not result.passed:
            result.reasons.append("同意的面积或人数未过参与表决的半数")
