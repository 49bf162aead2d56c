"""SRBNAS on PyTorch: the playground's search and training, for GPUs and clusters (DDP).

Every module mirrors one concept of the TypeScript core (src/core) and keeps its conventions, so
genotype JSON files, model folders (model.json + weights.bin) and training checkpoints move
between the page, the `srbnas` CLI and this package unchanged.
"""

__version__ = "0.1.0"
