"""Speech models: their weights and catalogue (`weights`), what the hardware suits (`device`), and
the one pool that loads them (`pool`)."""
