"""Cost per customer contact: human agents alone against a model that answers what it is sure of.

A message the model answers automatically costs the serving price, plus the cost of a wrong answer
when it is wrong; every other message goes to a human at the sourced cost per contact.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ContactCosts:
    human_usd: float
    automated_usd: float
    automation_rate: float
    automation_precision: float
    serving_usd: float
    error_cost_usd: float

    @property
    def saving_usd(self) -> float:
        return self.human_usd - self.automated_usd

    @property
    def saving_share(self) -> float:
        return self.saving_usd / self.human_usd if self.human_usd else 0.0

    def as_dict(self) -> dict[str, float]:
        return {**asdict(self), "saving_usd": self.saving_usd, "saving_share": self.saving_share}


def cost_per_contact(
    human_usd: float, serving_usd: float, error_cost_usd: float, automation_rate: float, automation_precision: float
) -> ContactCosts:
    """Expected cost of one contact with the model in front of human agents.

    cost = serving + (1 - a) * human + a * (1 - p) * error, for automation rate a and precision p.
    The model sees every message (serving), humans take what it declines, and its confident
    mistakes cost the error price.
    """
    if not 0.0 <= automation_rate <= 1.0 or not 0.0 <= automation_precision <= 1.0:
        raise ValueError("automation rate and precision are fractions between 0 and 1")
    automated = (
        serving_usd
        + (1.0 - automation_rate) * human_usd
        + automation_rate * (1.0 - automation_precision) * error_cost_usd
    )
    return ContactCosts(human_usd, automated, automation_rate, automation_precision, serving_usd, error_cost_usd)
