"""The privacy section of the parameters: simulated client banks, federated rounds and DP-SGD budgets."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from startup_report.section import Section as _Section


class PrivacyParams(_Section):
    """The privacy chapter: simulated client banks, federated averaging and DP-SGD on the frozen-encoder head."""

    clients: int = Field(10, ge=2, le=200, description="Simulated client banks of the default federation.")
    alpha: float = Field(
        0.5,
        gt=0.0,
        le=1e4,
        description="Dirichlet concentration over intents of the default federation (low = skewed).",
    )
    alphas: list[Annotated[float, Field(le=1e4)]] = Field(
        [0.1, 1.0, 10.0],
        min_length=1,
        max_length=20,
        description="Concentrations compared on the skew axis (each > 0 and at most 1e4, as `alpha`).",
    )
    client_counts: list[Annotated[int, Field(le=200)]] = Field(
        [5, 10, 20],
        min_length=1,
        max_length=20,
        description="Numbers of client banks compared (each 2 to 200, as `clients`).",
    )
    rounds: int = Field(
        30, ge=1, le=1000, description="FedAvg rounds; central training runs rounds x local_epochs epochs."
    )
    local_epochs: int = Field(1, ge=1, le=100, description="Epochs each client trains per round.")
    batch_size: int = Field(
        256, ge=1, le=4096, description="Messages per SGD step (expected size under Poisson sampling)."
    )
    learning_rate: float = Field(
        10.0, gt=0.0, le=1000.0, description="SGD learning rate of the head (embeddings have unit length)."
    )
    epsilons: list[Annotated[float, Field(le=1e6)]] = Field(
        [1.0, 3.0, 8.0],
        min_length=1,
        max_length=20,
        description="Privacy budgets compared; epsilon = infinity (no DP) is always added.",
    )
    delta: float | None = Field(None, gt=0.0, lt=1.0, description="DP delta; null means 1/n for n training messages.")
    max_grad_norm: float = Field(
        1.0, gt=0.0, le=100.0, description="DP-SGD clipping norm C of each per-example gradient."
    )
    min_client_size: int = Field(10, ge=1, le=10000, description="Fewest messages a simulated bank may hold.")
    explain_messages: int = Field(3, ge=1, le=20, description="Confident mistakes explained word by word.")
    neighbours: int = Field(3, ge=1, le=20, description="Nearest training messages shown per intent.")

    @field_validator("alphas")
    @classmethod
    def _positive(cls, value: list[float]) -> list[float]:
        if any(a <= 0 for a in value):
            raise ValueError("every concentration must be positive")
        return value

    @field_validator("client_counts")
    @classmethod
    def _at_least_two(cls, value: list[int]) -> list[int]:
        if any(k < 2 for k in value):
            raise ValueError("a federation needs at least 2 clients")
        return sorted(set(value))

    @field_validator("epsilons")
    @classmethod
    def _finite_positive(cls, value: list[float]) -> list[float]:
        if any(not 0 < e < float("inf") for e in value):
            raise ValueError("each epsilon must be positive and finite (infinity is always added)")
        return sorted(set(value))
