import json

import pytest
from django.test import Client

from gaoxin.accounts.models import ApiToken


def make_token(user, **extra) -> str:
    """A token as the token service would make it: only the hash is stored."""
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="测试令牌", prefix=key[:8], key_hash=ApiToken.hash_key(key), **extra)
    return key


class Api:
    """The Django test client speaking JSON with a bearer token (or none)."""

    def __init__(self, key: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key is not None else {}

    def request(self, method: str, path: str, body=None, *, raw: str | None = None, **params):
        url = "/api/v1" + path
        kwargs = {"headers": self.headers}
        if method == "get":
            return self.client.get(url, params, **kwargs)
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return getattr(self.client, method)(url, data=data, content_type="application/json", **kwargs)

    def get(self, path, **params):
        return self.request("get", path, **params)

    def post(self, path, body=None, **kw):
        return self.request("post", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("put", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("patch", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("delete", path, **kw)


@pytest.fixture
def api_as(world):
    """`api_as("staff_a")` → an Api client holding a fresh token of that world user."""

    def make(role: str) -> Api:
        return Api(make_token(world.users[role]))

    return make


def error_fields(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
