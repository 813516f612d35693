from ninja import NinjaAPI

api = NinjaAPI(title="居民之家 API", version="1", urls_namespace="api")
