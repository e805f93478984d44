"""The README and the command line agree: every command it shows exists, and vice versa."""

import re
from pathlib import Path

import click
import pytest

from mapdash.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`\n]+)`")
# `mapdash COMMAND ...` inside code: fenced blocks and inline code spans, not prose.
USAGE = re.compile(r"(?:^|[\s$(])mapdash ([a-z][a-z-]*)((?:[ \t]+[^\s|#]+)*)", re.MULTILINE)


def _code() -> str:
    blocks = FENCED.findall(README)
    prose = FENCED.sub("", README)
    return "\n".join([*blocks, *INLINE.findall(prose)])


def _mentions() -> list[tuple[str, list[str]]]:
    found = []
    for command, rest in USAGE.findall(_code()):
        options = re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", rest)
        words = rest.split()
        # A group's subcommand: `mapdash users add ...` is the command "users add".
        group = main.commands.get(command)
        if isinstance(group, click.Group) and words and words[0] in group.commands:
            command = f"{command} {words[0]}"
        found.append((command, options))
    return found


def _command(path: str) -> click.Command | None:
    command: click.Command | None = main
    for word in path.split():
        command = command.commands.get(word) if isinstance(command, click.Group) else None
    return command


def _commands() -> list[str]:
    names = []
    for name, command in sorted(main.commands.items()):
        if isinstance(command, click.Group):
            names += [f"{name} {sub}" for sub in sorted(command.commands)]
        else:
            names.append(name)
    return names


def test_readme_mentions_commands():
    assert _mentions(), "README shows no mapdash command"


@pytest.mark.parametrize(("command", "options"), _mentions())
def test_every_command_and_option_in_the_readme_exists(command, options):
    found = _command(command)
    assert found is not None, f"README shows `mapdash {command}`, which does not exist"
    known = {opt for param in found.params for opt in param.opts}
    known |= {opt for param in found.params for opt in param.secondary_opts}
    known.add("--help")
    unknown = [opt for opt in options if opt not in known]
    assert unknown == [], f"README shows `mapdash {command}` with unknown options {unknown}"


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented(command):
    assert command in {name for name, _ in _mentions()}, f"`mapdash {command}` is not in README"


@pytest.mark.parametrize("command", _commands())
def test_every_option_of_every_command_is_documented(command):
    documented = {opt for name, opts in _mentions() if name == command for opt in opts}
    found = _command(command)
    assert found is not None
    params = [p for p in found.params if isinstance(p, click.Option)]
    missing = [p.opts[-1] for p in params if not (set(p.opts) | set(p.secondary_opts)) & documented]
    missing = [m for m in missing if m not in ("--help",)]
    assert missing == [], f"README does not show these options of `mapdash {command}`: {missing}"


def test_serve_listens_on_loopback_port_8050_unless_told_otherwise(runner):
    defaults = {p.name: p.default for p in main.commands["serve"].params}
    assert (defaults["host"], defaults["port"]) == ("127.0.0.1", 8050)
    result = runner.invoke(main, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    assert re.search(r"--host TEXT\s+Address to bind\.\s+\[default: 127\.0\.0\.1\]", result.output)
    assert re.search(r"--port INTEGER\s+Port to listen on\.\s+\[default: 8050\]", result.output)
    assert "http://127.0.0.1:8050" in README
