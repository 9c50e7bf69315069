"""Going-deeper activities: staff suggest an activity tied to a training, communities do it."""
