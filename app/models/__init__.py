"""Domain entities, workflows and validation shared by the laptop and the platform (no Qt)."""
