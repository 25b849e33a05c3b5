"""Developer tools, apart from the runtime package: the benchmark, the lock file, the module table of the docs."""
