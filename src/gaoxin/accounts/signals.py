"""PENDING: login/logout audit receivers."""
