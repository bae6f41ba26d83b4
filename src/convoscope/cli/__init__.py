"""The `convoscope` command."""
