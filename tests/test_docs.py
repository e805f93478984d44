"""The README and the command line agree: every command it shows exists, and vice versa."""

import re
import shlex
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


# -- every example runs ----------------------------------------------------------------------

SKIP_MARK = re.compile(r"^<!-- docs-test: skip \(([^)]+)\) -->$")
#: Options whose value is a file or folder the example writes: moved into a temporary folder.
OUTPUTS = ("--out", "--out-dir", "--claims-file")
MAGIC = {".png": b"\x89PNG", ".pdf": b"%PDF", ".svg": b"<svg", ".gif": b"GIF8", ".yaml": b""}


def _example_groups() -> list[list[str]]:
    """Every `mapdash ...` the README shows to run, grouped as they run together.

    The lines of one code block run in order on one folder (a swap, then its rollback); each
    `mapdash ...` of the commands table runs on its own.
    """
    groups: list[list[str]] = []
    inside, skipped, previous = False, False, ""
    for line in README.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            if not inside:
                skipped = bool(SKIP_MARK.match(previous))
                groups.append([])
            inside = not inside
        elif inside:
            command = stripped.removeprefix("$ ").split(" #", 1)[0].strip()
            if command.startswith("mapdash ") and not skipped:
                groups[-1].append(command)
        elif stripped.startswith("|"):
            groups += [
                [span.replace("\\|", "|")]
                for span in INLINE.findall(stripped)
                if span.startswith("mapdash ")
            ]
        if stripped:
            previous = stripped
    return [group for group in groups if group]


def _examples() -> list[str]:
    return [command for group in _example_groups() for command in group]


def test_the_readme_marks_what_it_does_not_run():
    # The servers are shown, and skipped with a reason; everything else is run below.
    skipped = [m.group(1) for m in map(SKIP_MARK.match, README.splitlines()) if m]
    assert "starts a server that runs until stopped" in skipped
    assert not any(e.startswith(("mapdash serve", "mapdash worker")) for e in _examples())
    assert sum(e.startswith("mapdash export") for e in _examples()) >= 7


@pytest.mark.parametrize("examples", _example_groups(), ids=lambda group: " && ".join(group))
def test_every_readme_example_runs_as_written(examples, runner, tmp_path, monkeypatch, root):
    import contextlib
    import shutil

    import mapdash.export
    from mapdash.export import shared_exporter

    @contextlib.contextmanager
    def warm(*, tabs: int = 1):
        yield shared_exporter()

    monkeypatch.setattr(mapdash.export, "open_exporter", warm)
    geodata = tmp_path / "geodata"
    shutil.copytree(root / "geodata", geodata, ignore=shutil.ignore_patterns("history"))
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata))
    monkeypatch.chdir(root)
    for example in examples:
        _run(example, runner, tmp_path, root)


def _run(example: str, runner, tmp_path: Path, root: Path) -> None:
    import shutil

    args = shlex.split(example)[1:]
    written: list[Path] = []
    for i, arg in enumerate(args[:-1]):
        if arg in OUTPUTS:
            given = Path(args[i + 1])
            target = tmp_path / "out" / given.name
            target.parent.mkdir(exist_ok=True)
            if (root / given).is_file() and not target.exists():
                shutil.copy(root / given, target)  # a file the command updates
            args[i + 1] = str(target)
            written.append(target)
    result = runner.invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, f"`{example}` failed:\n{result.output}"
    for target in written:
        files = sorted(target.iterdir()) if target.is_dir() else [target]
        assert files, f"`{example}` wrote nothing into {target.name}"
        for file in files:
            assert file.stat().st_size > 0, file.name
            assert file.read_bytes().startswith(MAGIC.get(file.suffix, b"")), file.name
    if not written:
        assert result.stdout.strip(), f"`{example}` printed nothing"
