"""Chinese names for made-up people: Faker's surnames and given names, plus given names typical of each era."""

import random

from faker import Faker

# People named in the news report are real; the demo must never produce their names.
REAL_NAMES = frozenset(
    {"韩云勇", "崔丽杨", "张彤", "邱延军", "薛爱国", "田中岳", "葛肇敏", "王甜甜", "王海波", "习近平"}
)

# Given names that were common for people born in each period, so grandparents and grandchildren sound different.
ERA_GIVEN_NAMES = {
    # born before 1960
    1960: {
        "M": ["建华", "国庆", "振华", "德明", "志刚", "庆华", "长林", "树森", "玉山", "连生", "春生", "福田", "文明"],
        "F": ["秀兰", "桂芝", "淑珍", "玉珍", "凤兰", "素梅", "桂香", "秀荣", "金凤", "月英", "桂琴", "淑英"],
    },
    # born 1960–1989
    1990: {
        "M": ["志强", "海涛", "建军", "立新", "永刚", "国栋", "卫东", "晓东", "红兵", "学军", "振宇", "庆国"],
        "F": ["丽娟", "红梅", "晓燕", "春燕", "海燕", "美玲", "雪梅", "丽萍", "彩霞", "爱华", "秀云", "艳红"],
    },
    # born 1990 or later
    9999: {
        "M": ["子轩", "浩然", "宇航", "俊杰", "博文", "一鸣", "家豪", "天佑", "思远", "梓睿", "皓宇", "明哲"],
        "F": ["欣怡", "梓涵", "雨桐", "诗涵", "子怡", "佳怡", "语嫣", "若曦", "梦琪", "一诺", "思琪", "可馨"],
    },
}


class NameMaker:
    def __init__(self, rng: random.Random, fake: Faker):
        self.rng = rng
        self.fake = fake

    def surname(self) -> str:
        return self.fake.last_name()

    def given(self, gender: str, birth_year: int) -> str:
        if self.rng.random() < 0.5:
            return self.fake.first_name_male() if gender == "M" else self.fake.first_name_female()
        era = next(pools for until, pools in ERA_GIVEN_NAMES.items() if birth_year < until)
        return self.rng.choice(era[gender])

    def full(self, surname: str, gender: str, birth_year: int) -> str:
        while True:
            name = surname + self.given(gender, birth_year)
            if name not in REAL_NAMES:
                return name
