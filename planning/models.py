"""What a COP does: inventories and surveys, action plans, meetings, check-ins, convenings,
evaluations, knowledge, TTA requests and sunset plans. Filled in by later issues."""
