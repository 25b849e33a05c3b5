"""The engine: runs any chain of notebook stages (plan, execute, manifest, atomic files, lock, task pools).

It knows no stage by name: stages declare their notebook, parameter sections, inputs, outputs and checks.
"""
