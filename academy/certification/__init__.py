"""Association certification: talent standards, exam programmes, sittings, marking, results.

An association publishes a versioned talent standard (units of competency with weights
per level), builds an exam programme for a level (a theory part drawn from its question
banks, a practical part played in a private sandbox market, judged parts marked twice
blind), runs sittings (registration, check-in, accommodations, incidents), has the
judged parts marked and moderated, and releases results per unit and part.
"""
