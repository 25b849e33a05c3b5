"""Privacy and trust, measured: client partitions, FedAvg, DP-SGD with Opacus, explanations, their cost."""
