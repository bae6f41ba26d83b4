"""The command line client: talks to a Convoscope (or Symbl-compatible) server over HTTP only."""

from convoscope.cli.client.http import Client, ClientError

__all__ = ["Client", "ClientError"]
