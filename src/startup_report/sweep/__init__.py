"""Scenario sweeps: many parameter overlays run as whole chains on Dask, sharing what they have in common."""
