"""Who may do what on a running server: the access policy, logging in, and role checks.

Three modes, chosen once at start-up by :func:`decide_policy`:

- ``local``: ``mapdash serve`` on a loopback address with no users file. One person on their
  own machine; they are the editor (named ``local`` in the audit log).
- ``users``: a users file exists (``mapdash users add``). Viewing is public unless the server
  runs with ``--private``; editors log in (``/login`` in a browser, HTTP basic auth or a bearer
  token for the API) to change the layers.
- ``read-only``: ``--production`` or a non-loopback host with no users file. Nobody can change
  anything through the server; the start-up line says how to add an editor.

Logging in is dash-auth's: :class:`MapdashAuth` is a :class:`dash_auth.Auth` whose check reads
the users file (salted hashes, see :mod:`mapdash.users`); a browser that logged in keeps the
user in Flask's signed session cookie, in dash-auth's ``{"email": name, "groups": [role]}``
shape. Every write path asks :meth:`Access.require_editor` on the server, whatever the page
shows.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import os
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import dash
import flask
from dash_auth.auth import Auth
from dash_auth.oidc_auth import OIDCAuth
from werkzeug.wrappers import Response as WerkzeugResponse

from ..errors import AccessDenied, UsersError
from ..users import OidcConfig, User, Users, load_users, users_path

AccessMode = Literal["local", "users", "read-only"]
LOCAL_EDITOR = User("local", "editor")
LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
SECRET_ENV = "MAPDASH_SECRET_KEY"
REALM = "mapdash"
#: Paths open even on a private server: the health check for load balancers.
ALWAYS_OPEN = frozenset({"/healthz"})
_ADD_EDITOR = "mapdash users add NAME --role editor"


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or name to bind) only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class AccessPolicy:
    """How a server decides who may view and who may edit."""

    mode: AccessMode
    users_file: Path
    private: bool = False

    def describe(self) -> str:
        """Return the start-up line's account of who may do what."""
        if self.mode == "local":
            return (
                "single-user local mode: no users file and a loopback address, so editing is "
                f"open to whoever uses this machine (add users with '{_ADD_EDITOR}')"
            )
        if self.mode == "read-only":
            return (
                f"read-only: no users file at {self.users_file}, so nobody can change the "
                f"layers; add an editor with '{_ADD_EDITOR}' and restart"
            )
        viewing = "viewing needs a login (--private)" if self.private else "viewing is public"
        return f"users from {self.users_file}: editors log in at {LOGIN_PATH}; {viewing}"


def decide_policy(
    *, host: str, production: bool, private: bool = False, users_file: Path | None = None
) -> AccessPolicy:
    """Choose the access mode for a server.

    Parameters
    ----------
    host
        The address the server binds.
    production
        Whether it runs with ``--production``.
    private
        Ask for a login to view, too.
    users_file
        The users file; default ``MAPDASH_USERS`` or ``instance/users.toml``.

    Raises
    ------
    UsersError
        If ``private`` is asked for with no users file (nobody could log in), or the users
        file is malformed.
    """
    path = users_file or users_path()
    users = load_users(path)
    if users is not None:
        return AccessPolicy("users", path, private=private)
    if private:
        raise UsersError(
            f"--private asks for a login, but there is no users file at {path}; add a user "
            f"first with '{_ADD_EDITOR}' (or --role viewer)"
        )
    if is_loopback(host) and not production:
        return AccessPolicy("local", path)
    return AccessPolicy("read-only", path)


class _UsersFile:
    """The users file, re-read when it changes (a removed user loses access at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._key: tuple[int, int] | None = None
        self._users: Users | None = None

    def current(self) -> Users | None:
        try:
            stat = self.path.stat()
            key: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = None
        with self._lock:
            if key != self._key:
                try:
                    self._users = load_users(self.path) if key is not None else None
                except UsersError:
                    # A file broken while serving locks everyone out rather than letting in.
                    self._users = Users(self.path, {})
                self._key = key
            return self._users


class Access:
    """The access policy of one app, answering for the request being served.

    Parameters
    ----------
    policy
        The mode chosen at start-up.
    """

    #: Basic-auth headers already checked (a password hash costs ~50 ms to verify).
    _CACHE_SIZE = 256

    def __init__(self, policy: AccessPolicy) -> None:
        self.policy = policy
        self._users = _UsersFile(policy.users_file)
        self._verified: OrderedDict[str, tuple[str, User]] = OrderedDict()
        self._lock = threading.Lock()

    # -- who is asking ------------------------------------------------------------------

    def credentials_user(self) -> User | None:
        """Return the user named by the request's Authorization header (basic or bearer)."""
        header = flask.request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        users = self._users.current()
        if users is None or not value:
            return None
        if scheme.lower() == "bearer":
            return users.verify_token(value.strip())
        if scheme.lower() != "basic":
            return None
        try:
            name, _, password = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        record = users.records.get(name)
        key = hashlib.sha256(header.encode()).hexdigest()
        with self._lock:
            cached = self._verified.get(key)
        if record is not None and cached is not None and cached[0] == record.password_hash:
            return record.user
        user = users.verify_password(name, password)
        if user is not None and record is not None:
            with self._lock:
                self._verified[key] = (record.password_hash, user)
                while len(self._verified) > self._CACHE_SIZE:
                    self._verified.popitem(last=False)
        return user

    def session_user(self) -> User | None:
        """Return the user a browser logged in as, with the role the users file gives now.

        Someone signed in through OpenID Connect is an editor while the provider lists them in
        the configured editor group, else a viewer.
        """
        entry = flask.session.get("user") if flask.has_request_context() else None
        users = self._users.current()
        if not isinstance(entry, dict) or users is None:
            return None
        if flask.session.get("idp") and users.oidc is not None:
            return oidc_user(entry, users.oidc)
        record = users.records.get(str(entry.get("email", "")))
        return record.user if record is not None else None

    @property
    def oidc(self) -> OidcConfig | None:
        """The OpenID Connect sign-in configured in the users file, if any."""
        users = self._users.current()
        return users.oidc if users is not None else None

    def user(self) -> User | None:
        """Return who makes the current request, or None for an anonymous viewer."""
        if self.policy.mode == "local":
            return LOCAL_EDITOR
        if self.policy.mode == "read-only" or not flask.has_request_context():
            return None
        # A browser sends a basic-auth password it once gave to every page after; on a public
        # server the page itself trusts only the session, so that logging out sticks.
        path = flask.request.path
        if self.policy.private or path == LOGIN_PATH or path.startswith("/api/"):
            return self.credentials_user() or self.session_user()
        return self.session_user()

    def may_edit(self) -> bool:
        """Whether the current request comes from an editor."""
        user = self.user()
        return user is not None and user.is_editor

    def require_editor(self) -> User:
        """Return the editor making the current request.

        Raises
        ------
        AccessDenied
            401 when nobody (or a wrong password or token) is logged in, 403 for a viewer or
            on a read-only server; the message says how to get the editor role.
        """
        if self.policy.mode == "read-only":
            raise AccessDenied(
                "this server is read-only: it has no users file "
                f"({self.policy.users_file}); add an editor with '{_ADD_EDITOR}' and "
                "restart the server",
                status=403,
            )
        user = self.user()
        if user is None:
            sent = flask.request.headers.get("Authorization")
            problem = (
                "wrong user name or password, or an unknown token" if sent else "not logged in"
            )
            raise AccessDenied(
                f"{problem}: only editors may change the layers; log in at {LOGIN_PATH}, or "
                "send HTTP basic auth (curl -u NAME) or a bearer token from "
                "'mapdash users token NAME'",
                status=401,
            )
        if not user.is_editor:
            raise AccessDenied(
                f"user {user.name!r} is a viewer: only editors may change the layers; an "
                f"editor can give the role with 'mapdash users add {user.name} --role editor'",
                status=403,
            )
        return user


def oidc_user(userinfo: dict[str, object], config: OidcConfig) -> User | None:
    """Return the user an OpenID Connect ID token describes, with the role its groups give."""
    name = next(
        (str(userinfo[key]) for key in ("email", "preferred_username", "sub") if userinfo.get(key)),
        None,
    )
    if name is None:
        return None
    groups = userinfo.get(config.groups_claim) or []
    if isinstance(groups, str):
        groups = [g.strip() for g in groups.replace(";", ",").split(",")]
    member = isinstance(groups, list) and config.editor_group in groups
    return User(name, "editor" if member else "viewer")


class MapdashOIDCAuth(OIDCAuth):
    """dash-auth's OpenID Connect sign-in, with the API's basic auth and tokens still accepted.

    Parameters
    ----------
    app
        The Dash app to protect.
    access
        Who is who, for the request being served.
    config
        The provider, from the users file's ``[oidc]`` table.
    """

    def __init__(self, app: dash.Dash, access: Access, config: OidcConfig) -> None:
        self.access = access
        private = access.policy.private
        super().__init__(
            app,
            secret_key=app.server.secret_key,
            public_routes=None if private else ["/", "/<path:path>"],
            log_signins=True,
            force_https_callback="MAPDASH_SECURE_COOKIES",
        )
        self.register_provider(
            config.provider,
            client_id=config.client_id,
            client_secret=config.client_secret(),
            server_metadata_url=config.server_metadata_url,
            client_kwargs={"scope": config.scope},
        )

    def is_authorized(self) -> bool:
        """Let in the health check, API clients with credentials, and signed-in users."""
        if flask.request.path in ALWAYS_OPEN or self.access.credentials_user() is not None:
            return True
        return bool(super().is_authorized())


CALLBACK_PATH = "/_dash-update-component"


def callback_outputs(body: object) -> set[str]:
    """Component ids a Dash callback request writes to (``"a.children..b.data"`` shapes)."""
    output = body.get("output") if isinstance(body, dict) else None
    if not isinstance(output, str):
        return set()
    return {part.split(".", 1)[0] for part in output.strip(".").split("..") if part}


def protect_callbacks(server: flask.Flask, access: Access, component_ids: set[str]) -> None:
    """Refuse (403, or 401 for nobody) callback requests that write editor-only components.

    The callbacks check the role themselves too; this answers a forged request before Dash
    runs anything, with an HTTP status a client can see.
    """

    def check() -> flask.Response | None:
        if flask.request.path != CALLBACK_PATH or flask.request.method != "POST":
            return None
        if not callback_outputs(flask.request.get_json(silent=True)) & component_ids:
            return None
        try:
            access.require_editor()
        except AccessDenied as err:
            response = flask.jsonify({"error": str(err), "status": err.status})
            response.status_code = err.status
            return response
        return None

    server.before_request(check)


class MapdashAuth(Auth):
    """dash-auth protection over the users file: basic auth, bearer tokens, session login.

    On a public server every route is public for dash-auth (viewers need no login) and only
    ``/login`` asks for credentials; on a private one every route but the health check does.

    Parameters
    ----------
    app
        The Dash app to protect.
    access
        Who is who, for the request being served.
    """

    def __init__(self, app: dash.Dash, access: Access) -> None:
        self.access = access
        private = access.policy.private
        super().__init__(app, public_routes=None if private else ["/", "/<path:path>"])

    def is_authorized(self) -> bool:
        """Let in logged-in users; a browser's first basic-auth login is kept in its session."""
        if flask.request.path in ALWAYS_OPEN:
            return True
        from_header = self.access.credentials_user()
        if from_header is not None:
            if not flask.request.headers.get("Authorization", "").lower().startswith("bearer"):
                flask.session["user"] = {"email": from_header.name, "groups": [from_header.role]}
            return True
        return self.access.session_user() is not None

    def login_request(self) -> flask.Response:
        """Ask for a user name and password (HTTP basic auth)."""
        return flask.Response(
            "Log in with a mapdash user name and password (mapdash users add NAME).\n",
            status=401,
            headers={"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'},
            mimetype="text/plain",
        )


def secret_key() -> str:
    """Return the key that signs session cookies: ``MAPDASH_SECRET_KEY``, else a random one.

    A random key is made once per server start, before gunicorn forks, so its workers share it;
    several instances behind a load balancer need the same ``MAPDASH_SECRET_KEY``.
    """
    return os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32)


def install_auth(app: dash.Dash, policy: AccessPolicy) -> Access:
    """Protect ``app`` under ``policy``; add ``/login`` and ``/logout``; return its Access.

    Parameters
    ----------
    app
        The Dash app, before it serves.
    policy
        The mode chosen by :func:`decide_policy`.
    """
    access = Access(policy)
    server = app.server
    server.secret_key = secret_key()
    server.config["SESSION_COOKIE_HTTPONLY"] = True
    server.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    auth: MapdashAuth | None = None
    oidc = access.oidc if policy.mode == "users" else None
    if oidc is not None:
        MapdashOIDCAuth(app, access, oidc)
    elif policy.mode == "users":
        auth = MapdashAuth(app, access)

    def login() -> flask.Response | WerkzeugResponse:
        if oidc is not None:
            return flask.redirect(f"/oidc/{oidc.provider}/login")
        if auth is None:
            return flask.redirect("/")
        if not auth.is_authorized():
            return auth.login_request()
        return flask.redirect("/")

    def logout() -> flask.Response:
        flask.session.clear()
        return flask.Response(
            "Logged out. Back to the dashboard: /  (log in again: /login)\n",
            mimetype="text/plain",
        )

    server.add_url_rule(LOGIN_PATH, "mapdash_login", login, methods=["GET"])
    server.add_url_rule(LOGOUT_PATH, "mapdash_logout", logout, methods=["GET"])
    return access


__all__ = [
    "LOCAL_EDITOR",
    "LOGIN_PATH",
    "LOGOUT_PATH",
    "SECRET_ENV",
    "Access",
    "AccessMode",
    "AccessPolicy",
    "MapdashAuth",
    "MapdashOIDCAuth",
    "callback_outputs",
    "decide_policy",
    "install_auth",
    "is_loopback",
    "oidc_user",
    "protect_callbacks",
    "secret_key",
]
