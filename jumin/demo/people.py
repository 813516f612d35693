"""The demo population, generated from a seed without touching the database.

A household is drawn from a template for its size (an elderly couple, parents with children, three generations …),
so ages, surnames and relationships fit together. The same seed and day give the same people.
"""

import datetime
import random
from dataclasses import dataclass, field

from faker import Faker

from jumin.people import idcard
from jumin.people.models import Gender, Relationship

from .names import NameMaker

MALE, FEMALE = Gender.MALE.value, Gender.FEMALE.value
HEAD, SPOUSE, CHILD, PARENT = Relationship.HEAD, Relationship.SPOUSE, Relationship.CHILD, Relationship.PARENT
GRANDCHILD, CHILD_IN_LAW = Relationship.GRANDCHILD, Relationship.CHILD_IN_LAW

# Household sizes before the exact total is forced; the report's 9,380 / 2,680 is 3.5 people a household.
SIZE_WEIGHTS = {1: 8, 2: 18, 3: 26, 4: 20, 5: 16, 6: 8, 7: 4}
MAX_SIZE = max(SIZE_WEIGHTS)

# 滨城区 first; people born elsewhere in 滨州 carry their home county's code.
ID_AREAS = {"371602": 70, "371603": 5, "371621": 6, "371622": 5, "371623": 5, "371625": 5, "371681": 4}
PHONE_PREFIXES = [*(f"13{d}" for d in range(10)), "150", "151", "152", "153", "155", "156", "157", "158", "159"]
PHONE_PREFIXES += [f"18{d}" for d in range(10)]
# 13900000000–13900000099 belong to the demo accounts.
RESERVED_PHONE_PREFIX = "139000000"


@dataclass(slots=True)
class PersonPlan:
    name: str
    gender: str
    birth_date: datetime.date
    relationship: str
    id_number: str
    phone: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class HouseholdPlan:
    members: list[PersonPlan]

    @property
    def head(self) -> PersonPlan:
        return self.members[0]


@dataclass(slots=True)
class _Member:
    relationship: str
    gender: str
    age: int
    surname: str


def household_sizes(rng: random.Random, households: int, residents: int) -> list[int]:
    """Sizes drawn from SIZE_WEIGHTS, then nudged one person at a time until they add up to `residents`."""
    if not households <= residents <= MAX_SIZE * households:
        raise ValueError(f"{households} 户无法容纳 {residents} 人")
    sizes = rng.choices(list(SIZE_WEIGHTS), weights=list(SIZE_WEIGHTS.values()), k=households)
    gap = residents - sum(sizes)
    while gap:
        i = rng.randrange(households)
        if gap > 0 and sizes[i] < MAX_SIZE:
            sizes[i] += 1
            gap -= 1
        elif gap < 0 and sizes[i] > 1:
            sizes[i] -= 1
            gap += 1
    return sizes


class IdNumbers:
    """Valid, unique 身份证号: a random free sequence per (area, birth date, gender); odd 17th digit for men."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[tuple[str, datetime.date, bool], set[int]] = {}

    def allocate(self, birth: datetime.date, gender: str) -> str:
        male = gender == MALE
        first = self.rng.choices(list(ID_AREAS), weights=list(ID_AREAS.values()))[0]
        for area in [first, *ID_AREAS]:
            used = self.used.setdefault((area, birth, male), set())
            if len(used) < 500:
                break
        else:
            raise RuntimeError(f"{birth} 出生的演示居民过多,身份证号不够分配")
        while (k := self.rng.randrange(500)) in used:
            pass
        used.add(k)
        return idcard.make(area, birth, 2 * k + male)


class Phones:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def allocate(self) -> str:
        while True:
            phone = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if not phone.startswith(RESERVED_PHONE_PREFIX) and phone not in self.used:
                self.used.add(phone)
                return phone


class PopulationGenerator:
    def __init__(self, *, seed: int, today: datetime.date):
        self.rng = random.Random(seed)
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        self.names = NameMaker(self.rng, fake)
        self.ids = IdNumbers(self.rng)
        self.phones = Phones(self.rng)
        self.today = today

    def households(self, households: int, residents: int, *, relocated_share: float) -> list[HouseholdPlan]:
        sizes = household_sizes(self.rng, households, residents)
        return [self.household(size, relocated_share=relocated_share) for size in sizes]

    def household(self, size: int, *, relocated_share: float) -> HouseholdPlan:
        members = [self._person(m) for m in self._skeleton(size)]
        self._tag(members, relocated_share)
        return HouseholdPlan(members)

    # ---- who lives together ------------------------------------------------------------------------------------

    def _skeleton(self, size: int) -> list[_Member]:
        r = self.rng
        if size == 1:
            if r.random() < 0.55:
                return [_Member(HEAD, self._gender(0.4), self._elder_age(), self.names.surname())]
            return [_Member(HEAD, self._gender(0.55), r.randint(22, 59), self.names.surname())]
        templates = TEMPLATES[size]
        build = r.choices([t for _, t in templates], weights=[w for w, _ in templates])[0]
        return build(self)

    def _gender(self, male_share: float) -> str:
        return MALE if self.rng.random() < male_share else FEMALE

    def _elder_age(self) -> int:
        return 60 + min(34, int(self.rng.expovariate(1 / 9)))

    def _couple(self, low: int, high: int) -> list[_Member]:
        r = self.rng
        age = r.randint(low, high)
        head = _Member(HEAD, self._gender(0.8), age, self.names.surname())
        # Husbands are a few years older on average.
        gap = r.randint(-5, 2) if head.gender == MALE else r.randint(-2, 5)
        spouse_gender = FEMALE if head.gender == MALE else MALE
        spouse = _Member(SPOUSE, spouse_gender, max(20, age + gap), self.names.surname())
        return [head, spouse]

    def _children(self, parents: list[_Member], count: int, *, adult: bool = False) -> list[_Member]:
        r = self.rng
        younger = min(p.age for p in parents)
        father = next((p for p in parents if p.gender == MALE), parents[0])
        low, high = max(0, younger - 38), max(0, younger - 22)
        if adult:
            low = min(max(low, 22), high)
        children = []
        for _ in range(count):
            surname = father.surname if r.random() < 0.95 else parents[-1].surname
            children.append(_Member(CHILD, self._gender(0.5), r.randint(low, high), surname))
        return children

    def _parents(self, head: _Member, count: int) -> list[_Member]:
        r = self.rng
        father_age = min(98, head.age + r.randint(24, 34))
        father = _Member(PARENT, MALE, father_age, head.surname)
        mother = _Member(PARENT, FEMALE, max(head.age + 20, father_age - r.randint(0, 4)), self.names.surname())
        if count == 2:
            return [father, mother]
        # Widows outlive widowers more often than not.
        return [mother if r.random() < 0.65 else father]

    def _married_child(self, parents: list[_Member], grandchildren: int) -> list[_Member]:
        r = self.rng
        child = self._children(parents, 1, adult=True)[0]
        in_law_gender = FEMALE if child.gender == MALE else MALE
        in_law = _Member(CHILD_IN_LAW, in_law_gender, max(20, child.age + r.randint(-3, 3)), self.names.surname())
        kid_surname = child.surname if child.gender == MALE else in_law.surname
        youngest_parent = min(child.age, in_law.age)
        kids = [
            _Member(GRANDCHILD, self._gender(0.5), r.randint(0, max(0, youngest_parent - 22)), kid_surname)
            for _ in range(grandchildren)
        ]
        return [child, in_law, *kids]

    # ---- people --------------------------------------------------------------------------------------------------

    def _person(self, m: _Member) -> PersonPlan:
        birth = self._birth(m.age)
        name = self.names.full(m.surname, m.gender, birth.year)
        person = PersonPlan(
            name=name,
            gender=m.gender,
            birth_date=birth,
            relationship=m.relationship,
            id_number=self.ids.allocate(birth, m.gender),
        )
        if self.rng.random() < self._phone_share(m.age):
            person.phone = self.phones.allocate()
        return person

    def _birth(self, age: int) -> datetime.date:
        latest = _years_before(self.today, age)
        earliest = _years_before(self.today, age + 1) + datetime.timedelta(days=1)
        return earliest + datetime.timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    @staticmethod
    def _phone_share(age: int) -> float:
        if age < 18:
            return 0.0
        if age < 70:
            return 0.92
        return 0.65 if age < 80 else 0.3

    def age(self, person: PersonPlan) -> int:
        birth = person.birth_date
        return self.today.year - birth.year - ((self.today.month, self.today.day) < (birth.month, birth.day))

    def _tag(self, members: list[PersonPlan], relocated_share: float) -> None:
        r = self.rng
        head = members[0]
        if r.random() < relocated_share:
            head.tags.append("relocated")
        # Household-level designations sit on the head.
        if r.random() < 0.03:
            head.tags.append("low_income")
        if len(members) == 1 and self.age(head) >= 60 and r.random() < 0.85:
            head.tags.append("living_alone")
        needs_care = False
        for person in members:
            age = self.age(person)
            if age >= 18 and r.random() < (0.11 if age >= 60 else 0.07):
                person.tags.append("party_member")
            if 40 <= age <= 65 and r.random() < 0.10:
                person.tags.append("laid_off")
            if r.random() < 0.02:
                person.tags.append("disabled")
                needs_care = True
            if person.gender == MALE and age >= 40 and r.random() < 0.02:
                person.tags.append("veteran")
            needs_care = needs_care or age >= 80
        carers = [p for p in members if 30 <= self.age(p) <= 65 and "disabled" not in p.tags]
        if needs_care and carers and r.random() < 0.3:
            r.choice(carers).tags.append("caregiver")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# ---- household templates: (weight, builder) per size -----------------------------------------------------------


def _elder_couple(g):
    return g._couple(60, 84)


def _middle_couple(g):
    return g._couple(41, 59)


def _young_couple(g):
    return g._couple(22, 35)


def _single_parent(g):
    head = _Member(HEAD, g._gender(0.3), g.rng.randint(30, 55), g.names.surname())
    return [head, *g._children([head], 1)]


def _elder_with_child(g):
    head = _Member(HEAD, g._gender(0.35), g.rng.randint(66, 92), g.names.surname())
    return [head, *g._children([head], 1, adult=True)]


def _nuclear(children: int, low: int, high: int):
    def build(g):
        couple = g._couple(low, high)
        return [*couple, *g._children(couple, children)]

    return build


def _with_parents(children: int, parents: int, low: int, high: int):
    def build(g):
        couple = g._couple(low, high)
        return [*couple, *g._children(couple, children), *g._parents(couple[0], parents)]

    return build


def _elder_couple_with_adult_child(g):
    couple = g._couple(58, 80)
    return [*couple, *g._children(couple, 1, adult=True)]


def _couple_with_parent(g):
    couple = g._couple(28, 50)
    return [*couple, *g._parents(couple[0], 1)]


def _grand(grandchildren: int, low: int, high: int, *, extra_child: bool = False, parents: int = 0):
    def build(g):
        couple = g._couple(low, high)
        family = [*couple, *g._married_child(couple, grandchildren)]
        if extra_child:
            family += g._children(couple, 1)
        if parents:
            family += g._parents(couple[0], parents)
        return family

    return build


TEMPLATES = {
    2: [
        (45, _elder_couple),
        (20, _middle_couple),
        (17, _young_couple),
        (10, _single_parent),
        (8, _elder_with_child),
    ],
    3: [(70, _nuclear(1, 25, 55)), (12, _elder_couple_with_adult_child), (18, _couple_with_parent)],
    4: [(45, _nuclear(2, 28, 55)), (40, _with_parents(1, 1, 28, 50)), (15, _grand(0, 48, 65))],
    5: [(40, _with_parents(1, 2, 30, 50)), (45, _grand(1, 48, 68)), (15, _with_parents(2, 1, 30, 48))],
    6: [(55, _grand(2, 50, 70)), (45, _with_parents(2, 2, 32, 50))],
    7: [(50, _grand(2, 55, 72, extra_child=True)), (50, _grand(1, 46, 58, parents=2))],
}
