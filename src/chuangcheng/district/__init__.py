"""A district: every unit in parallel with its cache, the roll-up and its workbook."""
