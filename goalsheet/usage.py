"""The command line's usage errors in the seller's language (SPEC section 1: exit 2, one clear error).

click words a usage error (a missing argument, an unknown option, a bad option value, an input file that is
not there) in English.  The classes here say it in the language of the run instead: `--lang zh` (or `en`)
anywhere on the command line, else the console's locale (`goalsheet.words.default_lang`).  They use click's
public extension points only: `Group.main` hands the language to every context as its `obj`;
`make_context`, `invoke`, `parse_args` and `resolve_command` turn click's `UsageError` into a `UsageProblem`
whose `show` prints the usage line, the help hint and the error through the catalogue (`goalsheet.words`
CONSOLE); the parameter types fail with the catalogue's words.  In English click's own words stay.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Sequence

import click

from goalsheet.words import Join, Phrase, Term, console, default_lang


class RunLanguage:
    """The language the command line speaks before a workbook is read (`Context.obj` of every context)."""

    def __init__(self, lang: str):
        self.lang = lang


def usage_lang(args: Sequence[str]) -> str:
    """`--lang zh` / `--lang=zh` (or en) anywhere on the command line, else the console's locale."""
    args = list(args)
    for i, arg in enumerate(args):
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else \
            arg[len("--lang="):] if arg.startswith("--lang=") else None
        if value in ("zh", "en"):
            return value
    return default_lang()


def lang_of(ctx: click.Context | None) -> str:
    """The language of the command line whose context is `ctx`."""
    obj = ctx.obj if ctx is not None else None
    return obj.lang if isinstance(obj, RunLanguage) else usage_lang(sys.argv[1:])


class UsageProblem(click.UsageError):
    """A usage error already worded in `lang`; shown, in Chinese, with a Chinese usage line and help hint."""

    def __init__(self, message: str, ctx: click.Context | None, lang: str):
        super().__init__(message, ctx)
        self.lang = lang

    def show(self, file: Any = None) -> None:
        if self.lang != "zh":
            return super().show(file)
        err = file is None
        ctx = self.ctx
        if ctx is not None:
            click.echo(console("usage_line", "zh", command=ctx.command_path, pieces=" ".join(usage_pieces(ctx))),
                       file=file, err=err)
            if ctx.command.get_help_option(ctx) is not None:
                click.echo(console("usage_help", "zh", command=ctx.command_path), file=file, err=err)
            click.echo(file=file, err=err)
        click.echo(console("usage_error", "zh", message=self.message), file=file, err=err)


class Interrupted(click.ClickException):
    """Ctrl-C during a command: one line in the run's language, exit 130 (the shell's code for SIGINT)."""
    exit_code = 130

    def __init__(self, lang: str):
        super().__init__(console("interrupted", lang))

    def show(self, file: Any = None) -> None:
        click.echo(self.message, file=file, err=file is None)


def usage_pieces(ctx: click.Context) -> list[str]:
    """The usage line after the command, in Chinese: [选项], each argument's Chinese name, 命令 [参数]..."""
    command = ctx.command
    pieces = [console("usage_options", "zh")] if command.options_metavar else []
    for param in command.get_params(ctx):
        if isinstance(param, click.Argument):
            name = Term("argument", param.name).text("zh")
            name = name if param.required else f"[{name}]"
            pieces.append(name + ("..." if param.nargs != 1 else ""))
    if isinstance(command, click.Group):
        pieces.append(console("usage_subcommand", "zh"))
    return pieces


def param_name(param: click.Parameter | None, ctx: click.Context | None, hint: Any = None) -> str:
    """How a message names a parameter: an argument by its Chinese name, an option by its flags."""
    if isinstance(param, click.Argument):
        return Term("argument", param.name).text("zh")
    if param is not None:
        return " / ".join(param.opts)
    if hint:
        return hint if isinstance(hint, str) else " / ".join(hint)
    return ""


def said(exc: click.UsageError, ctx: click.Context | None = None) -> click.UsageError:
    """`exc` worded in the run's language: click's own errors are said again through the catalogue when the run
    speaks Chinese; anything else (a `UsageProblem`, the help shown for no arguments) is left as it is."""
    ctx = exc.ctx or ctx
    lang = lang_of(ctx)
    if isinstance(exc, UsageProblem) or lang != "zh":
        return exc
    if isinstance(exc, click.MissingParameter):
        param = exc.param
        code = "missing_argument" if isinstance(param, click.Argument) else "missing_option"
        text = console(code, lang, name=param_name(param, ctx, exc.param_hint))
    elif isinstance(exc, click.NoSuchOption):
        hint = console("did_you_mean_option", lang, names=Join(tuple(exc.possibilities))) if exc.possibilities \
            else ""
        text = console("no_such_option", lang, name=exc.option_name, hint=hint)
    elif isinstance(exc, click.BadOptionUsage):
        option = next((p for p in (ctx.command.get_params(ctx) if ctx else [])
                       if isinstance(p, click.Option) and exc.option_name in p.opts + p.secondary_opts), None)
        code = "option_takes_no_value" if option is not None and option.is_flag else "option_needs_value"
        text = console(code, lang, name=exc.option_name)
    elif isinstance(exc, click.BadParameter) and isinstance(exc.param, click.Argument):
        text = exc.message                      # the argument's value names itself: "shop.xlsx 不存在"
    elif isinstance(exc, click.BadParameter):
        text = console("invalid_value", lang, name=param_name(exc.param, ctx, exc.param_hint), message=exc.message)
    elif type(exc) in (click.UsageError, click.BadArgumentUsage):
        text = console("usage_other", lang, message=exc.message)
    else:
        return exc
    return UsageProblem(text, ctx, lang)


# click's usage errors `said` words by their kind (an unknown command is worded by `Group.resolve_command`)
_SAID_BY_KIND = (click.MissingParameter, click.NoSuchOption, click.BadOptionUsage, click.BadParameter)


class _SaysUsage:
    """What `Command` and `Group` share: click's usage errors said again in the run's language."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise said(exc, parent) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise said(exc, ctx) from None
        except KeyboardInterrupt:
            raise Interrupted(lang_of(ctx)) from None


class Command(_SaysUsage, click.Command):
    """A goalsheet command: its usage errors in the run's language."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if lang_of(ctx) != "zh" or ctx.allow_extra_args:
            return super().parse_args(ctx, args)
        ctx.allow_extra_args = True        # so the words for arguments left over are the catalogue's
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = False
        if rest and not ctx.resilient_parsing:
            raise UsageProblem(console("extra_arguments", "zh", args=" ".join(rest)), ctx, "zh")
        return rest


class Group(_SaysUsage, click.Group):
    """goalsheet's group of commands: its commands and subgroups are `Command` and `Group` too; `main` settles
    the language of the command line before anything is parsed."""
    command_class = Command
    group_class = type

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        if extra.get("obj") is None:
            extra["obj"] = RunLanguage(usage_lang(args))
        return super().main(args, *rest, **extra)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            if lang_of(ctx) != "zh" or not args or isinstance(exc, _SAID_BY_KIND) \
                    or self.get_command(ctx, str(args[0])) is not None:
                raise
            raise UsageProblem(console("no_such_command", "zh", name=args[0],
                                       names=Join(tuple(self.list_commands(ctx)))), ctx, "zh") from None


# ---- parameter types that fail with the catalogue's words in a Chinese run


class Choice(click.Choice):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            if lang_of(ctx) != "zh":
                raise
            self.fail(console("bad_choice", "zh", value=value, names=Join(tuple(map(str, self.choices)))), param, ctx)


class Path(click.Path):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            if lang_of(ctx) != "zh":
                raise
            path = os.fspath(value)
            if not os.path.lexists(path):
                code = "file_missing"
            elif os.path.isdir(path):
                code = "file_is_folder" if not self.dir_okay else "path_unusable"
            elif not self.file_okay:
                code = "path_is_file"
            else:
                code = "path_unusable"
            self.fail(Phrase(code, {"path": path}).text("zh") if code.startswith("file_") else
                      console(code, "zh", path=path), param, ctx)


class IntRange(click.IntRange):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            if lang_of(ctx) != "zh":
                raise
            self.fail(_range_words(value, self, "whole_number"), param, ctx)


class FloatRange(click.FloatRange):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            if lang_of(ctx) != "zh":
                raise
            self.fail(_range_words(value, self, "a_number"), param, ctx)


def _range_words(value: Any, kind: click.IntRange | click.FloatRange, number: str) -> str:
    """Why `value` is not a number of the range, in Chinese: not a number at all, or outside it."""
    try:
        float(value)
    except (TypeError, ValueError):
        return console("not_" + number, "zh", value=value)
    if kind.min is not None and kind.max is not None:
        return console("outside_range", "zh", value=value, lo=kind.min, hi=kind.max)
    if kind.min is not None:
        return console("below_range", "zh", value=value, lo=kind.min)
    return console("above_range", "zh", value=value, hi=kind.max)
