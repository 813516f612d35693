def demo_deliberation(community, rng, now):
    return "居民议事厅:待补充"
