"""Team lead screens: caseload review, allocation, approvals and supervision notes."""
