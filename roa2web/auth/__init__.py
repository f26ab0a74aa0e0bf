"""Users, roles, company rights, and the tokens that carry them."""

from roa2web.auth.principal import ROLES, Principal

__all__ = ["ROLES", "Principal"]
