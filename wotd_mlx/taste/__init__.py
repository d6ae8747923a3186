"""Learning a person's taste in words: features, the Thompson-sampling learner, profiles, explanations,
and the simulated-people benchmark (`wotd bench preference`)."""
