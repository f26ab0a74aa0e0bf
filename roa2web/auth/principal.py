"""Who is calling: the identity an access token carries."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "operator", "approver", "admin")
ROLE_LABELS = {
    "viewer": "vizualizare", "operator": "operator", "approver": "aprobator", "admin": "administrator",
}  # as people read them
ALL_COMPANIES = "*"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated user as the API sees them."""

    user_id: str
    username: str
    display_name: str
    roles: frozenset[str]
    company_ids: frozenset[int] | None  # None means every company

    @property
    def is_admin(self) -> bool:
        """Admins may do everything."""
        return "admin" in self.roles

    def has_role(self, *roles: str) -> bool:
        """True when the user holds any of `roles` (admins hold all)."""
        return self.is_admin or any(role in self.roles for role in roles)

    def may_see_company(self, company_id: int) -> bool:
        """True when the user has rights on `company_id`."""
        return self.company_ids is None or company_id in self.company_ids


def parse_company_ids(text: str) -> frozenset[int] | None:
    """'*' → None (all); '1,2' → {1, 2}."""
    if text.strip() == ALL_COMPANIES:
        return None
    return frozenset(int(part) for part in text.split(",") if part.strip())


def format_company_ids(company_ids: frozenset[int] | None) -> str:
    """Inverse of parse_company_ids."""
    return ALL_COMPANIES if company_ids is None else ",".join(str(c) for c in sorted(company_ids))
