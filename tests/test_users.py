"""The users file and the `mapdash users` commands: hashes only, clear refusals."""

from __future__ import annotations

import stat
import tomllib

import pytest

from mapdash.cli import main
from mapdash.errors import UsersError
from mapdash.users import (
    add_user,
    issue_token,
    load_users,
    remove_user,
    token_hash,
)


@pytest.fixture
def users_file(tmp_path, monkeypatch):
    path = tmp_path / "instance" / "users.toml"
    monkeypatch.setenv("MAPDASH_USERS", str(path))
    return path


def test_add_stores_a_salted_hash_never_the_password(users_file) -> None:
    add_user("alice", role="editor", password="correct horse")
    add_user("bob", role="viewer", password="correct horse")
    text = users_file.read_text()
    assert "correct horse" not in text
    doc = tomllib.loads(text)["users"]
    assert doc["alice"]["role"] == "editor" and doc["bob"]["role"] == "viewer"
    # Same password, different salts: different hashes.
    assert doc["alice"]["password"].startswith("scrypt:")
    assert doc["alice"]["password"] != doc["bob"]["password"]
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    users = load_users(users_file)
    assert users is not None
    assert users.verify_password("alice", "correct horse").role == "editor"
    assert users.verify_password("alice", "wrong horse!") is None
    assert users.verify_password("nobody", "correct horse") is None
    assert users.editors == ["alice"]


def test_a_token_is_stored_as_its_hash_and_replaced_when_reissued(users_file) -> None:
    add_user("bot", role="editor", password="long enough")
    first = issue_token("bot")
    assert first.startswith("mdt_") and len(first) > 40
    text = users_file.read_text()
    assert first not in text and token_hash(first) in text
    users = load_users(users_file)
    assert users.verify_token(first).name == "bot"
    second = issue_token("bot")
    users = load_users(users_file)
    assert users.verify_token(first) is None
    assert users.verify_token(second).name == "bot"
    # Changing the password keeps the token.
    add_user("bot", role="viewer", password="another one")
    assert load_users(users_file).verify_token(second).role == "viewer"


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("al ice", "editor", "long enough", r"user name 'al ice' is not usable; use 1-64"),
        ("alice", "admin", "long enough", r"role 'admin' is unknown; expected one of editor, vi"),
        ("alice", "editor", "short", r"the password is 5 characters long; use at least 8"),
    ],
)
def test_bad_additions_are_refused(users_file, name, role, password, message) -> None:
    with pytest.raises(UsersError, match=message):
        add_user(name, role=role, password=password)
    assert not users_file.exists()


def test_remove_and_token_name_unknown_users(users_file) -> None:
    add_user("alice", role="editor", password="long enough")
    with pytest.raises(UsersError, match=r"no user 'carol' in .*users.toml; the users are: alice"):
        remove_user("carol")
    with pytest.raises(UsersError, match=r"no user 'carol' .* add one first with 'mapdash users"):
        issue_token("carol")
    remove_user("alice")
    assert load_users(users_file).records == {}


def test_a_malformed_users_file_is_named_with_how_to_fix_it(users_file) -> None:
    users_file.parent.mkdir(parents=True)
    users_file.write_text('[users.alice]\nrole = "editor"\npassword = "hunter22"\n')
    with pytest.raises(UsersError, match=r"user 'alice': 'password' must be a salted hash"):
        load_users(users_file)
    users_file.write_text("[users.alice\n")
    with pytest.raises(UsersError, match=r"not a TOML users file"):
        load_users(users_file)
    users_file.write_text('[users.alice]\nrole = "owner"\npassword = "a$b"\n')
    with pytest.raises(UsersError, match=r"user 'alice': role 'owner' is unknown"):
        load_users(users_file)


def test_users_commands(runner, users_file) -> None:
    result = runner.invoke(
        main, ["users", "add", "alice", "--role", "editor", "--password-stdin"], input="s3cret-pw\n"
    )
    assert result.exit_code == 0, result.output
    assert f"alice: editor in {users_file}" in result.output
    result = runner.invoke(
        main, ["users", "add", "bob", "--role", "viewer"], input="viewer-pw\nviewer-pw\n"
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["users", "token", "alice"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert load_users(users_file).verify_token(token).name == "alice"
    result = runner.invoke(main, ["users", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "role", "token", "created"]
    assert lines[1].split()[:3] == ["alice", "editor", "yes"]
    assert lines[2].split()[:3] == ["bob", "viewer", "no"]
    assert "s3cret-pw" not in users_file.read_text()
    result = runner.invoke(main, ["users", "remove", "bob"])
    assert result.exit_code == 0 and "removed bob" in result.output
    result = runner.invoke(main, ["users", "remove", "bob"])
    assert result.exit_code == 1
    assert "Error: no user 'bob'" in result.output


def test_users_add_refuses_a_short_password_and_a_bad_role(runner, users_file) -> None:
    result = runner.invoke(
        main, ["users", "add", "alice", "--role", "editor", "--password-stdin"], input="short\n"
    )
    assert result.exit_code == 1
    assert "Error: the password is 5 characters long; use at least 8" in result.output
    result = runner.invoke(main, ["users", "add", "alice", "--role", "owner"])
    assert result.exit_code == 2
    assert not users_file.exists()


def test_users_list_without_a_file_says_how_to_start(runner, users_file) -> None:
    result = runner.invoke(main, ["users", "list"])
    assert result.exit_code == 0
    assert "no users in" in result.output and "mapdash users add NAME --role editor" in (
        result.output
    )
