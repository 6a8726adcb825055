"""The ``seawall`` command line: thin parsing and dispatch; work happens in the packages below.

Exit codes (every command, first match wins): 2 for usage or configuration errors, refused
input, or an incomplete run; then the ``--exit-code`` value (default 1) when an unsuppressed
fail/warn at or above ``--fail-on`` is present; else 0.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

from seawall import __version__
from seawall.config import load_config
from seawall.errors import SeawallError

EXIT_ERROR = 2


#: Subcommands, imported only when used: a warm ``image sbom`` must not pay for the audit's imports.
COMMANDS = {
    "audit": ("seawall.cli.audit", "audit"),
    "rules": ("seawall.cli.rules", "rules"),
    "image": ("seawall.cli.image", "image"),
    "fs": ("seawall.cli.image", "fs"),
    "cache": ("seawall.cli.image", "cache"),
    "authz": ("seawall.cli.authz", "authz"),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand name, for --help."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the subcommand's module and return the command (None when unknown)."""
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        command = getattr(importlib.import_module(target[0]), target[1])
        if not isinstance(command, click.Command):  # a wiring bug, not user input
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="seawall")
@click.option(
    "--config",
    "config_path",
    envvar="SEAWALL_CONFIG",
    type=click.Path(dir_okay=False),
    help="Config file (default: ./.seawall.yaml when present). Env: SEAWALL_CONFIG.",
)
@click.option("--debug", is_flag=True, envvar="SEAWALL_DEBUG", help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, debug: bool) -> None:
    """seawall: Docker security toolkit.

    \b
    Exit codes: 0 clean; 1 (or --exit-code) findings at or above --fail-on;
    2 usage/config error, refused input, or an incomplete run.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    # Config file values become click defaults: flags and SEAWALL_* env still win.
    ctx.default_map = load_config(config_path)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code (never raises for user-facing errors)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        rv = cli.main(args=args, prog_name="seawall", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("seawall: aborted", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except SeawallError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(f"seawall: {exc.message}", err=True)
        if exc.hint:
            click.echo(f"  hint: {exc.hint}", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        click.echo("seawall: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as exc:
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(
            f"seawall: internal error: {type(exc).__name__}: {exc} (rerun with --debug)", err=True
        )
        return EXIT_ERROR
    return int(rv or 0)
