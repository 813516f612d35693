from .services import hall_ensure_catalogue


def demo_catalogue(community, rng, now) -> str:
    windows, items = hall_ensure_catalogue(community)
    return f"{community.name}:服务大厅新建 {windows} 个窗口、{items} 项服务事项"
