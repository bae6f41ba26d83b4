"""From the pipeline's typed results to the wire shapes of `api.schemas`."""
