"""The lab's outputs for people: a markdown table and a PNG of quality against bytes per vector, plus the
saved results of the last `wotd bench quantizers` run for the app's Lab tab."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..errors import WotdError

COLUMNS = (  # (header, row key, format)
    ("method", "method", "{}"),
    ("scoring", "scoring", "{}"),
    ("bits", "bits", "{}"),
    ("bytes", "bytes_per_vector", "{}"),
    ("compression", "compression", "{:.0f}x"),
    ("neighbour R@10", "neighbor_recall_at_10", "{:.3f}"),
    ("task R@10", "task_r10", "{:.3f}"),
    ("retention R@10", "task_retention_r10", "{:.3f}"),
    ("retention MRR", "task_retention_mrr", "{:.3f}"),
    ("Spearman", "spearman", "{:.3f}"),
    ("encode us/vec", "encode_us", "{:.2f}"),
    ("search ms/query", "search_ms", "{:.3f}"),
    ("fit s", "fit_s", "{:.1f}"),
)


def markdown_table(rows: Sequence[dict]) -> str:
    """A markdown table of bench rows, in the given order."""
    lines = ["| " + " | ".join(h for h, _, _ in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        cells = [fmt.format(r[key]) if r.get(key) is not None else "-" for _, key, fmt in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot_rows(rows: Sequence[dict], path: Path | str, title: str = "") -> Path:
    """Write a PNG: task retention (R@10) and neighbour recall@10 against bytes per vector (log scale)."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display: the bench runs headless
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise WotdError("the quantizer plot needs matplotlib: pip install 'matplotlib>=3.8'") from e
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    series: dict[str, list[dict]] = {}
    for r in rows:
        series.setdefault(f"{r['method']} ({r['scoring']})", []).append(r)
    fig, axes = plt.subplots(1, 2, figsize=(14, 6.5), sharex=True)
    markers = "o^sDv<>pPX*h"
    panels = (
        ("task_retention_r10", "task R@10 / float32 R@10"),
        ("neighbor_recall_at_10", "neighbour recall@10"),
    )
    for ax, (key, label) in zip(axes, panels, strict=True):
        for i, (name, rs) in enumerate(sorted(series.items())):
            rs = sorted(rs, key=lambda r: r["bytes_per_vector"])
            style = "--" if "rescore" in name or "adc" in name else "-"
            ax.plot(
                [r["bytes_per_vector"] for r in rs],
                [r[key] for r in rs],
                style,
                marker=markers[i % len(markers)],
                label=name,
                alpha=0.85,
            )
        ax.set_xscale("log", base=2)
        ax.set_xlabel("bytes per vector (log scale; float32 = 1536)")
        ax.set_ylabel(label)
        ax.grid(True, which="both", alpha=0.3)
    for y, text in ((0.97, "target 384-bit"), (0.93, "target 128-bit")):
        axes[0].axhline(y, color="grey", lw=0.8, ls=":")
        axes[0].text(axes[0].get_xlim()[0], y, f" {text} ({y:.2f})", va="bottom", fontsize=7, color="grey")
    axes[1].axhline(0.80, color="grey", lw=0.8, ls=":")
    axes[1].legend(fontsize=7, loc="lower right", ncol=2)
    fig.suptitle(title or "Compressed word embeddings: quality against size")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def results_dir(home: Path) -> Path:
    """Where `wotd bench quantizers` keeps its last results."""
    return Path(home) / "lab"


def save_results(home: Path, rows: Sequence[dict], meta: dict) -> tuple[Path, Path]:
    """Write quantizers.json (rows + run metadata) and quantizers.png under results_dir(home)."""
    out = results_dir(home)
    out.mkdir(parents=True, exist_ok=True)
    data = out / "quantizers.json"
    tmp = data.with_suffix(".json.partial")  # renamed when complete: readers never see half a file
    tmp.write_text(json.dumps({"meta": meta, "rows": list(rows)}, indent=1, default=str))
    tmp.replace(data)
    png = plot_rows(rows, out / "quantizers.png", meta.get("title", ""))
    return data, png


def lab_results(home: Path) -> tuple[list[dict], Path | None, dict] | None:
    """(rows, PNG path or None, metadata) of the last `wotd bench quantizers` run, or None if there is none.
    This is what the app's Lab tab shows."""
    out = results_dir(home)
    data = out / "quantizers.json"
    if not data.is_file():
        return None
    doc = json.loads(data.read_text())
    png = out / "quantizers.png"
    return doc["rows"], (png if png.is_file() else None), doc.get("meta", {})
