"""The users file: who may view and who may edit, with salted password hashes and API tokens.

The file is TOML, by default ``instance/users.toml`` in the project folder (git ignores
``instance/``) or the path in ``MAPDASH_USERS``::

    [users.alice]
    role = "editor"
    password = "scrypt:32768:8:1$<salt>$<hash>"
    token = "sha256:<hex>"           # only when a token was issued

An optional ``[oidc]`` table signs users in through an organisation's OpenID Connect provider
instead (see :class:`OidcConfig`); its client secret stays in an environment variable.

Passwords are stored as werkzeug's salted scrypt hashes and API tokens as their sha256 (a
token is 256 random bits, so a fast hash is enough); neither is ever written in plain text.
Writes are atomic (temporary file, fsync, rename) and the file is private to its owner (0600).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, get_args

import tomli_w
from werkzeug.security import check_password_hash, generate_password_hash

from .config import PROJECT_ROOT
from .errors import UsersError

Role = Literal["editor", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)
USERS_ENV = "MAPDASH_USERS"
DEFAULT_USERS_FILE = PROJECT_ROOT / "instance" / "users.toml"
#: What a user name may be: it appears in the audit log, URLs and HTTP basic auth.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "mdt_"
_TOKEN_HASH_PREFIX = "sha256:"


@dataclass(frozen=True)
class User:
    """Someone the server knows: a name and a role."""

    name: str
    role: Role

    @property
    def is_editor(self) -> bool:
        """Whether this user may change what viewers see."""
        return self.role == "editor"


@dataclass(frozen=True)
class UserRecord:
    """One entry of the users file (hashes only)."""

    name: str
    role: Role
    password_hash: str
    token_hash: str | None = None
    created: str = ""

    @property
    def user(self) -> User:
        """The user this entry describes."""
        return User(self.name, self.role)


@dataclass(frozen=True)
class OidcConfig:
    """Sign-in through an OpenID Connect provider (the users file's ``[oidc]`` table)."""

    #: A short name for the provider, used in the sign-in URL (``/oidc/<provider>/login``).
    provider: str
    #: The provider's discovery document (``.../.well-known/openid-configuration``).
    server_metadata_url: str
    client_id: str
    #: The environment variable holding the client secret (never the file).
    client_secret_env: str
    #: Members of this group (in the ID token's ``groups_claim``) are editors; others viewers.
    editor_group: str
    groups_claim: str = "groups"
    scope: str = "openid email profile"

    def client_secret(self) -> str:
        """Return the client secret from the environment.

        Raises
        ------
        UsersError
            If the variable is not set.
        """
        secret = os.environ.get(self.client_secret_env, "")
        if not secret:
            raise UsersError(
                f"[oidc] client_secret_env names {self.client_secret_env}, which is not set; "
                f"export {self.client_secret_env}=<the client secret from the provider>"
            )
        return secret


_OIDC_REQUIRED = ("provider", "server_metadata_url", "client_id", "client_secret_env")
_OIDC_FIELDS = (*_OIDC_REQUIRED, "editor_group", "groups_claim", "scope")


def read_oidc(table: object, *, where: str) -> OidcConfig:
    """Read and check an ``[oidc]`` table.

    Raises
    ------
    UsersError
        For a missing or unknown field, a provider name that cannot be part of a URL, or a
        discovery URL that is not https.
    """
    if not isinstance(table, dict):
        raise UsersError(f"{where}: [oidc] must be a table")
    unknown = sorted(set(table) - set(_OIDC_FIELDS))
    if unknown:
        raise UsersError(
            f"{where}: [oidc] has unknown field(s) {', '.join(unknown)}; expected "
            f"{', '.join(_OIDC_FIELDS)}"
        )
    missing = [key for key in (*_OIDC_REQUIRED, "editor_group") if not table.get(key)]
    if missing:
        raise UsersError(
            f'{where}: [oidc] lacks {", ".join(missing)}; e.g. provider = "corp", '
            'server_metadata_url = "https://login.example.org/.well-known/openid-configuration"'
            ', client_id = "mapdash", client_secret_env = "MAPDASH_OIDC_SECRET", '
            'editor_group = "mapdash-editors"'
        )
    values = {key: str(table[key]) for key in _OIDC_FIELDS if key in table}
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", values["provider"]):
        raise UsersError(
            f"{where}: [oidc] provider {values['provider']!r} must be 1-32 letters, digits, "
            "'_' or '-' (it is part of the sign-in URL)"
        )
    if not values["server_metadata_url"].startswith("https://"):
        raise UsersError(
            f"{where}: [oidc] server_metadata_url must be an https:// URL of the provider's "
            f"discovery document, not {values['server_metadata_url']!r}"
        )
    return OidcConfig(**values)


def users_path() -> Path:
    """Return the users file: ``MAPDASH_USERS``, else ``instance/users.toml`` in the project."""
    value = os.environ.get(USERS_ENV, "").strip()
    return Path(value) if value else DEFAULT_USERS_FILE


def check_name(name: str) -> str:
    """Return ``name`` if it can be a user name.

    Raises
    ------
    UsersError
        If it is empty, too long or has characters other than letters, digits, ``.``, ``_``, ``-``.
    """
    if not NAME_PATTERN.fullmatch(name):
        raise UsersError(
            f"user name {name!r} is not usable; use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit, e.g. alice or data-bot"
        )
    return name


def check_role(role: str) -> Role:
    """Return ``role`` as a Role.

    Raises
    ------
    UsersError
        If it is not one of the roles.
    """
    for known in ROLES:
        if role == known:
            return known
    raise UsersError(f"role {role!r} is unknown; expected one of {', '.join(ROLES)}")


def token_hash(token: str) -> str:
    """Return what the users file stores for an API token."""
    return _TOKEN_HASH_PREFIX + hashlib.sha256(token.encode("utf-8")).hexdigest()


class Users:
    """The users file's entries, read once.

    Parameters
    ----------
    path
        The file they were read from.
    records
        The entries by name.
    """

    def __init__(
        self, path: Path, records: dict[str, UserRecord], *, oidc: OidcConfig | None = None
    ) -> None:
        self.path = path
        self.records = records
        self.oidc = oidc
        #: The ``[oidc]`` table as written, kept when the file is saved again.
        self.oidc_table: dict[str, str] = (
            {key: getattr(oidc, key) for key in _OIDC_FIELDS} if oidc else {}
        )

    def __len__(self) -> int:
        return len(self.records)

    @property
    def editors(self) -> list[str]:
        """Names of the users with the editor role."""
        return sorted(name for name, rec in self.records.items() if rec.role == "editor")

    def verify_password(self, name: str, password: str) -> User | None:
        """Return the user when ``password`` is theirs, else None (unknown names too)."""
        record = self.records.get(name)
        if record is None:
            # Spend the same time as for a known name, so names cannot be probed by timing.
            check_password_hash(_DUMMY_HASH, password)
            return None
        return record.user if check_password_hash(record.password_hash, password) else None

    def verify_token(self, token: str) -> User | None:
        """Return the user an API token was issued to, else None."""
        wanted = token_hash(token)
        found = None
        for record in self.records.values():
            if record.token_hash and hmac.compare_digest(record.token_hash, wanted):
                found = record.user
        return found


_DUMMY_HASH = generate_password_hash("not a password of anyone")


def load_users(path: Path | None = None) -> Users | None:
    """Read the users file; None when it does not exist (no users configured).

    Raises
    ------
    UsersError
        If the file cannot be read, is not TOML, or an entry is malformed (the message names
        the file, the user and the field).
    """
    path = path or users_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise UsersError(f"{path}: cannot read the users file ({err.strerror})") from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise UsersError(
            f"{path}: not a TOML users file ({err}); fix it, or remove it and add the users "
            "again with 'mapdash users add'"
        ) from None
    table = document.get("users", {})
    if not isinstance(table, dict):
        raise UsersError(f"{path}: 'users' must be a table of users, e.g. [users.alice]")
    records = {}
    for name, entry in table.items():
        where = f"{path}: user {name!r}"
        if not isinstance(entry, dict):
            raise UsersError(f"{where} must be a table with role and password")
        try:
            check_name(name)
            role = check_role(str(entry.get("role", "")))
        except UsersError as err:
            raise UsersError(f"{where}: {err}") from None
        password = entry.get("password")
        if not isinstance(password, str) or "$" not in password:
            raise UsersError(
                f"{where}: 'password' must be a salted hash as 'mapdash users add' writes it; "
                f"set it again with 'mapdash users add {name} --role {role}'"
            )
        token = entry.get("token")
        if token is not None and not (
            isinstance(token, str) and token.startswith(_TOKEN_HASH_PREFIX)
        ):
            raise UsersError(
                f"{where}: 'token' must be a sha256 hash; issue a new one with "
                f"'mapdash users token {name}'"
            )
        records[name] = UserRecord(name, role, password, token, str(entry.get("created", "")))
    oidc = read_oidc(document["oidc"], where=str(path)) if "oidc" in document else None
    return Users(path, records, oidc=oidc)


def save_users(users: Users) -> None:
    """Write the users file atomically, readable by its owner only."""
    document: dict[str, object] = {
        "users": {
            name: {
                key: value
                for key, value in (
                    ("role", rec.role),
                    ("password", rec.password_hash),
                    ("token", rec.token_hash),
                    ("created", rec.created),
                )
                if value
            }
            for name, rec in sorted(users.records.items())
        }
    }
    if users.oidc_table:
        document["oidc"] = users.oidc_table
    content = (
        "# mapdash users: salted password hashes and token hashes; manage with 'mapdash users'\n"
        + tomli_w.dumps(document)
    )
    users.path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".users-", dir=users.path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, users.path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _existing(path: Path | None) -> Users:
    path = path or users_path()
    return load_users(path) or Users(path, {})


def add_user(name: str, *, role: str, password: str, path: Path | None = None) -> UserRecord:
    """Add a user, or replace the role and password of an existing one (keeping a token).

    Raises
    ------
    UsersError
        For an unusable name, an unknown role or a password shorter than 8 characters.
    """
    check_name(name)
    chosen = check_role(role)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsersError(
            f"the password is {len(password)} characters long; use at least {MIN_PASSWORD_LENGTH}"
        )
    users = _existing(path)
    previous = users.records.get(name)
    record = UserRecord(
        name,
        chosen,
        generate_password_hash(password),
        previous.token_hash if previous else None,
        previous.created if previous else dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    users.records[name] = record
    save_users(users)
    return record


def remove_user(name: str, *, path: Path | None = None) -> None:
    """Remove a user (and their token).

    Raises
    ------
    UsersError
        If there is no such user.
    """
    users = _existing(path)
    if name not in users.records:
        known = ", ".join(sorted(users.records)) or "none"
        raise UsersError(f"no user {name!r} in {users.path}; the users are: {known}")
    del users.records[name]
    save_users(users)


def issue_token(name: str, *, path: Path | None = None) -> str:
    """Issue a new API token for a user, replacing any earlier one; return it (shown once).

    Raises
    ------
    UsersError
        If there is no such user.
    """
    users = _existing(path)
    record = users.records.get(name)
    if record is None:
        raise UsersError(
            f"no user {name!r} in {users.path}; add one first with "
            f"'mapdash users add {name} --role editor'"
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    users.records[name] = replace(record, token_hash=token_hash(token))
    save_users(users)
    return token


__all__ = [
    "DEFAULT_USERS_FILE",
    "MIN_PASSWORD_LENGTH",
    "OidcConfig",
    "ROLES",
    "USERS_ENV",
    "Role",
    "User",
    "UserRecord",
    "Users",
    "add_user",
    "check_name",
    "check_role",
    "issue_token",
    "load_users",
    "read_oidc",
    "remove_user",
    "save_users",
    "token_hash",
    "users_path",
]
