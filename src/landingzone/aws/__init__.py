"""The door to AWS: credentials and sessions, the per-run context kinds work
with, and the call helpers that turn AWS errors into errors people can act on.
The same code talks to AWS and to the embedded emulator."""
