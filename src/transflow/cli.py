"""The command line: options in, library calls, one line per error on stderr.

Exit codes: 0 ok, 1 findings (check) or an engine failure, 2 bad input.
Heavy modules are imported inside commands so `transflow --help` stays fast.
"""

import json
import os
import re
import sys
from pathlib import Path

import click

from . import __version__
from .errors import TransflowError


class Group(click.Group):
    """Turns the project's own errors into one line on stderr and its exit code, and
    SIGTERM into Ctrl-C (stopping.py): what is finished is kept, the exit code is 143."""

    def invoke(self, ctx):
        from . import stopping

        with stopping.sigterm_as_interrupt() as received:
            try:
                return super().invoke(ctx)
            except TransflowError as e:
                click.echo(f"transflow: error: {e}", err=True)
                sys.exit(stopping.EXIT_CODE if received.sigterm else e.exit_code)
            except KeyboardInterrupt:
                click.echo("transflow: terminated" if received.sigterm else "transflow: interrupted", err=True)
                sys.exit(stopping.EXIT_CODE if received.sigterm else 130)
            except OSError as e:
                # A fault of the machine that no library call turned into its own error
                # (a folder made before a write): still one line, naming the path.
                from .errors import EnvironmentFault

                click.echo(f"transflow: error: {EnvironmentFault.of(e)}", err=True)
                sys.exit(EnvironmentFault.exit_code)


def _lock_timeout(ctx, param, value):
    """--lock-timeout checked when the command line is read, before any work (lock.py)."""
    from .lock import checked_timeout

    return checked_timeout(value)


def _split_langs(values) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def _skip_patterns(extra=()) -> list[str]:
    """Built-in defaults, then the project file's ``skip_patterns``, then --skip-pattern.

    Every command reads articles with the same list, so `build` and `segment` see
    the units `translate` wrote.
    """
    from .readers.lines import DEFAULT_SKIP_PATTERNS

    return [*DEFAULT_SKIP_PATTERNS, *_project().skip_patterns, *extra]


_content_option = click.option(
    "--content", type=click.Choice(["main", "all"]), default=None, show_default="project file, else main",
    help="Of a full HTML page, translate its article (main) or every block (all); other articles are read whole.")


def _content(value) -> str:
    """--content, else the project file's ``content``, else main. Every command that reads
    articles reads them with it, so `build` and `segment` see the units `translate` wrote."""
    return _setting(value, "content", "main")


def _project():
    """The project file's settings (config.ProjectConfig), read once per command."""
    from .config import load_project

    ctx = click.get_current_context(silent=True)
    meta = ctx.find_root().meta if ctx is not None else {}
    if "transflow.project" not in meta:
        meta["transflow.project"] = load_project(Path.cwd())
    return meta["transflow.project"]


def _setting(value, key, default):
    """The command line's value, else the project file's ``key``, else the built-in
    default; a default path is in the project's folder when there is a project file,
    as the file's own paths are, so every subfolder finds the same files."""
    if value is not None:
        return value
    project = _project()
    configured = getattr(project, key)
    if configured is None:
        if isinstance(default, Path) and project.root is not None:
            return _near(project.root / default)
        return default
    return _near(configured) if isinstance(configured, Path) else configured


def _near(path: Path) -> Path:
    """A project file's path as messages show it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path, Path.cwd())
    except ValueError:  # another drive on Windows
        return path
    return path if rel == os.pardir or rel.startswith(os.pardir + os.sep) else Path(rel)


def _shown(path: Path) -> str:
    """A path as the working folder reaches it (``../locales/pt/...`` from a subfolder)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _articles(articles) -> tuple:
    """ARTICLE arguments, else the project file's ``articles``."""
    from .errors import InputError

    project = _project()
    articles = articles or tuple(_near(p) for p in project.articles)
    if not articles:
        raise InputError(f"no article given: pass one, or set `articles:` in {project.label}")
    return articles


def _read_beside(articles, source, encoding, skip_patterns, jobs, content="main"):
    """articles.read_beside for translate, or None: a source language that does not
    parse is pipeline.translate's to report, with its other checks, in their order."""
    from . import langs
    from .articles import read_beside
    from .errors import LanguageError

    try:
        source = langs.normalize(source)
    except LanguageError:
        return None
    return read_beside(articles, source, encoding, skip_patterns, jobs, content)


def _glossary_path(path):
    """--glossary, else the project file's ``glossary``, else glossary/ (which may be missing)."""
    return _setting(path, "glossary", Path("glossary"))


def _glossary(ctx, path):
    from . import glossary as g

    # --glossary and the project file's glossary must exist; the built-in default may be missing.
    if ctx.get_parameter_source("glossary_path") in (None, click.core.ParameterSource.DEFAULT):
        path = _glossary_path(None)
        if not Path(path).exists():
            if _project().glossary is None:
                return g.Glossary()
            from .errors import InputError

            raise InputError(f"{_project().path}: glossary: {path} does not exist")
    return g.load(path)


_FORCE_HELP = "Replace the output even if it exists and transflow did not write it, or it is one of the inputs."
_FORCE_PO_HELP = (_FORCE_HELP + " Also use a PO file whose references name another existing article of the same "
                  "file name.")


def _project_input() -> tuple:
    """The project file as an input an output must not replace (outputs.guard)."""
    return _project().path, "the project file"


def _glossary_inputs(glossary) -> list[tuple]:
    return [(f, "a glossary file") for f in glossary.files]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="transflow")
@click.pass_context
def main(ctx):
    """Turn articles into reviewed-ready translations with consistent terminology.

    Options left out come from the project file (transflow.yaml, or [tool.transflow]
    in pyproject.toml, in this folder or above), else the defaults shown.

    \b
    Example:
      transflow translate examples/north-korean-refugees.txt --to pt
    """
    # click already drops colour when the output is not a terminal; NO_COLOR
    # (no-color.org) turns it off on a terminal too. Subcommands inherit ctx.color.
    if os.environ.get("NO_COLOR"):
        ctx.color = False


_SEVERITY = re.compile(r": (error|warning): ")
_SEVERITY_COLOURS = {"error": "red", "warning": "yellow"}


def _styled_findings(text: str) -> str:
    """Severities in colour; click.echo strips the codes again when colour is off."""
    def paint(m):
        return f": {click.style(m.group(1), fg=_SEVERITY_COLOURS[m.group(1)], bold=True)}: "

    return "\n".join(_SEVERITY.sub(paint, line, count=1) for line in text.split("\n"))


@main.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("--to", "targets", multiple=True, help="Target languages, comma-separated (pt,de) or repeated (default: the project file's targets).")
@click.option("--from", "source", default=None, show_default="project file, else en", help="Source language of the articles.")
@click.option("--glossary", "glossary_path", default=None, show_default="project file, else glossary", type=click.Path(path_type=Path), help="Glossary YAML file or directory.")
@click.option("--locales", default=None, show_default="project file, else locales", type=click.Path(path_type=Path, file_okay=False), help="Where the PO files go.")
@click.option("--engine", type=click.Choice(["auto", "bergamot", "argos", "apertium"]), default=None, show_default="project file, else auto", help="MT engine; auto prefers an installed Argos package, then Bergamot, then Apertium, then two models through English.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Parallel workers (default: number of cores).")
@click.option("--encoding", default=None, help="Encoding of the articles (default UTF-8).")
@click.option("--skip-pattern", "skip_patterns", multiple=True, help="Regex for lines to keep untranslated (adds to the defaults).")
@click.option("--tm", "tm_path", default=None, show_default="project file, else .transflow/tm.sqlite in the project's folder", type=click.Path(path_type=Path, dir_okay=False), help="Translation memory file.")
@click.option("--no-tm", is_flag=True, help="Neither read nor write the translation memory.")
@click.option("--lock-timeout", type=float, default=60.0, show_default=True, callback=_lock_timeout, help="Seconds to wait for another run on the same locales directory.")
@click.option("--risk/--no-risk", "risk", default=None, show_default="project file, else on", help="Assess how far to trust each MT draft (a `#. risk:` comment; back-translates some drafts).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--force", is_flag=True, help="Use a PO file whose references name another existing article of the same file name (this one replaces it).")
@click.option("--cluster", default=None, envvar="TRANSFLOW_CLUSTER", metavar="ADDRESS", show_envvar=True,
              help="Run the MT on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786); `local` starts one "
                   "on this machine, `none` runs without (default: the project file's `cluster`, else none). "
                   "Needs pip install 'transflow[cluster]'.")
@_content_option
@click.pass_context
def translate(ctx, articles, targets, source, glossary_path, locales, engine, jobs, encoding, skip_patterns, tm_path, no_tm, lock_timeout, risk, quiet, force, cluster, content):
    """Machine-translate ARTICLES into PO files of fuzzy drafts, merging with existing ones.

    Without ARTICLES and --to, the project file's `articles` and `targets`.

    \b
    Example:
      transflow translate examples/north-korean-refugees.txt --to pt,de
    """
    from .errors import InputError

    articles = _articles(articles)
    targets = _split_langs(targets) or list(_project().targets)
    if not targets:
        raise InputError(f"no target language: pass --to (e.g. --to pt,de), or set `targets:` in {_project().label}")
    source, locales, engine = _setting(source, "source", "en"), _setting(locales, "locales", Path("locales")), _setting(engine, "engine", "auto")
    skip_patterns, content = _skip_patterns(skip_patterns), _content(content)
    # The first MT call waits for the articles to be segmented, not for the model to
    # load: start reading now, before the imports and the glossary below.
    reading = _read_beside(articles, source, encoding, skip_patterns, jobs, content)
    bar = None
    try:
        from . import pipeline
        from .config import DEFAULT_TM_PATH
        from .progress import TerminalBar

        glossary_path = _glossary_path(glossary_path)
        tm_path = _setting(tm_path, "tm", DEFAULT_TM_PATH)
        glossary = _glossary(ctx, glossary_path)
        # A live bar only for a person watching: not in logs, pipes or with --quiet.
        bar = TerminalBar(sys.stderr) if sys.stderr.isatty() and not quiet else None
        outcomes = pipeline.translate(
            articles,
            _split_langs(targets),
            source=source,
            glossary=glossary,
            locales=locales,
            engine=engine,
            jobs=jobs,
            encoding=encoding,
            skip_patterns=skip_patterns,
            content=content,
            tm=None if no_tm else tm_path,
            lock_timeout=lock_timeout,
            progress=bar,
            base=_project().root,
            reading=reading,
            force=force,
            risk=_setting(risk, "risk", True),
            notify=None if quiet else _notify,
            warn=lambda message: click.echo(f"transflow: warning: {message}", err=True),
            cluster=_cluster(cluster),
        )
    except BaseException:
        if reading is not None:
            reading.cancel()  # a no-op once pipeline.translate collected it
        raise
    finally:
        if bar is not None:
            bar.close()
    _remember_run(ctx, articles, glossary_path, glossary, outcomes)
    if quiet:
        return
    for o in outcomes:
        state = "written" if o.written else "unchanged"
        extra = f", glossary not applied in {o.glossary_failed}" if o.glossary_failed else ""
        extra += f", {o.risk['high']} high-risk drafts" if o.risk.get("high") else ""
        if o.refused:
            extra += f", {o.refused} too long to translate (no place to cut them; see their #. comment)"
        click.echo(
            f"{_shown(o.path)}: {state}; {o.entries} entries, {o.translated} new MT drafts ({o.model_id}), {o.from_tm} from TM, "
            f"{o.kept} kept, {o.fuzzy_matched} fuzzy-matched, {o.obsoleted} obsolete{extra}",
            err=True,
        )


def _cluster(address):
    """--cluster or TRANSFLOW_CLUSTER, else the project file's ``cluster``; None for none."""
    address = _setting(address, "cluster", None)
    if address is None or address.strip().lower() in ("", "none"):
        return None
    import importlib.util

    from .errors import InputError

    if importlib.util.find_spec("distributed") is None:
        raise InputError(f"--cluster {address}: Dask is not installed: pip install 'transflow[cluster]'")
    return address.strip()


def _notify(level: str, line: str) -> None:
    click.echo(f"transflow: {level}: {line}", err=True)


def _remember_run(ctx, articles, glossary_path, glossary, outcomes) -> None:
    """Record the run for console.py's up-to-date check, when it left nothing to do."""
    from . import uptodate

    launch = ctx.find_root().obj or {}
    if "argv" not in launch:
        return  # called in-process (tests, other programs): no command line to key it by
    if not articles or any(o.untranslated for o in outcomes):
        uptodate.forget(launch["argv"], launch["cwd"])
        return
    summary = [f"{o.path}: unchanged; {o.entries} entries, nothing changed since the last run" for o in outcomes]
    uptodate.record(
        launch["argv"], launch["cwd"],
        files=[*articles, *glossary.files, glossary_path],
        folders=[glossary_path, *_project().article_folders],  # a new file a project glob matches
        outputs=[o.path for o in outcomes],
        summary=summary,
    )


@main.command()
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--from", "source", default=None, show_default="project file, else en", help="Language of the article.")
@click.option("--json", "as_json", is_flag=True, help="Print the units as JSON.")
@click.option("--encoding", default=None, help="Encoding of the article (default UTF-8).")
@click.option("--left-out", "left_out", is_flag=True, help="Also list what is not translated, and why (not the article, navigation, not language...).")
@_content_option
def segment(article, source, as_json, encoding, left_out, content):
    """Print the translatable units of ARTICLE with their line and character span.

    \b
    Example:
      transflow segment examples/north-korean-refugees.txt --json
      transflow segment page.html --left-out
    """
    from . import langs, readers
    from .segment import segment_all

    doc = readers.read(article, encoding=encoding, skip_patterns=_skip_patterns(), content=_content(content))
    units, skipped = segment_all(doc, langs.normalize(_setting(source, "source", "en")))
    rows = [(u, "") for u in units] + (skipped if left_out else [])
    rows.sort(key=lambda row: row[0].start)
    if as_json:
        out = []
        for u, why in rows:
            row = {"line": u.line, "start": u.start, "end": u.end, "kind": u.kind, "block": u.block, "text": u.text}
            out.append({**row, "translate": False, "left_out": why} if why else row)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for u, why in rows:
            click.echo(f"{doc.name}:{u.line}\t{u.start}-{u.end}\t{f'left out: {why}' if why else u.kind}\t{u.text}")
    if skipped and not left_out:
        from collections import Counter

        reasons = Counter(why for _, why in skipped)
        click.echo(f"{doc.name}: {len(units)} units; left out: " + ", ".join(f"{n} {why}" for why, n in reasons.most_common())
                   + " (--left-out lists them)", err=True)


@main.group()
def models():
    """List, download, install and carry MT models."""


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the pairs as JSON.")
def models_list(as_json):
    """Show every language pair each engine can translate on this machine.

    \b
    Example:
      transflow models list
    """
    from .engines import available_models

    infos = available_models()
    if as_json:
        click.echo(json.dumps([i.__dict__ for i in infos], indent=2))
        return
    if not infos:
        click.echo("no models installed", err=True)
    for i in infos:
        click.echo(f"{i.engine:9} {i.source}->{i.target:6} {i.model_id}\n          from {i.origin}")


@models.command("install")
@click.argument("package", type=click.Path(path_type=Path))
def models_install(package):
    """Install Argos Translate packages from a local .argosmodel FILE, or every one in a FOLDER (no network).

    \b
    Examples:
      transflow models install translate-en_de-1_0.argosmodel
      transflow models install usb-stick/models/
    """
    from .engines.argos_install import install_package
    from .engines.carry import archives_in

    for archive in archives_in(package):
        info = install_package(archive)
        click.echo(f"installed {info.source}->{info.target} ({info.model_id}) in {info.origin}", err=True)


_INDEX_HELP = "Argos package index: a URL, or a mirror folder or index.json (default: $ARGOS_PACKAGE_INDEX, else argospm's)."


@models.command("available")
@click.option("--from", "source", default=None, help="Only pairs from this language.")
@click.option("--to", "target", default=None, help="Only pairs into this language.")
@click.option("--engine", type=click.Choice(["all", "argos", "bergamot"]), default="all", show_default=True, help="Which index to ask (bergamot: Firefox Translations, $FXTRANSLATE_RECORDS_URL).")
@click.option("--index", "index_location", default=None, help=_INDEX_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the offers as JSON.")
def models_available(source, target, engine, index_location, as_json):
    """List the pairs that can be downloaded (asks the indexes over the network).

    \b
    Example:
      transflow models available --from en --to ko
    """
    from .engines import available_models, index
    from .langs import display_name, normalize

    source, target = (normalize(c) if c else None for c in (source, target))
    offers, skipped, failed = [], 0, []
    for name, ask in (("argos", lambda: index.argos_offers(index_location)), ("bergamot", index.bergamot_offers)):
        if engine not in ("all", name):
            continue
        try:
            found, left_out = ask()
        except TransflowError as e:
            failed.append(e)
            if engine != "all" or len(failed) == 2:
                raise  # nothing could be listed
            click.echo(f"transflow: warning: {name} models not listed: {e}", err=True)
            continue
        offers += found
        skipped += left_out
    offers = [o for o in offers if source in (None, o.source) and target in (None, o.target)]
    offers.sort(key=lambda o: (o.source, o.target, o.engine, index.version_key(o.version)))
    here = {(i.engine, i.source, i.target): i for i in available_models()}
    rows = []
    for o in offers:
        have = here.get((o.engine, o.source, o.target))
        rows.append({**o.__dict__, "links": list(o.links), "source_name": display_name(o.source),
                     "target_name": display_name(o.target), "installed": have.model_id if have else None})
    if skipped:
        click.echo(f"transflow: left out {skipped} index entries (other package kinds, or language codes transflow does not know)", err=True)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no pair matches", err=True)
    for r in rows:
        names = f"{r['source_name']} -> {r['target_name']}"
        state = f"  installed: {r['installed']}" if r["installed"] else ""
        click.echo(f"{r['engine']:9} {r['source'] + '->' + r['target']:13} {names:40} {r['version']}{state}")


@models.command("download")
@click.argument("source")
@click.argument("target")
@click.option("--engine", type=click.Choice(["argos", "bergamot"]), default="argos", show_default=True, help="Argos package index, or Firefox Translations.")
@click.option("--index", "index_location", default=None, help=_INDEX_HELP)
@click.option("--allow-any-origin", is_flag=True, help="Follow the index's links to any server (default: only the index's own origin, this machine, or files in the index's folder; the built-in index may link anywhere).")
def models_download(source, target, engine, index_location, allow_any_origin):
    """Download, verify and install the model for SOURCE -> TARGET.

    \b
    Examples:
      transflow models download en ko
      transflow models download en ko --index https://mirror.example.org/argos/
      transflow models download en de --engine bergamot
    """
    from .engines import index
    from .langs import normalize

    source, target = normalize(source), normalize(target)
    if engine == "bergamot":
        from .engines import fxdownload
        from .engines.bergamot import cache_dir

        route = fxdownload.download(source, target, bar=fxdownload.progress_bars())
        via = f" (through {route['pivot']})" if route.get("kind") == "pivot" else ""
        click.echo(f"downloaded the Firefox Translations model {source}->{target}{via} into {cache_dir()}", err=True)
        return
    offers, _ = index.argos_offers(index_location)
    offer = index.choose(offers, source, target)
    if offer.sha256 is None:
        click.echo(f"transflow: warning: the index gives no checksum for {offer.label}: the download cannot be verified", err=True)
    bar = index.DownloadBar(offer.label) if sys.stderr.isatty() else None
    try:
        info, verified = index.download(offer, progress=bar, allow_any_origin=allow_any_origin)
    finally:
        if bar is not None:
            bar.close()
    checked = "sha256 verified" if verified else "not verified"
    click.echo(f"installed {info.source}->{info.target} ({info.model_id}, {checked}) in {info.origin}", err=True)


@models.command("export")
@click.argument("pair")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Folder to write the .argosmodel file and its index.json into.")
@click.option("--force", is_flag=True, help="Replace an .argosmodel file or index.json in the folder that transflow did not write.")
def models_export(pair, out_dir, force):
    """Write the installed Argos package for PAIR (e.g. en-ko) as an .argosmodel file, for a machine without network.

    \b
    Example:
      transflow models export en-ko -o usb-stick/models/
      # on the other machine: transflow models install usb-stick/models/
    """
    from .engines import carry

    source, target = carry.parse_pair(pair)
    archive = carry.export_package(source, target, out_dir, force=force)
    click.echo(f"wrote {archive} (listed with its sha256 in {archive.parent / carry.INDEX})", err=True)


@main.group("glossary")
def glossary_group():
    """Validate, export and import the terminology glossary."""


@glossary_group.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def glossary_validate(path):
    """Report every problem in the glossary at PATH (default: the project file's
    glossary, else glossary/) as file:line: message.

    \b
    Example:
      transflow glossary validate glossary/
    """
    from . import glossary as g

    path = _glossary_path(path)
    problems = g.validate(path)
    for p in problems:
        click.echo(p)
    if problems:
        click.echo(f"{len(problems)} problem(s)", err=True)
        sys.exit(1)
    click.echo(f"{path}: ok, {len(g.load(path))} terms", err=True)


@glossary_group.command("export")
@click.argument("path", default="glossary", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["tbx", "tbx2", "csv", "tsv"]), default="tbx", show_default=True, help="tbx: TBX v3 TBX-Basic; tbx2: TBX 2 martif (Translate Toolkit, Weblate); csv/tsv: DeepL or Google Cloud glossaries.")
@click.option("--to", "targets", multiple=True, help="Only these languages, comma-separated; csv/tsv with one: two columns (DeepL), csv without --to: a header of language codes (Google).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False, allow_dash=True), help="File to write (-: stdout).")
@click.option("--force", is_flag=True, help=_FORCE_HELP)
def glossary_export(path, fmt, targets, output, force):
    """Write the glossary at PATH as TBX, CSV or TSV for CAT tools and MT services.

    \b
    Examples:
      transflow glossary export glossary/ -o refugee-protection.tbx
      transflow glossary export glossary/ --format csv --to de -o deepl-en-de.csv
    """
    from .glossary import exchange

    count, written = exchange.export(path, output, fmt=fmt, targets=_split_langs(targets), force=force,
                                     protect=[_project_input()])
    if str(output) != "-":
        click.echo(f"wrote {output}: {count} terms ({', '.join(written) or 'source only'})", err=True)


@glossary_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Glossary YAML to write (default: glossary/NAME.yaml).")
@click.option("--from", "source", default=None, help="Source language (default: the TBX file's xml:lang, else en).")
@click.option("--to", "target", default=None, help="Only this target language; needed for a two-column CSV/TSV.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def glossary_import(file, output, source, target, force):
    """Read a TBX (v3 or 2), CSV or TSV glossary into transflow's glossary YAML.

    \b
    Example:
      transflow glossary import terms.tbx -o glossary/terms.yaml
    """
    from .glossary import exchange

    result = exchange.import_file(file, output, source=source, target=target, force=force)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"wrote {result.path}: {len(result.terms)} terms from {result.kind}", err=True)


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--glossary", "glossary_path", default=None, show_default="project file, else glossary", type=click.Path(path_type=Path), help="Glossary YAML file or directory.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--annotate", is_flag=True, help="Write findings into the PO files as translator comments and mark those entries fuzzy.")
@click.option("--strict", is_flag=True, help="Fail on findings in fuzzy drafts too, not only in reviewed entries.")
@click.option("--risk", "risk", is_flag=True, help="Fail on reviewed entries that are a high-risk MT draft cleared without editing (reads the translation memory).")
@click.option("--tm", "tm_path", default=None, show_default="project file, else .transflow/tm.sqlite in the project's folder", type=click.Path(path_type=Path, dir_okay=False), help="Translation memory for --risk.")
@click.option("--from", "source", default=None, show_default="project file, else en", help="Source language (for --risk).")
@click.pass_context
def check_cmd(ctx, paths, glossary_path, fmt, annotate, strict, risk, tm_path, source):
    """Check translated PO files (default: locales/) against the glossary and source numbers.

    Exits 1 when a reviewed entry breaks a rule (with --strict: any entry; with --risk:
    also a reviewed entry that is a high-risk MT draft cleared without editing), 0 otherwise.

    \b
    Example:
      transflow check locales/ --format json
    """
    from . import check as checks

    paths = paths or (_setting(None, "locales", Path("locales")),)
    findings = checks.check(paths, _glossary(ctx, glossary_path))
    if risk:
        from .config import DEFAULT_TM_PATH
        from .risk.cleared import cleared_without_editing

        found = cleared_without_editing(paths, _setting(tm_path, "tm", DEFAULT_TM_PATH), _setting(source, "source", "en"))
        findings = sorted(findings + found, key=lambda f: (f.file, f.line, f.kind, f.term))
    if fmt == "json":
        click.echo(checks.to_json(findings))
    elif findings:
        click.echo(_styled_findings(checks.to_text(findings)))
    if annotate and findings:
        touched = checks.annotate(paths, findings)
        click.echo(f"annotated {touched} entries", err=True)
    failed = checks.gate_failed(findings, include_drafts=strict)
    errors = sum(f.severity == "error" for f in findings)
    click.echo(f"{len(findings)} finding(s), {errors} error(s); gate {'failed' if failed else 'passed'}", err=True)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("--from", "source", default=None, show_default="project file, else en", help="Source language of the articles.")
@click.option("--locales", default=None, show_default="project file, else locales", type=click.Path(path_type=Path, file_okay=False))
@click.option("--encoding", default=None, help="Encoding of the articles (default UTF-8).")
@click.option("--force", is_flag=True, help="Replace a template that transflow did not write.")
@_content_option
def extract(articles, source, locales, encoding, force, content):
    """Write the template <locales>/<stem>.pot of each article (no translation).

    \b
    Example:
      transflow extract examples/north-korean-refugees.txt
    """
    from . import catalog, langs, outputs, pofile
    from .articles import load_articles

    articles, source, locales = _articles(articles), _setting(source, "source", "en"), _setting(locales, "locales", Path("locales"))
    for art in load_articles(articles, langs.normalize(source), encoding, _skip_patterns(), _content(content)):
        path = catalog.pot_path(locales, art.stem)
        pot = catalog.template([(art.doc, art.units)], art.stem, base=_project().root)
        # A template transflow wrote (its X-Generator header) is transflow's to replace, on any machine.
        outputs.write_text(path, pofile.dumps(pot), inputs=[(art.doc.path, "the article"), _project_input()],
                           force=force, ours=outputs.POT, hint="pass --force to replace it")
        click.echo(f"{path}: {len(pot)} entries", err=True)


@main.command()
@click.option("--locales", default=None, show_default="project file, else locales", type=click.Path(path_type=Path, file_okay=False))
@click.option("--glossary", "glossary_path", default=None, show_default="project file, else glossary", type=click.Path(path_type=Path), help="Glossary for the findings column.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def status(ctx, locales, glossary_path, fmt):
    """Show per article and language how many entries are reviewed, fuzzy, untranslated, obsolete.

    \b
    Example:
      transflow status --format json
    """
    from . import status as progress

    locales = _setting(locales, "locales", Path("locales"))
    rows = progress.collect(locales)
    glossary = _glossary(ctx, glossary_path)
    if rows and len(glossary):
        from . import check as checks

        progress.add_findings(rows, checks.check([locales], glossary))
    click.echo(progress.to_json(rows) if fmt == "json" else progress.to_text(rows))


@main.command("build")
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--to", "lang", required=True, help="Language of the PO file to build from.")
@click.option("--from", "source", default=None, show_default="project file, else en")
@click.option("--locales", default=None, show_default="project file, else locales", type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Where to write (default: stdout).")
@click.option("--drafts/--reviewed-only", default=True, show_default=True, help="Use fuzzy MT drafts, or refuse to build while any unit is still a draft.")
@click.option("--encoding", default=None, help="Encoding of the article (default UTF-8).")
@click.option("--force", is_flag=True, help=_FORCE_PO_HELP)
@_content_option
def build_cmd(article, lang, source, locales, output, drafts, encoding, force, content):
    """Write ARTICLE in the --to language from its PO file (reviewed translations, else
    MT drafts), in the article's own format.

    \b
    Example:
      transflow build examples/north-korean-refugees.txt --to pt -o north-korean-refugees.pt.txt
    """
    from . import build, catalog, langs, outputs, pofile
    from .articles import load_articles
    from .errors import InputError

    lang = langs.normalize(lang)
    source, locales = _setting(source, "source", "en"), _setting(locales, "locales", Path("locales"))
    [art] = load_articles([article], langs.normalize(source), encoding, _skip_patterns(), _content(content))
    path = catalog.po_path(locales, lang, art.stem)
    if not path.exists():
        raise InputError(f"{path}: no PO file; run `transflow translate {article} --to {lang}` first")
    inputs = [(article, "the article"), (path, "the PO file"), _project_input()]
    if output:
        outputs.guard(output, inputs=inputs, force=force)
    po = pofile.load(path)
    if not force:
        catalog.check_article(po, path, article, _project().root)
    result = build.build(art.doc, art.units, po, allow_drafts=drafts)
    if result.drafts and not drafts:
        click.echo(f"transflow: {result.drafts} unit(s) are still MT drafts; review them or build with --drafts", err=True)
        sys.exit(1)
    if output:
        outputs.write_text(output, result.text, inputs=inputs, force=force)
    else:
        click.echo(result.text, nl=False)
    note = f"{result.reviewed} reviewed, {result.drafts} still MT drafts, {result.missing} untranslated"
    click.echo(f"{output or 'stdout'}: {note}", err=True)


@main.command("review")
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("--to", "targets", multiple=True, help="Languages to show, comma-separated (default: the project file's targets, else every language with a PO file for the articles).")
@click.option("--from", "source", default=None, show_default="project file, else en", help="Source language of the articles.")
@click.option("--glossary", "glossary_path", default=None, show_default="project file, else glossary", type=click.Path(path_type=Path), help="Glossary for the highlighted terms and the findings.")
@click.option("--locales", default=None, show_default="project file, else locales", type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--output", default="review.html", show_default=True, type=click.Path(path_type=Path, dir_okay=False), help="Where to write the page.")
@click.option("--encoding", default=None, help="Encoding of the articles (default UTF-8).")
@click.option("--force", is_flag=True, help=_FORCE_HELP)
@_content_option
@click.pass_context
def review_cmd(ctx, articles, targets, source, glossary_path, locales, output, encoding, force, content):
    """Write one offline HTML page: source, translation, status and glossary findings side by side.

    \b
    Example:
      transflow review examples/north-korean-refugees.txt --to pt -o review.html
    """
    from . import check as checks
    from . import langs, outputs, review
    from .articles import load_articles
    from .errors import InputError

    articles, locales = _articles(articles), _setting(locales, "locales", Path("locales"))
    source = langs.normalize(_setting(source, "source", "en"))
    arts = load_articles(articles, source, encoding, _skip_patterns(), _content(content))
    targets = [langs.normalize(t) for t in _split_langs(targets)] or list(_project().targets) or review.languages(locales, [a.stem for a in arts])
    if not targets:
        raise InputError(f"no PO file for {', '.join(a.doc.name for a in arts)} under {locales}/; "
                         f"run `transflow translate {articles[0]} --to LANG` first, or pass --to")
    catalogs = review.gather(arts, targets, locales)
    glossary = _glossary(ctx, glossary_path)
    # The whole locales folder, as `transflow check` sees it: consistency spans every article of a language.
    checked = [locales] if Path(locales).is_dir() else []
    findings = checks.check(checked, glossary) if len(glossary) and checked else []
    inputs = [*[(a.doc.path, "an article") for a in arts], *[(c.path, "a PO file") for c in catalogs],
              *_glossary_inputs(glossary), _project_input()]
    outputs.write_text(output, review.render(arts, catalogs, glossary, findings, source=source), inputs=inputs,
                       force=force, ours=outputs.REVIEW_PAGE)
    for summary in review.summarize(arts, catalogs, findings):
        click.echo(f"{output}: {summary.text()}", err=True)


@main.command("export")
@click.argument("article", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--to", "lang", required=True, help="Language of the PO file to export.")
@click.option("--from", "source", default=None, show_default="project file, else en", help="Language of the article.")
@click.option("--format", "fmt", type=click.Choice(["xliff", "xliff21", "xliff12"]), default="xliff", show_default=True, help="xliff (or xliff21): XLIFF 2.1 (with the glossary terms of each unit); xliff12: XLIFF 1.2.")
@click.option("--locales", default=None, show_default="project file, else locales", type=click.Path(path_type=Path, file_okay=False))
@click.option("--glossary", "glossary_path", default=None, show_default="project file, else glossary", type=click.Path(path_type=Path), help="Glossary whose terms go into each unit (XLIFF 2.1).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Where to write (default: stdout).")
@click.option("--force", is_flag=True, help=_FORCE_PO_HELP + " An exported file a translator worked on is not transflow's any more.")
@click.pass_context
def export_cmd(ctx, article, lang, source, fmt, locales, glossary_path, output, force):
    """Write the PO file of ARTICLE in LANG as XLIFF for a CAT tool; `transflow import` brings it back.

    \b
    Example:
      transflow export examples/north-korean-refugees.txt --to pt -o north-korean-refugees.pt.xlf
    """
    from . import catalog, langs, outputs, pofile, xliff
    from .errors import InputError

    lang = langs.normalize(lang)
    source, locales = _setting(source, "source", "en"), _setting(locales, "locales", Path("locales"))
    path = catalog.po_path(locales, lang, article.stem)
    if not path.exists():
        raise InputError(f"{path}: no PO file; run `transflow translate {article} --to {lang}` first")
    po = pofile.load(path)
    if not force:
        catalog.check_article(po, path, article, _project().root)
    glossary = _glossary(ctx, glossary_path)
    text = xliff.dumps(po, source=source, target=lang, original=path.as_posix(), fmt=fmt, glossary=glossary)
    if output:
        outputs.write_text(output, text, force=force, inputs=[
            (article, "the article"), (path, "the PO file"), *_glossary_inputs(glossary), _project_input()])
    else:
        click.echo(text, nl=False)
    counts = {}
    for entry in po:
        if not entry.obsolete:
            counts[xliff.status(entry)] = counts.get(xliff.status(entry), 0) + 1
    click.echo(
        f"{output or 'stdout'}: XLIFF {xliff.FORMATS[fmt]}, {sum(counts.values())} units ({counts.get('reviewed', 0)} reviewed, "
        f"{counts.get('fuzzy', 0)} drafts, {counts.get('untranslated', 0)} untranslated)",
        err=True,
    )


@main.command("import")
@click.argument("xliff_file", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--locales", default=None, show_default="project file, else locales", type=click.Path(path_type=Path, file_okay=False))
@click.option("--lock-timeout", type=float, default=60.0, show_default=True, callback=_lock_timeout, help="Seconds to wait for another run on the same locales directory.")
@click.option("--po", "po_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The PO file to import into, for an XLIFF file that does not name it (no 'original', as many tools write it).")
def import_cmd(xliff_file, locales, lock_timeout, po_path):
    """Bring the targets, states and translator notes of an XLIFF FILE back into its PO file.

    Only what changed in FILE since the export is imported. Exits 1 when a unit's
    source is no longer in the PO file, when a unit and its entry both changed
    since the export (a conflict: neither is overwritten), or when a unit could be
    more than one entry (its msgctxt lost); the rest is imported.

    \b
    Examples:
      transflow import north-korean-refugees.pt.xlf
      transflow import messages.xlf --po locales/pt/LC_MESSAGES/messages.po
    """
    from . import xliffmerge

    left_out = 0
    for r in xliffmerge.import_file(xliff_file, _setting(locales, "locales", Path("locales")), lock_timeout, po=po_path):
        for u in r.missing:
            click.echo(f"{xliff_file}: unit {u.id}: source not in {r.po_path} (changed or removed since the export): {u.source[:60]!r}", err=True)
        for c in r.conflicts:
            click.echo(f"{xliff_file}: conflict in {r.po_path}: {c.describe()}", err=True)
        for a in r.refused:
            click.echo(f"{xliff_file}: {r.po_path}: {a.describe()}", err=True)
        left_out += r.left_out
        state = "written" if r.changed else "unchanged"
        ignored = f", {r.empty_ignored} empty targets ignored" if r.empty_ignored else ""
        conflicts = f", {len(r.conflicts)} conflicts left as the PO file has them" if r.conflicts else ""
        conflicts += f", {len(r.refused)} not imported (see above)" if r.refused else ""
        click.echo(
            f"{r.po_path}: {state}; {r.units} units, {r.updated} translations updated, {r.reviewed} marked reviewed, "
            f"{r.fuzzy} marked fuzzy, {r.comments} comments changed, {len(r.missing)} not found{ignored}{conflicts}",
            err=True,
        )
    sys.exit(1 if left_out else 0)


if __name__ == "__main__":
    main()
