"""The documentation stays true to the code: every command, flag and public name is documented,
and every example in README.md and docs/ runs and prints what the page shows.

How examples are run:

- A ```python block runs in one namespace shared by the python blocks of the same file, in page
  order, so a later block may use what an earlier one defined. The working directory is a fresh
  temporary directory per file holding ``seeds`` (a link to the repository's seed articles), and
  ``SEARCHLIB_CACHE`` points into it. When the block is followed by a line ``Output:`` and a
  ```text block, what the block prints must equal that text.
- A ```console block holds commands (lines starting with ``$ ``), each followed by the output it
  prints (stdout and stderr together). The commands of one file run in order, with ``shell=True``,
  in one temporary directory per file (again with ``seeds`` and a private ``SEARCHLIB_CACHE``), and
  ``searchlib`` is this interpreter's console script, unbuffered so that stdout and stderr lines
  come in the order they are written. Each must exit 0 and print what follows it.
- Before comparing, timings are normalised (``(51.8 ms)``, ``"took_ms": 5.88``), the temporary
  working directory is shown as ``/home/me/news`` (``searchlib index`` reports absolute paths),
  and trailing whitespace is dropped. Scores are compared as printed: they are deterministic.
- ```sh blocks (installation, make targets) are shown, never run. A block preceded by the comment
  ``<!-- doc-test: skip -->`` is not run either.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import searchlib
from searchlib import cli

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
DOCS = REPO / "docs"
README = REPO / "README.md"
PAGES = [README, *sorted(DOCS.rglob("*.md"))]
SUBPACKAGES = ("documents", "analysis", "index", "search", "export")
SKIP_MARK = "<!-- doc-test: skip -->"
SHOWN_WORKDIR = "/home/me/news"
FENCE = re.compile(r"^```([\w-]*)\s*$")
TIMINGS = (
    (re.compile(r"\(\d+(?:\.\d+)? ms\)"), "(… ms)"),
    (re.compile(r'"took_ms": \d+(?:\.\d+)?'), '"took_ms": …'),
)


@dataclass
class Block:
    """A fenced code block of a page: its language, first line number and text."""

    lang: str
    line: int
    text: str
    skip: bool = False
    output: str | None = None  # the ```text block after an "Output:" line, if any


@dataclass
class Command:
    line: int
    command: str
    expected: list[str] = field(default_factory=list)


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, with their skip marks and shown outputs."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    previous: list[str] = []  # non-blank lines outside blocks since the last block
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            if lines[i].strip():
                previous.append(lines[i].strip())
            i += 1
            continue
        start = i
        i += 1
        body = []
        while i < len(lines) and lines[i].rstrip() != "```":
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise AssertionError(f"{path.name}:{start + 1}: code block is never closed")
        block = Block(match.group(1), start + 1, "\n".join(body) + "\n")
        block.skip = bool(previous) and previous[-1] == SKIP_MARK
        if block.lang == "text" and found and previous == ["Output:"]:
            found[-1].output = block.text
        else:
            found.append(block)
        previous = []
        i += 1
    return found


def commands(block: Block) -> list[Command]:
    """The ``$ `` commands of a console block, each with the lines it is shown to print."""
    parsed: list[Command] = []
    for offset, line in enumerate(block.text.splitlines(), 1):
        if line.startswith("$ "):
            parsed.append(Command(block.line + offset, line[2:]))
        elif parsed:
            parsed[-1].expected.append(line)
        elif line.strip():
            raise AssertionError(f"line {block.line + offset}: output before any `$ ` command")
    return parsed


def normalised(text: str, workdir: Path | None = None) -> str:
    if workdir is not None:
        for path in {str(workdir), os.path.realpath(workdir)}:
            text = text.replace(path, SHOWN_WORKDIR)
    for pattern, replacement in TIMINGS:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines()).strip("\n")


def page_id(path: Path) -> str:
    return str(path.relative_to(REPO))


def pages_with(lang: str) -> list[Path]:
    return [p for p in PAGES if any(b.lang == lang and not b.skip for b in blocks(p))]


def docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*.md")))


def reference_text() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((DOCS / "reference").rglob("*.md"))
    )


def cli_options() -> list[tuple[str, str]]:
    """(command, option) for every subcommand ("" as its option) and each of its options."""
    parser = cli._parser()
    found = [("searchlib", option) for option in _options(parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                found += [(name, ""), *((name, option) for option in _options(subparser))]
    return found


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [
        option
        for action in parser._actions
        for option in action.option_strings
        if option not in ("-h", "--help")
    ]


def public_names() -> list[tuple[str, str]]:
    """(module, name) for every name the package and its subpackages export."""
    names = [("searchlib", name) for name in searchlib.__all__]
    for sub in SUBPACKAGES:
        module = __import__(f"searchlib.{sub}", fromlist=["__all__"])
        names += [(module.__name__, name) for name in getattr(module, "__all__", [])]
    return sorted(set(names))


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory with the seed articles, and a private index cache."""
    (tmp_path / "seeds").symlink_to(REPO / "seeds", target_is_directory=True)
    monkeypatch.setenv("SEARCHLIB_CACHE", str(tmp_path / ".cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("command", "option"), [pytest.param(*c, id=" ".join(c).strip()) for c in cli_options()]
)
def test_every_cli_command_and_option_is_documented(command: str, option: str) -> None:
    text = docs_text()
    if not option:
        assert re.search(rf"searchlib {command}\b", text), f"`searchlib {command}` not in docs/"
    else:
        pattern = rf"(?<![\w-]){re.escape(option)}(?![\w-])"
        assert re.search(pattern, text), f"{command} {option} is not documented in docs/"


@pytest.mark.parametrize(
    ("module", "name"), [pytest.param(m, n, id=f"{m}.{n}") for m, n in public_names()]
)
def test_every_public_name_is_in_the_reference(module: str, name: str) -> None:
    # As a code span that starts with the name (`Index.open(path)` documents `Index`).
    pattern = rf"`(?:searchlib\.)?(?:\w+\.)*{re.escape(name)}(?![\w])[^`\n]*`"
    assert re.search(pattern, reference_text()), f"{module}.{name} is not in docs/reference/"


def test_every_docs_page_is_linked_from_the_index_or_the_readme() -> None:
    linked = README.read_text(encoding="utf-8") + (DOCS / "index.md").read_text(encoding="utf-8")
    targets = {
        Path(os.path.normpath(REPO / "docs" / m)) for m in re.findall(r"\]\(([^)#]+)", linked)
    }
    targets |= {Path(os.path.normpath(REPO / m)) for m in re.findall(r"\]\(([^)#]+)", linked)}
    missing = [
        page_id(p) for p in DOCS.rglob("*.md") if p != DOCS / "index.md" and p not in targets
    ]
    assert not missing, f"pages no index links to: {missing}"


def test_every_test_the_docs_name_exists() -> None:
    # The guarantees cite tests by function name; a renamed or deleted test must not be cited.
    defined = set()
    for path in (REPO / "tests").rglob("*.py"):
        defined |= set(re.findall(r"^def (test_\w+)\(", path.read_text(encoding="utf-8"), re.M))
    cited = set(re.findall(r"`(test_\w+)`", docs_text()))
    assert cited, "docs/ cites no tests"
    assert not cited - defined, f"docs/ cite tests that do not exist: {sorted(cited - defined)}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_relative_links_point_at_files_that_exist(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    links = [m for m in re.findall(r"\]\(([^)#\s]+)", text) if "://" not in m]
    broken = [link for link in links if not (page.parent / link).exists()]
    assert not broken, f"{page_id(page)} links to missing files: {broken}"


@pytest.mark.parametrize("page", pages_with("python"), ids=page_id)
def test_python_examples_run_and_print_what_the_page_shows(page: Path, workdir: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in blocks(page):
        if block.lang != "python" or block.skip:
            continue
        where = f"{page_id(page)}:{block.line}"
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block.text, where, "exec"), namespace)
        if block.output is not None:
            assert normalised(printed.getvalue(), workdir) == normalised(block.output), where


@pytest.mark.parametrize("page", pages_with("console"), ids=page_id)
def test_console_examples_run_and_print_what_the_page_shows(page: Path, workdir: Path) -> None:
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave in the order they are written
    for block in blocks(page):
        if block.lang != "console" or block.skip:
            continue
        for command in commands(block):
            where = f"{page_id(page)}:{command.line}: $ {command.command}"
            done = subprocess.run(
                command.command,
                shell=True,
                cwd=workdir,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, f"{where}\nexit {done.returncode}\n{done.stdout}"
            shown = normalised("\n".join(command.expected))
            assert normalised(done.stdout, workdir) == shown, where
