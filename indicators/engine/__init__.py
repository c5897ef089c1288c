"""The engine: indicator values, progress, the index and official figures, computed from the store (read only)."""
