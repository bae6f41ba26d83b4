"""Job submission, the queue, the worker that runs jobs, recovery and webhooks."""
