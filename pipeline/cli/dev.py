"""Developer commands, apart from the product's: `eval` (scores against answer keys) and
`bench` (speed against stated limits)."""


from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pipeline import settings
from pipeline.cli.console import ChitieuGroup, report_failures
from pipeline.cli.options import (
    db_option,
    require_warehouse,
    shorten,
)
from pipeline.store.warehouse import Warehouse, WarehouseError


@click.group(name="eval", cls=ChitieuGroup)
def evaluate() -> None:
    """Đo kết quả của chương trình so với các khóa đáp án trong tests/data/."""


@evaluate.command(name="tasks")
@click.option("--restore/--no-restore", default=False, show_default=True,
              help="Chấm cả chữ OCR sau khi phục hồi dấu (dựng một mô hình cho mỗi kế hoạch).")
@click.option("--docs", "docs_dirs", multiple=True, metavar="THƯ_MỤC",
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Một thư mục văn bản để đọc và chấm theo --key (lặp lại được).")
@click.option("--key", "key_files", multiple=True, metavar="TỆP",
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="tasks_key.csv: nhiệm vụ nhập tay của các văn bản --docs (lặp lại được).")
@click.option("--sources", "sources_files", multiple=True, metavar="TỆP",
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="sources.csv của bộ văn bản: thêm điểm theo bố cục (layout) và loại cơ quan "
                   "ban hành (issuer_kind).")
@click.option("--details", is_flag=True, help="Với --docs: liệt kê những chỗ không khớp.")
def eval_tasks(restore: bool, docs_dirs: tuple[Path, ...], key_files: tuple[Path, ...],
               sources_files: tuple[Path, ...], details: bool) -> None:
    """Nhiệm vụ của các thư mục so với khóa nhập tay (--docs, --key); không có chúng: nhiệm vụ
    đọc từ bản OCR tiếng Anh của mỗi kế hoạch so với bản sạch."""
    from pipeline.dev.evaluate import ocr_task_scores, task_score_line

    if docs_dirs or key_files:
        if not (docs_dirs and key_files):
            raise click.UsageError("--docs và --key phải đi cùng nhau")
        _eval_tasks_against_key(list(docs_dirs), list(key_files), list(sources_files), details)
        return
    for score in ocr_task_scores(restore=restore):
        click.echo(task_score_line(f"{score.plan} (OCR thô)", score.raw))
        if score.restored:
            click.echo(task_score_line(f"{score.plan} (đã phục hồi)", score.restored))


def _eval_tasks_against_key(docs_dirs: list[Path], key_files: list[Path],
                            sources_files: list[Path], details: bool) -> None:
    from pipeline.dev.evaluate import (
        combined_key_scores,
        due_agrees,
        folder_task_scores,
        key_score_line,
        key_scores_by,
        lead_agrees,
        read_sources,
    )

    scores, failed = folder_task_scores(docs_dirs, key_files)
    sources = read_sources(sources_files)
    report_failures(failed)
    for doc, score in scores.items():
        click.echo(key_score_line(doc, score))
        if not details:
            continue
        for row, task in score.pairs:
            if not lead_agrees(row, task):
                click.echo(f"  chủ trì {row.line}→{task.line}: khóa "
                           f"«{'; '.join(row.lead_agencies)}» ≠ "
                           f"«{'; '.join(task.lead_agencies) or '—'}»")
            if not due_agrees(row, task):
                click.echo(f"  thời hạn {row.line}→{task.line}: khóa {row.due_date or '—'}"
                           f"{' (định kỳ)' if row.recurring else ''} «{row.deadline_text}» ≠ "
                           f"{task.due_date or '—'}{' (định kỳ)' if task.recurring else ''} "
                           f"«{task.deadline_text or ''}»")
        for row in score.missed:
            click.echo(f"  thiếu {row.line}: {'; '.join(row.lead_agencies)} — {row.title}")
        for task in score.extra:
            click.echo(f"  thừa {task.line}: {'; '.join(task.lead_agencies) or '—'} — "
                       f"{shorten(task.title, 70)}")
    for fact, label in (("layout", "bố cục"), ("issuer_kind", "loại cơ quan ban hành")):
        if sources:
            click.echo(f"Theo {label} ({fact}):")
        for value, grouped in (key_scores_by(scores, sources, fact) if sources else {}).items():
            click.echo(key_score_line(f"  {value}", grouped))
    click.echo(key_score_line(f"Tổng ({len(scores)} văn bản)", combined_key_scores(
        scores.values())))


@evaluate.command(name="extract")
@click.option("--docs", "docs_dirs", multiple=True, metavar="THƯ_MỤC",
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Đọc mọi văn bản của THƯ_MỤC qua các bước của chương trình (không dùng kho) "
                   "và chấm theo --key (lặp lại được).")
@click.option("--key", "key_files", multiple=True, metavar="TỆP",
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Khóa chỉ tiêu đầy đủ (targets_key.csv) của các văn bản --docs "
                   "(lặp lại được).")
@click.option("--sources", "sources_files", multiple=True, metavar="TỆP",
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="sources.csv của bộ văn bản: thêm điểm theo bố cục (layout) và loại cơ quan "
                   "ban hành (issuer_kind).")
@click.option("--details", is_flag=True, help="Liệt kê các dòng khóa bị sót và chỉ tiêu thừa.")
@db_option
def eval_extract(docs_dirs: tuple[Path, ...], key_files: tuple[Path, ...],
                 sources_files: tuple[Path, ...], details: bool, db_path: Path) -> None:
    """P/R/F1 của chỉ tiêu: một thư mục văn bản so với khóa đầy đủ của nó (--docs, --key),
    hoặc kho dữ liệu so với tests/data/targets_dev.csv."""
    if docs_dirs or key_files:
        if not (docs_dirs and key_files):
            raise click.UsageError("--docs và --key phải đi cùng nhau")
        _eval_folder(list(docs_dirs), list(key_files), list(sources_files), details, db_path)
    else:
        _eval_warehouse(details, db_path)


def _prf_text(prf: Any) -> str:
    return (f"P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}  "
            f"({prf.true_positives} đúng / {prf.predicted} dự đoán / {prf.expected} trong khóa)")


def _missed_and_extra(missed: Any, extra: Any) -> None:
    for row in missed:
        click.echo(f"    thiếu: {row.doc}:{row.line} {row.year} {row.comparator} {row.value} "
                   f"{row.unit or ''} {row.indicator_text}")
    for target in extra:
        click.echo(f"    thừa:  {target.doc_id}:{target.line} {target.target_year} "
                   f"{target.comparator} {target.value} {target.unit or ''} "
                   f"{target.indicator_text}")


def _eval_folder(docs_dirs: list[Path], key_files: list[Path], sources_files: list[Path],
                 details: bool, db_path: Path) -> None:
    from pipeline.dev.evaluate import (
        complete_key_links,
        read_sources,
        read_target_key,
        score_complete_key,
        scores_by,
    )
    from pipeline.dev.evaluate import summed as summed_prf
    from pipeline.link.indicators import link_indicators
    from pipeline.run.inputs import discover
    from pipeline.run.stages import read_and_extract

    key = [row for path in key_files for row in read_target_key(path)]
    sources = read_sources(sources_files)
    paths = [path for path in discover(docs_dirs) if path.name in {row.doc for row in key}]
    missing = sorted({row.doc for row in key} - {path.name for path in paths})
    if missing:
        click.echo(f"Khóa có văn bản không tìm thấy trong thư mục: {', '.join(missing)}", err=True)
    corpus = []
    if db_path.exists():
        with Warehouse.open(db_path, read_only=True) as warehouse:
            corpus = warehouse.corpus_documents()
    extracted, failures = read_and_extract(paths, corpus, settings.model_cache_dir())
    for failure in failures:
        click.echo(failure.line(), err=True)
    kept = [row for row in key if row.doc not in missing]
    scores = score_complete_key(
        kept,
        [target for found in extracted for target in found.targets],
        [found.document for found in extracted], sources)
    click.echo("Chỉ tiêu theo văn bản:")
    for score in scores:
        facts = "/".join(score.facts.get(name) or "?" for name in ("layout", "issuer_kind"))
        click.echo(f"  {score.doc} [{facts}]: {_prf_text(score.targets)}")
        if details:
            _missed_and_extra(score.missed, score.extra)
    if sources:
        for fact, label in (("layout", "bố cục"), ("issuer_kind", "loại cơ quan ban hành")):
            click.echo(f"Theo {label} ({fact}):")
            for value, prf in scores_by(scores, fact).items():
                click.echo(f"  {value}: {_prf_text(prf)}")
    click.echo(f"Tổng ({len(scores)} văn bản): "
               f"{_prf_text(summed_prf(score.targets for score in scores))}")
    targets = [target for found in extracted for target in found.targets]
    _, links = link_indicators(targets, None)
    linked = [target.model_copy(update={"indicator_id": links.get(target.target_id)})
              for target in targets]
    click.echo("Liên kết chỉ số (theo cặp, giữa mọi văn bản của thư mục): " + _prf_text(
        complete_key_links(kept, linked, [found.document for found in extracted])))


def _eval_warehouse(details: bool, db_path: Path) -> None:
    from pipeline.dev.evaluate import (
        combined_task_scores,
        ocr_task_scores,
        read_target_key,
        score_extraction,
        task_score_line,
    )

    require_warehouse(db_path)
    key = read_target_key()
    with Warehouse.open(db_path, read_only=True) as warehouse:
        documents = warehouse.documents()
        targets = warehouse.targets()
    loaded = {Path(document.source_path).name for document in documents}
    missing = sorted({row.doc for row in key} - loaded)
    if missing:
        raise WarehouseError(f"{db_path}: kho dữ liệu chưa có {', '.join(missing)}; hãy chạy "
                             "`chitieu run raw/` trước")
    scores = score_extraction(key, targets, documents)
    for label, prf in (("Chỉ tiêu", scores.targets), ("Liên kết chỉ số (theo cặp)", scores.links)):
        click.echo(f"{label}: {_prf_text(prf)}")
    overall = combined_task_scores(score.raw for score in ocr_task_scores())
    click.echo(task_score_line("Nhiệm vụ (OCR tiếng Anh so với bản sạch)", overall))
    if details:
        _missed_and_extra(scores.missed, scores.extra)


@click.group(cls=ChitieuGroup)
def bench() -> None:
    """Các phép đo in ra con số (tốc độ, bộ nhớ)."""


@evaluate.command(name="restore")
@click.option("--loo/--no-loo", default=True, show_default=True,
              help="Chạy thêm phép để-một-ra trên các kế hoạch sạch (một mô hình mỗi kế hoạch).")
@click.option("--docs", "docs_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              metavar="THƯ_MỤC",
              help="Chấm một thư mục văn bản sạch (*.txt) thay vào đó: mỗi tệp bị bỏ dấu và "
                   "như Tesseract -l eng đọc từ trang in ra (NAME.eng-ocr.txt bên cạnh, tạo ở "
                   "lần chạy đầu); mô hình học từ văn bản sạch trong kho (nếu không, từ các kế "
                   "hoạch sạch) không kể các văn bản đó.")
@db_option
def eval_restore(loo: bool, docs_dir: Path | None, db_path: Path) -> None:
    """Độ đúng âm tiết: các dòng phát triển của KH 22, để-một-ra trên các kế hoạch sạch; hoặc
    các văn bản của một thư mục (--docs)."""
    from pipeline.dev.evaluate import dev_restorer, kh22_dev_score, leave_one_out

    if docs_dir is not None:
        _eval_restore_folder(docs_dir, db_path)
        return
    raw, restored = kh22_dev_score(dev_restorer(settings.model_cache_dir()))
    click.echo(f"KH 22 (dev): thô {raw:.3f} → phục hồi {restored:.3f}")
    if not loo:
        return
    for score in leave_one_out():
        click.echo(f"{score.plan} (mô hình không học văn bản này): bỏ dấu "
                   f"{score.raw_stripped:.3f} → "
                   f"{score.stripped:.3f}; OCR tiếng Anh {score.raw_noisy:.3f} → "
                   f"{score.noisy:.3f}")


def _eval_restore_folder(docs_dir: Path, db_path: Path) -> None:
    from normalizers.restore import load_or_build
    from pipeline.dev.evaluate import (
        dev_documents,
        folder_restore_scores,
        folder_texts,
        unseen_corpus,
    )

    texts = folder_texts(docs_dir)
    if not texts:
        raise click.UsageError(f"Không có tệp .txt nào trong {docs_dir}")
    corpus: list[list[str]] = []
    if db_path.exists():
        with Warehouse.open(db_path, read_only=True) as warehouse:
            corpus = warehouse.corpus_documents()
    restorer = load_or_build(unseen_corpus(corpus or dev_documents(), texts),
                             settings.model_cache_dir())
    scores, total = folder_restore_scores(restorer, texts)
    click.echo("văn bản\tâm tiết\tbỏ dấu: thô\tphục hồi\tOCR tiếng Anh: thô\tphục hồi")
    for score in [*scores, total]:
        click.echo(f"{score.name}\t{score.syllables}\t{score.raw_stripped:.3f}\t"
                   f"{score.stripped:.3f}\t{score.raw_noisy:.3f}\t{score.noisy:.3f}")


@bench.command(name="restore")
@click.option("--runs", default=5, show_default=True, type=click.IntRange(1, 20), metavar="N",
              help="Số lần nạp mô hình và phục hồi văn bản (in trung vị và khoảng).")
def bench_restore_command(runs: int) -> None:
    """Thời gian nạp mô hình và tốc độ phục hồi (âm tiết/giây) trên toàn bộ chữ OCR KH 22;
    thời gian dựng mô hình từ đầu và học thêm một kế hoạch."""
    from statistics import median

    from pipeline.dev.bench import bench_restore

    result = bench_restore(settings.model_cache_dir(), runs=runs)

    def spread(rates: list[float]) -> str:
        return f"{median(rates):,.0f} âm tiết/s ({rates[0]:,.0f}–{rates[-1]:,.0f})"

    click.echo(f"Nạp mô hình: {median(result.load_seconds):.2f} s "
               f"(trung vị của {runs} lần)")
    click.echo(f"Phục hồi {result.syllables} âm tiết, thời gian CPU, trung vị (thấp nhất–cao "
               f"nhất) của {runs} lần:")
    click.echo(f"  lần đầu trên văn bản: {spread(result.cold_rates)}")
    click.echo(f"  lần sau: {spread(result.warm_rates)}")
    click.echo(f"Dựng mô hình từ đầu: {result.build_seconds:.1f} s CPU; học thêm một kế hoạch "
               f"({result.learned_lines} dòng): {result.learn_seconds:.2f} s CPU "
               f"({result.learn_seconds / result.build_seconds:.0%} của dựng từ đầu)")


@bench.command(name="ocr")
@click.option("--pages", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="Số trang của bản quét được tạo ra.")
@click.option("--runs", default=3, show_default=True, type=click.IntRange(1, 20), metavar="N",
              help="Số lượt chitieu và Tesseract chạy riêng, đặt cạnh nhau (trung vị, khoảng).")
def bench_ocr_command(pages: int, runs: int) -> None:
    """OCR một bản quét được tạo ra, so với giới hạn: Tesseract chạy riêng trên cùng ảnh."""
    import tempfile
    from statistics import median

    from pipeline.dev.bench import OCR_TARGET_RATIO, Timing, bench_ocr

    with tempfile.TemporaryDirectory(prefix="chitieu-bench-") as work_dir:
        result = bench_ocr(pages, Path(work_dir), runs=runs)

    def figures(timing: Timing) -> str:
        return (f"{timing.wall:.1f} s, {result.pages / timing.wall:.2f} trang/s "
                f"({timing.cpu / result.pages:.2f} s CPU/trang)")

    def spread(ratios: list[float]) -> str:
        return f"{median(ratios):.0%} ({ratios[0]:.0%}–{ratios[-1]:.0%})"

    click.echo(f"{result.pages} trang quét (300 DPI, nghiêng, nhiễu, JPEG), {result.cores} lõi, "
               f"{runs} lượt xen kẽ")
    for number, run in enumerate(result.runs, start=1):
        click.echo(f"lượt {number}: giới hạn (pdfimages -j, tesseract 1 luồng × {result.cores}) "
                   f"{figures(run.limit)}; chitieu {figures(run.chitieu)}")
    click.echo(f"chitieu đạt so với giới hạn, trung vị (thấp nhất–cao nhất): theo đồng hồ "
               f"{spread(result.wall_ratios)}, theo giây CPU {spread(result.cpu_ratios)} "
               f"(mục tiêu ≥ {OCR_TARGET_RATIO:.0%})")
    if result.ocrmypdf is None:
        click.echo("OCRmyPDF: chưa cài, bỏ qua")
    else:
        click.echo(f"OCRmyPDF --jobs {result.cores}: {figures(result.ocrmypdf)}")
    click.echo(f"bộ nhớ đỉnh: {result.peak_self_mb:.0f} MB (tiến trình), "
               f"{result.peak_child_mb:.0f} MB (tesseract)")
    click.echo(f"CER: {result.cer:.2%}")


@bench.command(name="run")
@click.option("--runs", default=5, show_default=True, type=click.IntRange(1, 20), metavar="N",
              help="Số lần chạy vào kho mới, và chạy lại khi không có gì đổi (trung vị và "
                   "khoảng của mỗi loại).")
def bench_run_command(runs: int) -> None:
    """`chitieu run` bốn kế hoạch: vào một kho mới, rồi chạy lại khi không có gì đổi."""
    import tempfile
    from statistics import median

    from pipeline.dev.bench import (
        RUN_COLD_LIMIT_SECONDS,
        RUN_MEMORY_LIMIT_MB,
        RUN_UNCHANGED_LIMIT_SECONDS,
        Timing,
        bench_run,
    )

    with tempfile.TemporaryDirectory(prefix="chitieu-run-") as work_dir:
        result = bench_run(Path(work_dir), runs=runs)

    def spread(timings: tuple[Timing, ...], limit: float) -> str:
        walls = sorted(timing.wall for timing in timings)
        cpus = sorted(timing.cpu for timing in timings)
        return (f"{median(walls):.1f} s ({walls[0]:.1f}–{walls[-1]:.1f}), giây CPU "
                f"{median(cpus):.1f} ({cpus[0]:.1f}–{cpus[-1]:.1f}); giới hạn {limit:.0f} s")

    click.echo(f"chitieu run bốn kế hoạch, trung vị (thấp nhất–cao nhất) của {runs} lần:")
    click.echo(f"  kho mới (Prefect và bộ đệm người dùng đã có): "
               f"{spread(result.cold, RUN_COLD_LIMIT_SECONDS)}")
    click.echo(f"  chạy lại, không đổi gì: "
               f"{spread(result.unchanged, RUN_UNCHANGED_LIMIT_SECONDS)}")
    click.echo(f"  lần đầu tiên (chưa có gì trong bộ đệm): {result.first.wall:.1f} s, giây CPU "
               f"{result.first.cpu:.1f}")
    click.echo(f"bộ nhớ đỉnh: {result.peak_mb:.0f} MB (giới hạn {RUN_MEMORY_LIMIT_MB} MB)")


@bench.command(name="corpus")
@click.option("--times", type=click.IntRange(min=1), default=50, show_default=True, metavar="N",
              help="Số bản sao của bốn kế hoạch (đánh số lại, tỷ lệ xê dịch).")
def bench_corpus_command(times: int) -> None:
    """Thời gian nạp + kiểm tra, dòng/giây và bộ nhớ đỉnh trên N bản sao; tỉ lệ so với 10 bản."""
    import tempfile

    from pipeline.dev.bench import CORPUS_BASE_TIMES, bench_corpus

    with tempfile.TemporaryDirectory(prefix="chitieu-corpus-") as work_dir:
        result = bench_corpus(times, Path(work_dir))
    click.echo(f"{result.times} bản × 4 kế hoạch: {result.documents} văn bản, {result.rows:,} dòng "
               f"(trong đó {result.conflicts:,} mâu thuẫn)")
    click.echo(f"nạp {result.load_seconds:.1f} s + kiểm tra {result.check_seconds:.1f} s = "
               f"{result.seconds:.1f} s; {result.rows_per_second:,.0f} dòng/s")
    click.echo(f"bộ nhớ đỉnh: {result.peak_mb:.0f} MB")
    click.echo(f"tỉ lệ thời gian {result.times}× / {min(CORPUS_BASE_TIMES, times)}×: "
               f"{result.ratio_to_base:.2f} (tuyến tính: "
               f"{result.times / min(CORPUS_BASE_TIMES, times):.1f})")
