"""Where commands write (goalsheet/paths.py; docs/limits.md, Output files): no output is an input of the command,
nothing goalsheet did not write is replaced without --force, a file that cannot be written is one line naming
it (exit 1) with nothing half-written, and the plan workbook and its JSON appear together or not at all."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clirun import GOLDEN, invoke, lines, listing  # noqa: E402

from goalsheet.report import default_template, is_goalsheet_output  # noqa: E402


@pytest.fixture
def shop(tmp_path) -> Path:
    path = tmp_path / "shop.xlsx"
    shutil.copyfile(GOLDEN, path)
    return path


@pytest.fixture(scope="module")
def earlier_plan(tmp_path_factory) -> Path:
    """A plan workbook of the golden seller, and its JSON beside it."""
    folder = tmp_path_factory.mktemp("earlier")
    code, out, err = invoke("plan", GOLDEN, "-o", folder / "plan.xlsx", "--json", folder / "plan.json")
    assert code == 0, err
    return folder / "plan.xlsx"


# -- no output is an input -------------------------------------------------------------------------------------

@pytest.mark.parametrize("option", ["--json", "-o"])
def test_an_output_naming_the_input_is_refused_and_the_input_is_untouched(shop, option):
    before = listing(shop.parent)
    code, out, err = invoke("plan", shop, option, shop, "--force")
    assert code == 2
    assert "is the input workbook" in err and "shop.xlsx" in err
    assert listing(shop.parent) == before


def test_an_output_reaching_the_input_by_a_hard_link_is_refused(shop):
    link = shop.with_name("other-name.json")
    os.link(shop, link)
    before = listing(shop.parent)
    code, out, err = invoke("plan", shop, "--json", link, "--force")
    assert code == 2 and "is the input workbook" in err
    assert listing(shop.parent) == before


@pytest.mark.parametrize("option,what", [("--baseline", "the --baseline workbook"),
                                         ("--template", "the --template workbook")])
def test_an_output_naming_another_input_is_refused(tmp_path, earlier_plan, option, what):
    mine = tmp_path / "earlier.xlsx"
    shutil.copyfile(earlier_plan, mine)         # a goalsheet output, which -o could otherwise replace
    before = listing(tmp_path)
    code, out, err = invoke("plan", GOLDEN, "-o", mine, option, mine)
    assert code == 2 and what in err
    assert listing(tmp_path) == before


def test_the_workbook_and_the_json_cannot_be_one_file(tmp_path):
    code, out, err = invoke("plan", GOLDEN, "-o", tmp_path / "p.xlsx", "--json", tmp_path / "p.xlsx")
    assert code == 2 and "name the same file" in err
    assert listing(tmp_path) == {}


@pytest.mark.parametrize("name", ["shop", "./shop.xlsx", "shop.txt"])
def test_annotate_to_a_name_that_becomes_the_input_is_refused(shop, name, monkeypatch):
    monkeypatch.chdir(shop.parent)
    before = listing(shop.parent)
    code, out, err = invoke("check", "shop.xlsx", "--annotate", name, "--force")
    assert code == 2 and "is the input workbook" in err
    assert listing(shop.parent) == before


# -- nothing replaced that goalsheet did not write ------------------------------------------------------------

def test_json_over_a_file_goalsheet_did_not_write_needs_force(tmp_path):
    theirs = tmp_path / "notes.json"
    theirs.write_text('{"my": "notes"}', encoding="utf-8")
    code, out, err = invoke("plan", GOLDEN, "-o", tmp_path / "p.xlsx", "--json", theirs)
    assert code == 2 and "--force" in err and "notes.json" in err
    assert theirs.read_text(encoding="utf-8") == '{"my": "notes"}'
    assert not (tmp_path / "p.xlsx").exists()
    code, out, err = invoke("plan", GOLDEN, "-o", tmp_path / "p.xlsx", "--json", theirs, "--force")
    assert code == 0, err
    assert json.loads(theirs.read_text(encoding="utf-8"))["goalsheet_plan"] == 1


def test_a_rerun_replaces_its_own_workbook_and_json_without_force(tmp_path, earlier_plan):
    shutil.copyfile(earlier_plan, tmp_path / "p.xlsx")
    (tmp_path / "p.json").write_text("{\n \"goalsheet_plan\": 1, \"stale\": true}", encoding="utf-8")
    code, out, err = invoke("plan", GOLDEN, "-o", tmp_path / "p.xlsx", "--json", tmp_path / "p.json")
    assert code == 0, err
    assert "stale" not in json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert sorted(listing(tmp_path)) == ["p.json", "p.xlsx"]          # no temporary file left


def test_the_default_output_of_a_monthly_rerun_is_replaced(shop):
    assert invoke("plan", shop)[0] == 0
    first = shop.with_name("shop-plan.xlsx").stat().st_ino
    code, out, err = invoke("plan", shop)
    assert code == 0, err
    assert is_goalsheet_output(shop.with_name("shop-plan.xlsx"))
    assert shop.with_name("shop-plan.xlsx").stat().st_ino != first      # a new file put in its place


def test_annotate_replaces_its_own_copy_but_not_another_file(tmp_path):
    bad = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(GOLDEN)
    wb["SKUs"]["F2"] = "abc"
    wb.save(bad)
    copy = tmp_path / "bad-checked.xlsx"
    assert invoke("check", bad, "--annotate", copy)[0] == 1
    code, out, err = invoke("check", bad, "--annotate", copy)       # its own copy: replaced
    assert code == 1 and "annotated copy" in err
    clean = tmp_path / "clean-checked.xlsx"                          # a copy with nothing to comment
    assert invoke("check", GOLDEN, "--annotate", clean)[0] == 0
    assert invoke("check", GOLDEN, "--annotate", clean)[0] == 0      # is still recognised as its own
    theirs = tmp_path / "theirs.xlsx"
    openpyxl.Workbook().save(theirs)
    before = theirs.read_bytes()
    code, out, err = invoke("check", bad, "--annotate", theirs)
    assert code == 2 and "--force" in err
    assert theirs.read_bytes() == before


def test_template_export_replaces_only_an_unchanged_export(tmp_path, shop):
    before = shop.read_bytes()
    code, out, err = invoke("template", "export", shop)
    assert code == 2 and "--force" in err
    assert shop.read_bytes() == before
    mine = tmp_path / "mine.xlsx"
    assert invoke("template", "export", mine, "--lang", "en")[0] == 0
    assert invoke("template", "export", mine, "--lang", "zh")[0] == 0         # an unchanged export: replaced
    assert mine.read_bytes() == default_template("zh").read_bytes()
    wb = openpyxl.load_workbook(mine)
    wb.active["Z1"] = "restyled"
    wb.save(mine)
    restyled = mine.read_bytes()
    assert invoke("template", "export", mine)[0] == 2                         # restyled: the user's own now
    assert mine.read_bytes() == restyled
    assert invoke("template", "export", mine, "--force")[0] == 0
    assert mine.read_bytes() == default_template("zh").read_bytes()


def test_init_never_replaces_a_file_without_force(shop):
    before = shop.read_bytes()
    code, out, err = invoke("init", shop)
    assert code == 2 and "--force" in err
    assert shop.read_bytes() == before


# -- a file that cannot be written ----------------------------------------------------------------------------

def _blocked(tmp_path: Path, how: str) -> tuple[Path, str]:
    """An output path that cannot be written, and the words its line must hold."""
    if how == "missing folder":
        return tmp_path / "no-such-folder" / "out.xlsx", "does not exist"
    if how == "under a file":
        (tmp_path / "a-file").write_text("x")
        return tmp_path / "a-file" / "out.xlsx", "is a file, not a folder"
    (tmp_path / "out.xlsx").mkdir()
    return tmp_path / "out.xlsx", "is a directory"


COMMANDS = {
    "plan -o": lambda tmp, out: ("plan", GOLDEN, "-o", out),
    "plan --json": lambda tmp, out: ("plan", GOLDEN, "-o", tmp / "p.xlsx", "--json", out),
    "check --annotate": lambda tmp, out: ("check", GOLDEN, "--annotate", out),
    "template export": lambda tmp, out: ("template", "export", out, "--lang", "en"),   # (Chinese by default)
    "init": lambda tmp, out: ("init", out, "--lang", "en"),
}


@pytest.mark.parametrize("how", ["missing folder", "under a file", "a folder in the way"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_output_that_cannot_be_written_is_one_line_and_nothing_is_written(tmp_path, command, how):
    out, words = _blocked(tmp_path, how)
    before = listing(tmp_path)
    code, stdout, stderr = invoke(*COMMANDS[command](tmp_path, out))
    if how == "a folder in the way":        # click's own check of the option: a usage error
        assert code == 2 and words in stderr and str(out) in stderr
    else:
        assert code == 1, stderr
        assert len(lines(stderr)) == 1 and words in stderr and str(out) in stderr
    assert "Traceback" not in stdout + stderr
    assert listing(tmp_path) == before


def test_a_read_only_folder_is_one_line(tmp_path, monkeypatch):
    """A folder nobody may write into (simulated: the tests may run as root, who can write anywhere)."""
    import tempfile
    folder = tmp_path / "ro"
    folder.mkdir()
    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        if Path(kwargs.get("dir") or args[2]) == folder:
            raise PermissionError(13, "Permission denied", str(folder))
        return real(*args, **kwargs)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    code, out, err = invoke("plan", GOLDEN, "-o", folder / "p.xlsx")
    assert code == 1 and lines(err) == [f"cannot write {folder / 'p.xlsx'}: permission denied (is it open in "
                                        f"Excel or another program, or is the folder read-only?)"]
    assert listing(folder) == {}


def _refuse_replacing(monkeypatch, name: str) -> None:
    """os.replace onto `name` fails as it does on Windows while Excel has the file open."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).name == name and not Path(src).name.endswith(".previous"):
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst, *args, **kwargs)
    monkeypatch.setattr(os, "replace", replace)


def test_a_plan_open_in_excel_is_one_line_naming_it_and_left_as_it_was(tmp_path, earlier_plan, monkeypatch):
    shutil.copyfile(earlier_plan, tmp_path / "p.xlsx")
    before = listing(tmp_path)
    _refuse_replacing(monkeypatch, "p.xlsx")
    code, out, err = invoke("plan", GOLDEN, "-o", tmp_path / "p.xlsx")
    assert code == 1
    assert lines(err) == [f"cannot write {tmp_path / 'p.xlsx'}: permission denied (is it open in Excel or "
                          f"another program, or is the folder read-only?)"]
    assert listing(tmp_path) == before


@pytest.mark.parametrize("earlier", [True, False], ids=["rerun", "first run"])
def test_the_workbook_and_the_json_publish_together_or_not_at_all(tmp_path, earlier_plan, monkeypatch, earlier):
    """The JSON cannot replace its file (open elsewhere): the workbook just published is taken back, the
    earlier one restored."""
    if earlier:
        shutil.copyfile(earlier_plan, tmp_path / "p.xlsx")
        shutil.copyfile(earlier_plan.with_name("plan.json"), tmp_path / "p.json")
    before = listing(tmp_path)
    _refuse_replacing(monkeypatch, "p.json")
    code, out, err = invoke("plan", GOLDEN, "-o", tmp_path / "p.xlsx", "--json", tmp_path / "p.json")
    assert code == 1 and len(lines(err)) == 1 and "p.json" in err
    assert listing(tmp_path) == before


def test_both_files_are_published_when_both_can_be(tmp_path):
    code, out, err = invoke("plan", GOLDEN, "-o", tmp_path / "p.xlsx", "--json", tmp_path / "p.json")
    assert code == 0, err
    assert sorted(listing(tmp_path)) == ["p.json", "p.xlsx"]
    assert json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))["goalsheet_plan"] == 1
    assert is_goalsheet_output(tmp_path / "p.xlsx")
