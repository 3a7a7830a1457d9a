"""Assessment: question types, banks, quizzes, attempts, marking and the gradebook."""
