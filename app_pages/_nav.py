"""The dashboard's pages, declared once: which exist, which the menu lists for a user (no Streamlit here)."""

from __future__ import annotations

from typing import NamedTuple

from loaders.accounts import User
from loaders.permissions import can_admin, can_upload


class NavPage(NamedTuple):
    path: str  # the page script, from the project root
    title: str  # its word in the text table
    url: str  # its URL path
    icon: str
    visible: bool = True  # listed in the menu (a hidden page still opens from a link and checks the role itself)


PUBLIC = (
    NavPage("app_pages/overview.py", "nav.overview", "overview", ":material/dashboard:"),
    NavPage("app_pages/area.py", "nav.area", "area", ":material/location_on:"),
    NavPage("app_pages/compare.py", "nav.compare", "compare", ":material/leaderboard:"),
    NavPage("app_pages/map.py", "nav.map", "map", ":material/map:"),
    NavPage("app_pages/tourism.py", "nav.tourism", "tourism", ":material/luggage:"),
    NavPage("app_pages/reporting.py", "nav.reporting", "reporting", ":material/fact_check:"),
    NavPage("app_pages/methods.py", "nav.methods", "methods", ":material/menu_book:"),
)


def pages_for(user: User | None, login_required: bool = False) -> list[NavPage]:
    """The pages of one run, in menu order.  Upload and administration are listed only for an account whose role
    allows them; for anyone else they exist but are hidden, so a typed or shared link (/upload) opens the page, which
    asks to sign in and then goes on there.  With ``login_required`` nothing but the sign-in is there before
    signing in."""
    account = NavPage("app_pages/signin.py", "nav.account" if user else "nav.sign_in", "signin",
                      ":material/account_circle:" if user else ":material/login:")
    if login_required and user is None:
        return [account]
    return [*PUBLIC,
            NavPage("app_pages/upload.py", "nav.upload", "upload", ":material/upload_file:", can_upload(user)),
            NavPage("app_pages/admin.py", "nav.admin", "admin", ":material/admin_panel_settings:", can_admin(user)),
            account]


def listed(user: User | None, login_required: bool = False) -> set[str]:
    """The URL paths the menu lists for ``user``."""
    return {p.url for p in pages_for(user, login_required) if p.visible}
