"""Who is acting, from where, in which request: set once per request (or CLI run), read by the audit trail."""

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    user: object | None = None  # accounts.User or None
    name: str = ""
    ip: str | None = None
    user_agent: str = ""
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    via: str = "web"  # web | api | cli


_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("gaoxin_actor", default=None)


def current_actor() -> Actor:
    return _current.get() or Actor(name="system", via="system")


@contextmanager
def acting_as(actor: Actor):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def actor_for_user(user, *, via: str) -> Actor:
    base = current_actor()
    return Actor(
        user=user,
        name=getattr(user, "username", "") or base.name,
        ip=base.ip,
        user_agent=base.user_agent,
        request_id=base.request_id,
        via=via,
    )
