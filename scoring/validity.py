"""How far the automatic grid agrees with jurors, recomputed from a folder of graded transcripts.

    python -m scoring.validity DIR [--part calibration|untouched|all] [--markdown] [--json OUT] [--publish]
    python -m scoring.validity fit DIR [--part calibration] [--write] [--weights]

Folder (docs/grid-validity.md): ``DIR/transcripts/<stem>.json`` (the transcript format, ``engine``
optional), ``DIR/grades/<grader>.json`` = ``{"grader": "J1", "grades": {"<stem>": {"<criterion>":
0|1|2|3|null}}}``, ``DIR/split.json`` = ``{"calibration": [stems], "untouched": [stems]}``, optional
``DIR/meta.jsonl``. Each transcript's grid is recomputed with the rubrics (packaged, or ``--rubrics``);
the graders' consensus is the lower median; criteria left to the jury are excluded.

``fit`` searches each criterion's three thresholds on the calibration part only (a deterministic,
exhaustive search on a fixed grid) to maximise quadratic-weighted kappa with the consensus, minus a
penalty on the mean bias, on automatic levels ≥ 2 where the consensus is 0 and on moving away from the
current thresholds (``--weights`` also tries each criterion's w_* sub-weights); ``--write`` writes them
back into the rubric YAML files (comments kept) and bumps each changed rubric's version.
``--publish`` (untouched part only) writes ``scoring/rubrics/reliability.json`` for the review page.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from scoring.annotate import TurnAnnotation
from scoring.conversation import ConversationAnalyzer, ConversationFigures
from scoring.errors import ScoringInputError
from scoring.grid import criterion_measures, level_for
from scoring.kappa import Agreement, agreement, consensus
from scoring.reliability import RELIABILITY_FILE, BlocReliability, CriterionReliability, Reliability
from scoring.rubric import RUBRIC_DIR, Rubric, load_rubric_file
from scoring.transcript import Transcript, load_transcript

PARTS = ("calibration", "untouched", "all")


# --- the folder ---------------------------------------------------------------------------------------

@dataclass
class GradedSet:
    """Transcripts, every grader's levels and the split, as read from DIR."""

    transcripts: dict[str, Transcript]
    grades: dict[str, dict[str, dict[str, int | None]]]  # grader → stem → criterion → level
    split: dict[str, list[str]]
    meta: list[dict[str, Any]] = field(default_factory=list)

    def stems(self, part: str) -> list[str]:
        """Stems of a part that have a transcript, sorted (the order never depends on the disk)."""
        if part == "all":
            wanted = set(self.split.get("calibration", [])) | set(self.split.get("untouched", []))
        else:
            wanted = set(self.split.get(part, []))
        return sorted(s for s in wanted if s in self.transcripts)

    def consensus(self, stem: str, criterion: str) -> int | None:
        return consensus([g.get(stem, {}).get(criterion) for _, g in sorted(self.grades.items())])


def _fail(fr: str, en: str) -> ScoringInputError:
    return ScoringInputError(fr, en)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise _fail(f"Fichier illisible : {path} ({exc}).", f"Cannot read {path} ({exc}).") from exc


def _level(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
        raise _fail(f"Niveau invalide ({where}) : {value!r} (0, 1, 2, 3 ou null).",
                    f"Invalid level ({where}): {value!r} (0, 1, 2, 3 or null).")
    return value


def load_graded_set(directory: str | Path) -> GradedSet:
    """Read DIR; a missing part or a malformed grade fails with a bilingual message."""
    root = Path(directory)
    tdir, gdir = root / "transcripts", root / "grades"
    if not tdir.is_dir() or not gdir.is_dir():
        raise _fail(f"Dossier incomplet : {root} doit contenir transcripts/ et grades/.",
                    f"Incomplete folder: {root} must hold transcripts/ and grades/.")
    transcripts = {p.stem: load_transcript(p) for p in sorted(tdir.glob("*.json"))}
    grades: dict[str, dict[str, dict[str, int | None]]] = {}
    for path in sorted(gdir.glob("*.json")):
        data = _read_json(path)
        grader = str(data.get("grader") or path.stem)
        grades[grader] = {str(stem): {str(c): _level(v, f"{path.name} {stem} {c}") for c, v in levels.items()}
                          for stem, levels in (data.get("grades") or {}).items()}
    if not grades:
        raise _fail(f"Aucune note dans {gdir}.", f"No grades in {gdir}.")
    split_path = root / "split.json"
    split = _read_json(split_path) if split_path.exists() else {"calibration": [], "untouched": sorted(transcripts)}
    meta_path = root / "meta.jsonl"
    meta = []
    if meta_path.exists():
        meta = [json.loads(line) for line in meta_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return GradedSet(transcripts, grades, {k: [str(s) for s in v] for k, v in split.items()}, meta)


def load_rubrics(directory: str | Path | None = None) -> dict[int, Rubric]:
    """The rubrics the grid uses (packaged ones by default)."""
    root = Path(directory) if directory else RUBRIC_DIR
    return {b: load_rubric_file(root / f"bloc{b}.yaml") for b in (2, 4, 5) if (root / f"bloc{b}.yaml").exists()}


# --- automatic measures -------------------------------------------------------------------------------

Measures = dict[str, dict[str, tuple[float, int | None] | None]]  # stem → criterion → (measure, cap)


@dataclass
class Analysed:
    """A transcript with its turn readings and conversation figures (computed once, reused by every
    rubric variant the fit tries). ``annotations`` is None when the transcript cannot be analysed."""

    transcript: Transcript
    annotations: list[TurnAnnotation] | None
    figures: ConversationFigures | None


def analyse(data: GradedSet, stems: Sequence[str], rubrics: dict[int, Rubric]) -> dict[str, Analysed]:
    """Read every graded transcript of a bloc with a rubric once."""
    analyzer = ConversationAnalyzer()
    out: dict[str, Analysed] = {}
    for stem in stems:
        t = data.transcripts[stem]
        if t.bloc is None or t.bloc not in rubrics:
            continue
        try:
            analysis = analyzer.transform(t)
        except ScoringInputError as exc:  # e.g. no candidate turn: nothing to grade automatically
            print(f"{stem} : {exc.message_fr}", file=sys.stderr)
            out[stem] = Analysed(t, None, None)
            continue
        out[stem] = Analysed(t, analysis.annotations, analysis.figures)
    return out


def measures_of(analysed: dict[str, Analysed], rubrics: dict[int, Rubric]) -> Measures:
    """Each analysed transcript's criterion measures with these rubrics."""
    out: Measures = {}
    for stem, a in analysed.items():
        rubric = rubrics[a.transcript.bloc or 0]
        if a.annotations is None or a.figures is None:
            out[stem] = {c.id: None for c in rubric.criteria}
        else:
            out[stem] = criterion_measures(rubric, a.transcript, a.annotations, a.figures)
    return out


def automatic_measures(data: GradedSet, stems: Sequence[str], rubrics: dict[int, Rubric]) -> Measures:
    """Each transcript's criterion measures (the turn readings are computed once per transcript)."""
    return measures_of(analyse(data, stems, rubrics), rubrics)


# --- the table ----------------------------------------------------------------------------------------

class CriterionRow(BaseModel):
    """One criterion: automatic vs consensus, and grader vs grader (the ceiling)."""

    bloc: int
    criterion: str
    label: str
    automatic: Agreement
    graders: Agreement
    auto_missing: int = 0  # graded transcripts where the grid left the criterion to the jury


class BlocRow(BaseModel):
    bloc: int
    rubric_version: str
    automatic: Agreement
    graders: Agreement
    pairs: dict[str, Agreement] = Field(default_factory=dict)  # "J1–J2" → agreement


class ValidityTable(BaseModel):
    part: str
    transcripts: int
    graders: list[str]
    criteria: list[CriterionRow]
    blocs: list[BlocRow]
    overall: Agreement
    overall_graders: Agreement


def _grader_pairs(data: GradedSet, stems: Sequence[str], criteria: Sequence[str]) -> dict[str, tuple[list[int],
                                                                                                   list[int]]]:
    out: dict[str, tuple[list[int], list[int]]] = {}
    for ga, gb in itertools.combinations(sorted(data.grades), 2):
        xs: list[int] = []
        ys: list[int] = []
        for stem in stems:
            for c in criteria:
                a, b = data.grades[ga].get(stem, {}).get(c), data.grades[gb].get(stem, {}).get(c)
                if a is not None and b is not None:
                    xs.append(a)
                    ys.append(b)
        out[f"{ga}–{gb}"] = (xs, ys)
    return out


def _pooled(pairs: dict[str, tuple[list[int], list[int]]]) -> Agreement:
    xs = [x for a, _ in pairs.values() for x in a]
    ys = [y for _, b in pairs.values() for y in b]
    return agreement(xs, ys)


def validity_table(data: GradedSet, part: str, rubrics: dict[int, Rubric],
                   measures: Measures | None = None) -> ValidityTable:
    """Per criterion, per bloc and overall: automatic vs consensus and graders vs graders."""
    stems = data.stems(part)
    measures = measures if measures is not None else automatic_measures(data, stems, rubrics)
    rows: list[CriterionRow] = []
    blocs: list[BlocRow] = []
    all_auto: tuple[list[int], list[int]] = ([], [])
    all_pairs: dict[str, tuple[list[int], list[int]]] = {}
    for bloc, rubric in sorted(rubrics.items()):
        bloc_stems = [s for s in stems if data.transcripts[s].bloc == bloc and s in measures]
        if not bloc_stems:
            continue
        auto_criteria = [c for c in rubric.criteria if c.evaluator != "jury"]
        bloc_auto: tuple[list[int], list[int]] = ([], [])
        for c in auto_criteria:
            xs, ys, missing = [], [], 0
            for stem in bloc_stems:
                target = data.consensus(stem, c.id)
                if target is None:
                    continue
                m = measures[stem].get(c.id)
                if m is None:
                    missing += 1
                    continue
                xs.append(level_for(m[0], c.thresholds, m[1]))
                ys.append(target)
            bloc_auto[0].extend(xs)
            bloc_auto[1].extend(ys)
            rows.append(CriterionRow(bloc=bloc, criterion=c.id, label=c.label, automatic=agreement(xs, ys),
                                     graders=_pooled(_grader_pairs(data, bloc_stems, [c.id])), auto_missing=missing))
        pairs = _grader_pairs(data, bloc_stems, [c.id for c in auto_criteria])
        for key, (a, b) in pairs.items():
            all_pairs.setdefault(key, ([], []))
            all_pairs[key][0].extend(a)
            all_pairs[key][1].extend(b)
        all_auto[0].extend(bloc_auto[0])
        all_auto[1].extend(bloc_auto[1])
        blocs.append(BlocRow(bloc=bloc, rubric_version=rubric.version, automatic=agreement(*bloc_auto),
                             graders=_pooled(pairs), pairs={k: agreement(*v) for k, v in pairs.items()}))
    return ValidityTable(part=part, transcripts=len([s for s in stems if s in measures]),
                         graders=sorted(data.grades), criteria=rows, blocs=blocs, overall=agreement(*all_auto),
                         overall_graders=_pooled(all_pairs))


# --- output -------------------------------------------------------------------------------------------

def _f(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _signed(x: float | None) -> str:
    return "—" if x is None else f"{x:+.2f}"


def render(table: ValidityTable, markdown: bool) -> str:
    """The table as Markdown (for docs/grid-validity.md) or aligned text."""
    head = ["bloc", "criterion", "n", "exact", "±1", "κw", "bias", "auto≥2 & 0", "left to jury", "jurors exact",
            "jurors ±1", "jurors κw"]
    body = []
    for r in table.criteria:
        a, g = r.automatic, r.graders
        body.append([str(r.bloc), r.criterion, str(a.n), _f(a.exact), _f(a.within_one), _f(a.kappa_w),
                     _signed(a.bias), str(a.a_high_where_b_zero), str(r.auto_missing), _f(g.exact),
                     _f(g.within_one), _f(g.kappa_w)])
    for b in table.blocs:
        missing = sum(r.auto_missing for r in table.criteria if r.bloc == b.bloc)
        a, g = b.automatic, b.graders
        body.append([str(b.bloc), f"**bloc {b.bloc}** (v{b.rubric_version})", str(a.n), _f(a.exact),
                     _f(a.within_one), _f(a.kappa_w), _signed(a.bias), str(a.a_high_where_b_zero), str(missing),
                     _f(g.exact), _f(g.within_one), _f(g.kappa_w)])
    a, g = table.overall, table.overall_graders
    body.append(["all", "**all blocs**", str(a.n), _f(a.exact), _f(a.within_one), _f(a.kappa_w), _signed(a.bias),
                 str(a.a_high_where_b_zero), str(sum(r.auto_missing for r in table.criteria)), _f(g.exact),
                 _f(g.within_one), _f(g.kappa_w)])
    title = (f"Part: {table.part} — {table.transcripts} transcripts, graders {', '.join(table.graders)} "
             "(consensus: lower median)")
    pair_lines = [f"- bloc {b.bloc}, {k}: n {v.n}, exact {_f(v.exact)}, ±1 {_f(v.within_one)}, κw {_f(v.kappa_w)}"
                  for b in table.blocs for k, v in b.pairs.items() if v.n]  # pairs that graded nothing in common
    if markdown:
        lines = [title, "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join([*lines, "", "Grader pairs (ceiling):", *pair_lines, ""])
    widths = [max(len(row[k].replace("**", "")) for row in [head, *body]) for k in range(len(head))]
    lines = [title, ""] + ["  ".join(cell.replace("**", "").ljust(w) for cell, w in zip(row, widths, strict=True))
                           for row in [head, *body]]
    return "\n".join([*lines, "", "Grader pairs (ceiling):", *pair_lines, ""])


def reliability_of(table: ValidityTable, source: str) -> Reliability:
    """The published figures (untouched part): what the review page shows per criterion."""
    out = Reliability(part=table.part, source=source, transcripts=table.transcripts)
    for b in table.blocs:
        entry = BlocReliability(rubric_version=b.rubric_version)
        for r in table.criteria:
            if r.bloc == b.bloc and r.automatic.n:
                a = r.automatic
                entry.criteria[r.criterion] = CriterionReliability(
                    n=a.n, exact=a.exact, within_one=a.within_one, kappa_w=a.kappa_w, bias=a.bias,
                    auto_high_where_zero=a.a_high_where_b_zero)
        out.blocs[str(b.bloc)] = entry
    return out


# --- fitting the thresholds ---------------------------------------------------------------------------

class FitResult(BaseModel):
    """One criterion's thresholds (and sub-weights, with ``--weights``) before and after the search,
    with the calibration figures of each."""

    bloc: int
    criterion: str
    n: int
    before: list[float]
    after: list[float]
    kappa_before: float | None
    kappa_after: float | None
    bias_before: float | None
    bias_after: float | None
    weights_before: dict[str, float] = Field(default_factory=dict)
    weights_after: dict[str, float] = Field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class FitSettings:
    """How the search trades agreement against bias, generosity and moving away from the current rubric."""

    step: float = 0.05
    bias_weight: float = 0.5
    zero_weight: float = 1.0
    min_n: int = 8
    shrink: float = 0.1
    weights: bool = False  # also try each w_* sub-weight × 0.5 and × 1.5 (opt-in: few transcripts over-fit)
    weight_gain: float = 0.05  # objective gain a weight change must bring to be kept


def _objective(xs: list[int], ys: list[int], bias_weight: float, zero_weight: float) -> float:
    a = agreement(xs, ys)
    kappa = a.kappa_w if a.kappa_w is not None else -1.0
    return kappa - bias_weight * abs(a.bias or 0.0) - zero_weight * a.a_high_where_b_zero / max(1, a.n)


Usable = list[tuple[tuple[float, int | None], int]]  # ((measure, cap), consensus)


def _levels(usable: Usable, thresholds: Sequence[float]) -> list[int]:
    return [level_for(m[0], list(thresholds), m[1]) for m, _ in usable]


def _search(usable: Usable, current: Sequence[float], fs: FitSettings) -> tuple[list[float], float]:
    """The best threshold triple for these measures and its objective (deterministic, see fit_thresholds)."""
    grid = [round(k * fs.step, 4) for k in range(1, round(1 / fs.step))]
    ys = [y for _, y in usable]

    def distance(th: Sequence[float]) -> float:
        return round(sum(abs(a - b) for a, b in zip(th, current, strict=True)), 6)

    def score(th: Sequence[float]) -> float:
        return round(_objective(_levels(usable, th), ys, fs.bias_weight, fs.zero_weight) - fs.shrink * distance(th), 6)

    # Strictly increasing: every level stays reachable (equal thresholds would drop a level for good).
    best = max(itertools.combinations(grid, 3),
               key=lambda th: (score(th), -distance(th), tuple(-x for x in th)))
    return list(best), score(best)


def _usable(data: GradedSet, measures: Measures, stems: Sequence[str], bloc: int, criterion: str) -> Usable:
    out: Usable = []
    for s in stems:
        if s not in measures or data.transcripts[s].bloc != bloc:
            continue
        m, y = measures[s].get(criterion), data.consensus(s, criterion)
        if m is not None and y is not None:
            out.append((m, y))
    return out


def _with_params(rubric: Rubric, criterion: str, params: dict[str, float]) -> Rubric:
    criteria = [c.model_copy(update={"params": params}) if c.id == criterion else c for c in rubric.criteria]
    return rubric.model_copy(update={"criteria": criteria})


def _fit_weights(data: GradedSet, analysed: dict[str, Analysed], stems: Sequence[str], rubrics: dict[int, Rubric],
                 bloc: int, criterion: str, fs: FitSettings, start: float) -> dict[str, float]:
    """One deterministic pass over the criterion's w_* sub-weights (sorted by name): each is tried at
    × 0.5 and × 1.5, the w_* renormalised to their former sum, thresholds searched again; a change is
    kept only when the objective gains at least ``weight_gain``."""
    rubric = rubrics[bloc]
    crit = next(c for c in rubric.criteria if c.id == criterion)
    params = dict(crit.settings())
    keys = sorted(k for k in params if k.startswith("w_"))
    total = sum(params[k] for k in keys)
    best = start
    mine = {s: a for s, a in analysed.items() if a.transcript.bloc == bloc}
    for key in keys:
        for factor in (0.5, 1.5):
            trial = dict(params)
            trial[key] = params[key] * factor
            scale = total / sum(trial[k] for k in keys)
            trial = {k: (round(v * scale, 3) if k in keys else v) for k, v in trial.items()}
            variant = {bloc: _with_params(rubric, criterion, trial)}
            usable = _usable(data, measures_of(mine, variant), stems, bloc, criterion)
            _, value = _search(usable, crit.thresholds, fs)
            if value >= best + fs.weight_gain:
                best, params = value, trial
    return {k: params[k] for k in keys}


def fit_thresholds(data: GradedSet, part: str, rubrics: dict[int, Rubric], step: float = 0.05,
                   bias_weight: float = 0.5, zero_weight: float = 1.0, min_n: int = 8, shrink: float = 0.1,
                   measures: Measures | None = None, weights: bool = False,
                   weight_gain: float = 0.05) -> list[FitResult]:
    """Search every automatic criterion's thresholds on ``part`` (never the untouched one by design of
    the command). Exhaustive over strictly increasing triples on a grid of ``step``. With a few dozen graded
    transcripts per bloc, free thresholds would chase noise: the objective loses ``shrink`` per unit of
    distance from the current thresholds, so they move only for a real gain. Ties go to the triple
    closest to the current one, then the lowest, so the result is the same on every run. With
    ``weights``, each criterion's w_* sub-weights are searched first (see ``_fit_weights``)."""
    fs = FitSettings(step, bias_weight, zero_weight, min_n, shrink, weights, weight_gain)
    stems = data.stems(part)
    analysed = analyse(data, stems, rubrics) if measures is None or weights else {}
    measures = measures if measures is not None else measures_of(analysed, rubrics)
    results = []
    for bloc, rubric in sorted(rubrics.items()):
        for c in rubric.criteria:
            if c.evaluator == "jury":
                continue
            usable = _usable(data, measures, stems, bloc, c.id)
            ys = [y for _, y in usable]
            before = agreement(_levels(usable, c.thresholds), ys)
            w_before = {k: v for k, v in c.settings().items() if k.startswith("w_")}
            if len(usable) < fs.min_n:
                results.append(FitResult(bloc=bloc, criterion=c.id, n=len(usable), before=c.thresholds,
                                         after=c.thresholds, kappa_before=before.kappa_w, kappa_after=before.kappa_w,
                                         bias_before=before.bias, bias_after=before.bias, weights_before=w_before,
                                         weights_after=w_before,
                                         note=f"moins de {fs.min_n} transcriptions notées : seuils inchangés"))
                continue
            best, value = _search(usable, c.thresholds, fs)
            w_after = w_before
            if fs.weights and w_before:
                w_after = _fit_weights(data, analysed, stems, rubrics, bloc, c.id, fs, value)
                if w_after != w_before:
                    variant = {bloc: _with_params(rubric, c.id, {**c.settings(), **w_after})}
                    mine = {s: a for s, a in analysed.items() if a.transcript.bloc == bloc}
                    usable = _usable(data, measures_of(mine, variant), stems, bloc, c.id)
                    best, value = _search(usable, c.thresholds, fs)
            after = agreement(_levels(usable, best), ys)
            results.append(FitResult(bloc=bloc, criterion=c.id, n=len(usable), before=c.thresholds, after=best,
                                     kappa_before=before.kappa_w, kappa_after=after.kappa_w, bias_before=before.bias,
                                     bias_after=after.bias, weights_before=w_before, weights_after=w_after))
    return results


def write_thresholds(results: list[FitResult], directory: str | Path | None = None) -> list[Path]:
    """Write fitted thresholds into the rubric YAML files with ruamel.yaml's round trip (comments and
    layout kept) and bump the minor version of each changed rubric, so that published reliability
    figures of the previous thresholds no longer apply to grids made with the new ones."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedSeq

    root = Path(directory) if directory else RUBRIC_DIR
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 120
    yaml.indent(mapping=2, sequence=4, offset=2)  # the rubric files' layout: « - id: » indented under « criteria: »
    written = []
    for bloc in sorted({r.bloc for r in results}):
        changed = {r.criterion: r.after for r in results if r.bloc == bloc and r.after != r.before}
        reweighted = {r.criterion: r.weights_after for r in results
                      if r.bloc == bloc and r.weights_after != r.weights_before}
        if not changed and not reweighted:
            continue
        path = root / f"bloc{bloc}.yaml"
        doc = yaml.load(path.read_text(encoding="utf-8"))
        for criterion in doc["criteria"]:
            if criterion["id"] in changed:
                seq = CommentedSeq(changed[criterion["id"]])
                seq.fa.set_flow_style()
                criterion["thresholds"] = seq
            if criterion["id"] in reweighted:
                if "params" not in criterion:
                    criterion["params"] = {}
                for key, value in reweighted[criterion["id"]].items():
                    criterion["params"][key] = value
        major, _, minor = str(doc["version"]).partition(".")
        doc["version"] = type(doc["version"])(f"{major}.{int(minor or 0) + 1}")
        with path.open("w", encoding="utf-8") as out:
            yaml.dump(doc, out)
        load_rubric_file(path)  # the file still validates
        written.append(path)
    return written


# --- command line -------------------------------------------------------------------------------------

def _report_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring.validity",
                                     description="Agreement of the automatic grid with juror grades.")
    parser.add_argument("dir")
    parser.add_argument("--part", choices=PARTS, default="untouched")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--json", dest="json_out")
    parser.add_argument("--rubrics", help="folder of bloc<N>.yaml (default: the packaged rubrics)")
    parser.add_argument("--publish", action="store_true",
                        help="write the per-criterion figures read by the review page (untouched part only)")
    parser.add_argument("--publish-to", default=str(RELIABILITY_FILE))
    args = parser.parse_args(argv)
    if args.publish and args.part != "untouched":
        raise _fail("Seule la partie « untouched » peut être publiée : les chiffres de calibration sont optimistes.",
                    "Only the untouched part can be published: calibration figures are optimistic.")
    data = load_graded_set(args.dir)
    table = validity_table(data, args.part, load_rubrics(args.rubrics))
    print(render(table, args.markdown))
    if args.json_out:
        Path(args.json_out).write_text(table.model_dump_json(indent=1) + "\n", encoding="utf-8")
    if args.publish:
        published = reliability_of(table, Path(args.dir).name)
        Path(args.publish_to).write_text(published.model_dump_json(indent=1) + "\n", encoding="utf-8")
        print(f"publié : {args.publish_to}")
    return 0


def _fit_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring.validity fit",
                                     description="Fit each criterion's thresholds on juror grades.")
    parser.add_argument("dir")
    parser.add_argument("--part", choices=("calibration",), default="calibration",
                        help="only the calibration part may be fitted on")
    parser.add_argument("--write", action="store_true", help="write the thresholds into the rubric YAML files")
    parser.add_argument("--rubrics", help="folder of bloc<N>.yaml (default: the packaged rubrics)")
    parser.add_argument("--step", type=float, default=0.05)
    parser.add_argument("--bias-weight", type=float, default=0.5)
    parser.add_argument("--zero-weight", type=float, default=1.0)
    parser.add_argument("--min-n", type=int, default=8, help="fewer graded transcripts: thresholds unchanged")
    parser.add_argument("--shrink", type=float, default=0.1, help="objective lost per unit of threshold move")
    parser.add_argument("--weights", action="store_true",
                        help="also search each criterion's w_* sub-weights (opt-in: with few transcripts it over-fits)")
    parser.add_argument("--weight-gain", type=float, default=0.05, help="objective gain a weight change must bring")
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args(argv)
    data = load_graded_set(args.dir)
    rubrics = load_rubrics(args.rubrics)
    results = fit_thresholds(data, args.part, rubrics, args.step, args.bias_weight, args.zero_weight, args.min_n,
                             args.shrink, weights=args.weights, weight_gain=args.weight_gain)
    for r in results:
        print(f"bloc {r.bloc} {r.criterion:38} n {r.n:3}  {r.before} → {r.after}  "
              f"κw {_f(r.kappa_before)} → {_f(r.kappa_after)}  bias {_signed(r.bias_before)} → {_signed(r.bias_after)}"
              + (f"  weights {r.weights_after}" if r.weights_after != r.weights_before else "")
              + (f"  ({r.note})" if r.note else ""))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps([r.model_dump() for r in results], indent=1) + "\n",
                                       encoding="utf-8")
    if args.write:
        for path in write_thresholds(results, args.rubrics):
            print(f"écrit : {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; bad input exits with code 2 and a French then English message, never a traceback."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _fit_main(args[1:]) if args[:1] == ["fit"] else _report_main(args)
    except ScoringInputError as exc:
        print(f"Erreur : {exc.message_fr}\nError: {exc.message_en}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
