"""The embedding compression lab (issue 5): binary, learned, scalar and vector-quantised codes of word
embeddings, Hamming / asymmetric search over them, and `wotd bench quantizers`.

Import the method modules directly (`wotd_mlx.quant.sign`, `.learned`, ...): this package stays light so
that the CLI can register its subcommand without importing faiss, torch or MLX.
"""

from .plot import lab_results

__all__ = ["lab_results"]
