"""`roa2web users add|list|passwd|disable|enable|logout`: local users, scriptable.

`passwd`, `disable` and `logout` end every session of the user (refresh tokens revoked, access
tokens refused); a running server notices within TOKEN_CHECK_CACHE_S.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Awaitable, Callable

from roa2web.aio import run_async
from roa2web.appdb import AppDatabase
from roa2web.auth import accounts, store
from roa2web.auth.passwords import hash_password
from roa2web.auth.principal import ROLES, parse_company_ids
from roa2web.databases import database_parts
from roa2web.settings import Settings


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise SystemExit("passwords differ")
    if len(password) < 8:
        raise SystemExit("a password needs at least 8 characters")
    return password


def _with_app_db(settings: Settings, work: Callable[[AppDatabase], Awaitable[int]]) -> int:
    async def run() -> int:
        part = database_parts(settings)["app_db"]
        await part.start()
        try:
            return await work(part.db)
        finally:
            await part.stop()

    return run_async(run())


def _add(args: argparse.Namespace, settings: Settings) -> int:
    roles = frozenset(args.role or ["viewer"])
    companies = parse_company_ids("*" if args.company == "all" else args.company)
    password = _read_password(args)

    async def work(db: AppDatabase) -> int:
        if await store.get_user_by_name(db, args.name):
            print(f"user {args.name} already exists", file=sys.stderr)
            return 1
        user = await store.create_user(
            db,
            username=args.name,
            display_name=args.display_name or args.name,
            password_hash=await hash_password(password),
            roles=roles,
            company_ids=companies,
            email=args.email,
        )
        print(f"user {user.username} created (roles: {', '.join(sorted(user.roles))})")
        return 0

    return _with_app_db(settings, work)


def _list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(db: AppDatabase) -> int:
        for user in await store.list_users(db):
            companies = "all" if user.company_ids is None else ",".join(map(str, sorted(user.company_ids)))
            state = "disabled" if user.disabled else "active"
            print(
                f"{user.username:20} {','.join(sorted(user.roles)):28} companies={companies:12} {user.source:7} {state}"
            )
        return 0

    return _with_app_db(settings, work)


def _change(
    args: argparse.Namespace, settings: Settings, change: Callable[[AppDatabase, store.User], Awaitable[object]]
) -> int:
    async def work(db: AppDatabase) -> int:
        user = await store.get_user_by_name(db, args.name)
        if user is None:
            print(f"no user {args.name}", file=sys.stderr)
            return 1
        await change(db, user)
        print(f"user {user.username} updated")
        return 0

    return _with_app_db(settings, work)


def _passwd(args: argparse.Namespace, settings: Settings) -> int:
    password = _read_password(args)

    async def change(db: AppDatabase, user: store.User) -> None:
        await accounts.set_password(db, user.id, await hash_password(password))

    return _change(args, settings, change)


def _set_disabled(args: argparse.Namespace, settings: Settings, disabled: bool) -> int:
    return _change(args, settings, lambda db, user: accounts.set_disabled(db, user.id, disabled))


def _logout(args: argparse.Namespace, settings: Settings) -> int:
    return _change(args, settings, lambda db, user: accounts.end_sessions(db, user.id))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `users` and its sub-commands."""
    users = subparsers.add_parser("users", help="manage local users").add_subparsers(dest="users_command")

    add = users.add_parser("add", help="add a local user")
    add.add_argument("name")
    add.add_argument("--role", action="append", choices=ROLES, help="repeat for several roles (default viewer)")
    add.add_argument("--company", default="all", help="'all' or company ids like 1,2")
    add.add_argument("--display-name")
    add.add_argument("--email")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(handler=_add)

    users.add_parser("list", help="list users").set_defaults(handler=_list)

    passwd = users.add_parser("passwd", help="set a user's password")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    passwd.set_defaults(handler=_passwd)

    for verb, disabled in (("disable", True), ("enable", False)):
        parser = users.add_parser(verb, help=f"{verb} a user")
        parser.add_argument("name")
        parser.set_defaults(handler=lambda a, s, d=disabled: _set_disabled(a, s, d))

    logout = users.add_parser(
        "logout", help="end every session of a user (e.g. after their ROA password changed, AUTH_PROVIDER=oracle)"
    )
    logout.add_argument("name")
    logout.set_defaults(handler=_logout)
