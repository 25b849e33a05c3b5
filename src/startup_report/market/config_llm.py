"""The fields of the market parameters about the LLM rival and the unit we bill, declared here so that
config.py stays one screen per concern; each keeps its range and a description ('Assumption' marks an input
without a source, and the book lists it as one)."""

from __future__ import annotations

from pydantic import Field

LLM_ACCURACY_KEY = Field(
    "loukas2023_gpt4_rag20_micro",
    description="Row key in banking77_results.csv: the published BANKING77 accuracy of the LLM route. The default is "
    "peer-reviewed (Loukas et al., ICAIF 2023: GPT-4 with the 20 most similar of 3 labelled examples per intent, "
    "micro-F1 87.7 %); a hobby benchmark may be chosen, never the default.",
)
LLM_REASONING_TOKENS = Field(
    250.0,
    ge=0.0,
    le=100_000.0,
    description="Assumption: hidden reasoning tokens per routing call, billed at the output price, for models whose "
    "llm_prices.csv row says they reason (GPT-6 Luna reasons at medium effort unless told not to; no published count "
    "for a one-label answer was found).",
)
MESSAGES_PER_CONVERSATION = Field(
    3.0,
    ge=1.0,
    le=100.0,
    description="Assumption: customer messages in one contact (a chat conversation; no published figure found). The "
    "router and the LLM API read every message; a contact is billed once, when its conversation is resolved.",
)
