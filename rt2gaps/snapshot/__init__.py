"""The snapshot layer: normalised events, State table and manifest, built from raw sources."""
