from ninja import NinjaAPI

api = NinjaAPI(title="gaoxin API", version="1", urls_namespace="api")
