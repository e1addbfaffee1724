"""PENDING: lockout backend."""
from django.contrib.auth.backends import ModelBackend


class LockoutModelBackend(ModelBackend):
    pass
